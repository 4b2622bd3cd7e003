/**
 * Names for what a suite creates in an emulator it shares with other suites (tables,
 * queues, topics, buckets, MariaDB databases and users): each is the readable base the
 * suite chose plus a suffix of its own, valid by the service's naming rules.
 *
 *     const names = uniqueNames();
 *     const TABLE_NAME = names.table('orders'); // orders-3f9a1c2b
 *
 * The suffix is random (32 bits) and shared by every name of one `uniqueNames()`: suites
 * sharing an emulator run in one jest worker, a handful per run, so a collision is as good
 * as impossible, and the suffix tells which suite made what.
 */
import { randomBytes } from 'node:crypto';

export interface UniqueNames {
  /** The suffix every name here ends with: 8 lowercase hex digits. */
  readonly suffix: string;
  /** A DynamoDB table: 3-255 of `A-Z a-z 0-9 _ - .`. */
  table(base: string): string;
  /** A standard SQS queue: 1-80 of `A-Z a-z 0-9 _ -`. */
  queue(base: string): string;
  /** A standard SNS topic: 1-256 of `A-Z a-z 0-9 _ -`. */
  topic(base: string): string;
  /** An S3 bucket: 3-63 of `a-z 0-9 -`, starting and ending with a letter or digit (no dots, so no IP lookalikes). */
  bucket(base: string): string;
  /** A MySQL/MariaDB database, as a plain unquoted identifier: `A-Z a-z 0-9 _`, not starting with a digit, at most 64. */
  database(base: string): string;
  /** A MySQL/MariaDB user name: `A-Z a-z 0-9 _`, at most 32 (MySQL's limit; MariaDB allows 80). */
  databaseUser(base: string): string;
}

interface NameRule {
  readonly what: string;
  /** Characters the base may have (the suffix always fits). */
  readonly characters: RegExp;
  readonly separator: '-' | '_';
  readonly maxLength: number;
  /** A rule the characters alone do not express; the base must satisfy it. */
  readonly base?: { readonly pattern: RegExp; readonly says: string };
}

const RULES = {
  table: { what: 'DynamoDB table', characters: /^[A-Za-z0-9_.-]+$/, separator: '-', maxLength: 255 },
  queue: { what: 'SQS queue', characters: /^[A-Za-z0-9_-]+$/, separator: '-', maxLength: 80 },
  topic: { what: 'SNS topic', characters: /^[A-Za-z0-9_-]+$/, separator: '-', maxLength: 256 },
  bucket: {
    what: 'S3 bucket',
    characters: /^[a-z0-9-]+$/,
    separator: '-',
    maxLength: 63,
    base: { pattern: /^(?!xn--|sthree-)[a-z0-9]/, says: 'start with a lowercase letter or digit, and not with xn-- or sthree-' },
  },
  database: {
    what: 'MySQL database',
    characters: /^[A-Za-z0-9_]+$/,
    separator: '_',
    maxLength: 64,
    base: { pattern: /^[A-Za-z_]/, says: 'start with a letter or underscore' },
  },
  databaseUser: { what: 'MySQL user', characters: /^[A-Za-z0-9_]+$/, separator: '_', maxLength: 32 },
} as const satisfies Record<string, NameRule>;

export function uniqueNames(suffix: string = randomBytes(4).toString('hex')): UniqueNames {
  if (!/^[a-z0-9]{1,16}$/.test(suffix)) throw new Error(`A name suffix must be 1-16 lowercase letters or digits, not ${JSON.stringify(suffix)}`);
  const name = (rule: NameRule) => (base: string) => uniqueName(rule, base, suffix);
  return {
    suffix,
    table: name(RULES.table),
    queue: name(RULES.queue),
    topic: name(RULES.topic),
    bucket: name(RULES.bucket),
    database: name(RULES.database),
    databaseUser: name(RULES.databaseUser),
  };
}

/**
 * The base, cut short if the whole would be too long, then the separator and the suffix.
 * A base the service would refuse throws here, naming the rule, rather than as an
 * emulator's error in the middle of a suite's setup.
 */
function uniqueName(rule: NameRule, base: string, suffix: string): string {
  if (!rule.characters.test(base)) {
    throw new Error(`${JSON.stringify(base)} cannot begin a ${rule.what} name: use only ${rule.characters.source.slice(2, -3)}`);
  }
  if (rule.base !== undefined && !rule.base.pattern.test(base)) {
    throw new Error(`${JSON.stringify(base)} cannot begin a ${rule.what} name: it must ${rule.base.says}`);
  }
  // The suffix ends the name, so a bucket name ends with a letter or digit, as S3 wants.
  const kept = base.slice(0, rule.maxLength - suffix.length - 1);
  return `${kept}${rule.separator}${suffix}`;
}
