import { formatValidateDiagnostics, parseDiagnostics } from '../../../scripts/offline-plan/terraform-diagnostics';

// Verbatim terraform 1.11 -no-color output (hashicorp/aws 5.100.0), from a config with
// two deprecated arguments and, separately, an unknown one.
const VALIDATE_WARNINGS = `
Warning: Argument is deprecated

  with aws_s3_bucket.b,
  on main.tf.json line 3, in resource.aws_s3_bucket.b:
   3: "resource":{"aws_s3_bucket":{"b":{"bucket":"abc-test-offline","acl":"private"}}}

acl is deprecated. Use the aws_s3_bucket_acl resource instead.

(and one more similar warning elsewhere)
Success! The configuration is valid, but there were some validation warnings
as shown above.

`;

const VALIDATE_ERROR = `
Error: Extraneous JSON object property

  on bad.tf.json line 1, in resource.aws_sqs_queue.q:
   1: {"resource":{"aws_sqs_queue":{"q":{"name":1, "bogus":2}}}}

No argument or block type is named "bogus".
`;

const PLAN_TAIL = `      + website_endpoint            = (known after apply)
    }

Plan: 2 to add, 0 to change, 0 to destroy.

Warning: Argument is deprecated

  with aws_s3_bucket.b,

acl is deprecated. Use the aws_s3_bucket_acl resource instead.

(and 3 more similar warnings elsewhere)

─────────────────────────────────────────────────────────────────────────────

Saved the plan to: tfplan
`;

describe('terraform plain diagnostics', () => {
  it('reads a warning up to terraform summary line, keeping its "(and N more ...)" note', () => {
    const [warning, ...rest] = parseDiagnostics(VALIDATE_WARNINGS);
    expect(rest).toEqual([]);
    expect(warning.severity).toBe('Warning');
    expect(warning.summary).toBe('Argument is deprecated');
    expect(warning.text).toMatch(/^Warning: Argument is deprecated\n\n {2}with aws_s3_bucket.b,[\s\S]*acl is deprecated\.[\s\S]*\(and one more similar warning elsewhere\)$/);
  });

  it('reads errors', () => {
    expect(parseDiagnostics(VALIDATE_ERROR)).toEqual([
      expect.objectContaining({ severity: 'Error', summary: 'Extraneous JSON object property', text: expect.stringContaining('No argument or block type is named "bogus".') }),
    ]);
  });

  it('finds warnings after a plan, without the plan text or the trailing ruler', () => {
    const found = parseDiagnostics(PLAN_TAIL);
    expect(found).toHaveLength(1);
    expect(found[0].text).not.toMatch(/Plan:|─|Saved/);
  });

  it('finds nothing in clean output', () => {
    expect(parseDiagnostics('Success! The configuration is valid.\n')).toEqual([]);
  });
});

describe('terraform validate -json diagnostics', () => {
  it('lists each one with its resource address, where the plain output folds them', () => {
    const validate = {
      diagnostics: [
        { severity: 'warning', summary: 'Argument is deprecated', detail: 'inline_policy is deprecated.\nUse the aws_iam_role_policy resource instead.', address: 'aws_iam_role.r', range: { filename: 'main.tf.json', start: { line: 3 } } },
        { severity: 'warning', summary: 'Argument is deprecated', detail: 'acl is deprecated.', address: 'aws_s3_bucket.b' },
        { severity: 'error', summary: 'Invalid reference', range: { filename: 'cdk.tf.json', start: { line: 12 } } },
      ],
    };
    expect(formatValidateDiagnostics(validate)).toEqual([
      'warning: Argument is deprecated (aws_iam_role.r): inline_policy is deprecated. Use the aws_iam_role_policy resource instead.',
      'warning: Argument is deprecated (aws_s3_bucket.b): acl is deprecated.',
      'error: Invalid reference (cdk.tf.json:12)',
    ]);
  });
});
