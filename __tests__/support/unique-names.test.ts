import { uniqueNames } from './unique-names';

describe('uniqueNames', () => {
  it('ends every name of one call with the same suffix, and each call with a new one', () => {
    const names = uniqueNames();
    expect(names.suffix).toMatch(/^[0-9a-f]{8}$/);
    expect(names.table('orders')).toBe(`orders-${names.suffix}`);
    expect(names.queue('order-emails')).toBe(`order-emails-${names.suffix}`);
    expect(uniqueNames().suffix).not.toBe(names.suffix);
  });

  it('joins MySQL names with an underscore, as plain identifiers need', () => {
    const names = uniqueNames('3f9a1c2b');
    expect(names.database('COFFEE')).toBe('COFFEE_3f9a1c2b');
    expect(names.databaseUser('reporter')).toBe('reporter_3f9a1c2b');
  });

  it.each([
    ['table', 255],
    ['queue', 80],
    ['topic', 256],
    ['bucket', 63],
    ['database', 64],
    ['databaseUser', 32],
  ] as const)("cuts a long base so that a %s name stays within the service's %i characters", (kind, limit) => {
    const names = uniqueNames('3f9a1c2b');
    const name = names[kind]('a'.repeat(300));
    expect(name).toHaveLength(limit);
    expect(name.endsWith('3f9a1c2b')).toBe(true);
  });

  it.each([
    ['bucket', 'Reports', /S3 bucket name: use only a-z0-9-/],
    ['bucket', 'report.bucket', /S3 bucket name: use only a-z0-9-/],
    ['bucket', '-reports', /must start with a lowercase letter or digit/],
    ['bucket', 'xn--reports', /not with xn-- or sthree-/],
    ['queue', 'order.emails', /SQS queue name: use only A-Za-z0-9_-/],
    ['topic', 'POC Topic', /SNS topic name/],
    ['database', 'COFFEE-DB', /MySQL database name: use only A-Za-z0-9_/],
    ['database', '1COFFEE', /must start with a letter or underscore/],
    ['databaseUser', "reporter'@'%", /MySQL user name/],
  ] as const)('refuses %s base %p before any emulator sees it, naming the rule', (kind, base, message) => {
    expect(() => uniqueNames('3f9a1c2b')[kind](base)).toThrow(message);
  });

  it('takes a short base: the suffix makes every name long enough (DynamoDB wants 3 characters)', () => {
    expect(uniqueNames('3f9a1c2b').table('or')).toBe('or-3f9a1c2b');
  });

  it('refuses a suffix that would break the rules', () => {
    expect(() => uniqueNames('ABC')).toThrow(/lowercase letters or digits/);
  });
});
