/**
 * IAM policy documents as plain typed objects, serialised with JSON.stringify.
 * cdktf resolves the tokens inside the string (ARNs of resources in the stack) to
 * Terraform interpolations, so the synthesized JSON carries a literal document
 * that a reviewer can read in `terraform plan` and a test can simulate.
 */

export type Principal = { AWS: string | string[] } | { Service: string | string[] } | '*';

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Principal;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: PolicyStatement[];
}

export function policyDocument(statements: PolicyStatement[]): string {
  const document: PolicyDocument = { Version: '2012-10-17', Statement: statements };
  return JSON.stringify(document);
}

/**
 * `text` as part of a statement id, which IAM limits to letters and digits: each word
 * capitalised, everything else dropped (`dev-POC-Queue` -> `DevPOCQueue`).
 */
export function sidPart(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}

/** Trust policy letting one AWS service assume a role. */
export function assumeRolePolicy(servicePrincipal: string): string {
  return policyDocument([
    { Effect: 'Allow', Principal: { Service: servicePrincipal }, Action: 'sts:AssumeRole' },
  ]);
}

/**
 * Resource-policy statement refusing every request that does not use TLS.
 * `actions` as the resource's policy accepts them: `sqs:*` and `s3:*` work, while a
 * topic policy accepts only topic actions such as `sns:Publish`.
 */
export function denyInsecureTransport(actions: string | string[], resources: string[]): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: actions,
    Resource: resources,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}
