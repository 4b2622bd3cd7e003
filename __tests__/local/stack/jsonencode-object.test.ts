import { Fn, Testing, TerraformOutput, TerraformStack } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { isJsonencodedObject, readJsonencodedObject } from '../../../local/stack/jsonencode-object';

/** What cdktf itself writes for Fn.jsonencode of what `value` makes of a bucket's attributes. */
function rendered(value: (bucket: S3Bucket) => Record<string, unknown>): string {
  const stack = new TerraformStack(Testing.app(), 'test');
  const bucket = new S3Bucket(stack, 'site-bucket_952C069B', {});
  new TerraformOutput(stack, 'out', { value: Fn.jsonencode(value(bucket)) });
  return (JSON.parse(Testing.synth(stack)) as { output: { out: { value: string } } }).output.out.value;
}

describe('reading cdktf\'s jsonencode({...})', () => {
  it('reads strings, numbers, booleans, references and templates as Terraform would see them', () => {
    const text = rendered((bucket) => ({
      region: 'us-east-1',
      bucket: bucket.bucket,
      origin: `https://${bucket.bucketRegionalDomainName}/`,
      maxUploadBytes: 10485760,
      ratio: 0.5,
      secure: true,
    }));
    expect(isJsonencodedObject(text)).toBe(true);
    expect(readJsonencodedObject(text)).toEqual({
      region: 'us-east-1',
      bucket: '${aws_s3_bucket.site-bucket_952C069B.bucket}',
      origin: 'https://${aws_s3_bucket.site-bucket_952C069B.bucket_regional_domain_name}/',
      maxUploadBytes: 10485760,
      ratio: 0.5,
      secure: true,
    });
  });

  it('reads the references cross-stack inputs and escapes make', () => {
    const text = '${jsonencode({"userPoolId" = data.terraform_remote_state.cross-stack-reference-input-inventory-pipeline.outputs.cross-stack-output-aws_cognito_user_poolid, "path" = "a\\\\b \\"c\\""})}';
    expect(readJsonencodedObject(text)).toEqual({
      userPoolId: '${data.terraform_remote_state.cross-stack-reference-input-inventory-pipeline.outputs.cross-stack-output-aws_cognito_user_poolid}',
      path: 'a\\b "c"',
    });
  });

  it('refuses what it cannot read whole', () => {
    expect(isJsonencodedObject('{"a": 1}')).toBe(false);
    expect(() => readJsonencodedObject('{"a": 1}')).toThrow('Not a jsonencode');
    expect(() => readJsonencodedObject('${jsonencode({"a" = upper("x")})}')).toThrow('expected a string, number, boolean or reference');
    expect(() => readJsonencodedObject('${jsonencode({"a" = {"b" = 1}})}')).toThrow('expected a string');
    expect(() => readJsonencodedObject('${jsonencode({"a" = "open})}')).toThrow('unterminated string');
    // cdktf writes a literal "${" of a plain string as "$${": never meant to be resolved, so refused.
    expect(() => readJsonencodedObject('${jsonencode({"a" = "$${x}"})}')).toThrow('literal');
  });
});
