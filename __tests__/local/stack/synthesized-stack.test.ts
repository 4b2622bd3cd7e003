import { SynthesizedStack } from '../../../local/stack/synthesized-stack';

const stack = new SynthesizedStack({
  resource: {
    aws_rds_cluster: { db: { cluster_identifier: 'dev-coffee' } },
    aws_sns_topic: { alerts: { name: 'dev-alerts' } },
  },
});
const fake = (type: string, name: string, attribute: string) => `<${type}.${name}.${attribute}>`;

test('a reference into a nested block reaches the resolver whole', () => {
  expect(stack.resolve('${aws_rds_cluster.db.master_user_secret[0].secret_arn}', fake)).toBe(
    '<aws_rds_cluster.db.master_user_secret[0].secret_arn>',
  );
});

test('an argument the configuration sets resolves as written, an attribute through the resolver', () => {
  expect(stack.resolve('${aws_sns_topic.alerts.name} / ${aws_sns_topic.alerts.arn}', fake)).toBe('dev-alerts / <aws_sns_topic.alerts.arn>');
});

test('an expression it cannot evaluate is refused by name', () => {
  expect(() => stack.resolve('${upper(aws_sns_topic.alerts.name)}', fake)).toThrow(/Cannot resolve the Terraform expression \$\{upper\(aws_sns_topic\.alerts\.name\)\}/);
});

test('Fn.jsonencode of an object is its JSON, with nested interpolations, references and numbers', () => {
  const content = '${jsonencode({"topic" = aws_sns_topic.alerts.arn, "url" = "https://${aws_sns_topic.alerts.name}.example/${aws_rds_cluster.db.port}", "max" = 10485760, "on" = true, "list" = ["a", 2]})}';
  expect(JSON.parse(stack.resolve(content, fake))).toEqual({
    topic: '<aws_sns_topic.alerts.arn>',
    url: 'https://dev-alerts.example/<aws_rds_cluster.db.port>',
    max: 10485760,
    on: true,
    list: ['a', 2],
  });
});

test("an ARN's part, as constructs/arn.ts takes it, and Terraform's escape for a literal ${", () => {
  expect(stack.resolve('${element(split(":", aws_sns_topic.alerts.arn), 4)}', () => 'arn:aws:sns:eu-west-1:123456789012:dev-alerts')).toBe('123456789012');
  expect(stack.resolve('`$${x}` and ${aws_sns_topic.alerts.name}', fake)).toBe('`${x}` and dev-alerts');
});

test("a hash's prefix, as a hosted UI domain prefix is made unique", () => {
  const prefix = stack.resolve('${substr(sha1(aws_sns_topic.alerts.arn), 0, 10)}', () => 'abc');
  expect(prefix).toBe('a9993e3647');
});
