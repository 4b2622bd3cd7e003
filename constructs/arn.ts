import { Fn } from 'cdktf';

/**
 * Parts of an ARN known only after apply, read from the ARN of a resource in the
 * stack. This avoids `data.aws_caller_identity`, which would need AWS credentials
 * at plan time and so defeat the offline plan.
 */
const ARN_PARTS = { partition: 1, service: 2, region: 3, account: 4 } as const;

export function arnPart(arn: string, part: keyof typeof ARN_PARTS): string {
  return Fn.element(Fn.split(':', arn), ARN_PARTS[part]);
}

/** The account root principal of the account that owns `arn`. */
export function accountRootOf(arn: string): string {
  return `arn:${arnPart(arn, 'partition')}:iam::${arnPart(arn, 'account')}:root`;
}

/** The partition of a region known at synth time, for ARNs of AWS-managed policies. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}
