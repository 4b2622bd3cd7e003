import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ArchiveProvider } from '@cdktf/provider-archive/lib/provider';
import { NodejsFunction } from '../../constructs/nodejs-function';
import { SynthesizedStack } from '../../local/stack/synthesized-stack';
import { StackIam } from '../support/iam';

/** A function placed in two subnets with one security group, synthesized on its own. */
function synthVpcFunction(): SynthesizedStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'vpc-function');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  new ArchiveProvider(stack, 'archive');
  new NodejsFunction(stack, 'reader', {
    functionName: 'test-reader',
    roleName: 'test-reader-role',
    entry: 'functions/report/fetch-supplier-data/handler.ts',
    vpc: { subnetIds: ['subnet-0aaa', 'subnet-0bbb'], securityGroupIds: ['sg-0ccc'] },
  });
  return SynthesizedStack.parse(Testing.synth(stack));
}

const stack = synthVpcFunction();
const iam = new StackIam(stack, 'us-east-1');
const ec2 = (resource: string) => `arn:aws:ec2:us-east-1:111122223333:${resource}`;

test('a function in a VPC is placed in its subnets, once its role may attach it', () => {
  const [, fn] = Object.entries(stack.resources('aws_lambda_function'))[0];
  expect(fn.vpc_config).toEqual({ subnet_ids: ['subnet-0aaa', 'subnet-0bbb'], security_group_ids: ['sg-0ccc'] });
  const [policyKey] = Object.entries(stack.resources('aws_iam_role_policy')).find(([, policy]) => policy.name === 'attach-to-vpc') ?? [];
  expect(fn.depends_on).toContain(`aws_iam_role_policy.${policyKey}`);
});

test('its role may manage network interfaces in its own subnets and security group only', async () => {
  await iam.expectDecisions('test-reader-role', [
    ['ec2:CreateNetworkInterface', ec2('subnet/subnet-0aaa')],
    ['ec2:CreateNetworkInterface', ec2('security-group/sg-0ccc')],
    ['ec2:CreateNetworkInterface', ec2('network-interface/eni-0123')],
    ['ec2:DeleteNetworkInterface', ec2('network-interface/eni-0123')],
    ['ec2:DescribeNetworkInterfaces', '*'],
  ], 'Allowed');
  await iam.expectDecisions('test-reader-role', [
    ['ec2:CreateNetworkInterface', ec2('subnet/subnet-0ddd')],
    ['ec2:CreateNetworkInterface', ec2('security-group/sg-0eee')],
    ['ec2:CreateNetworkInterface', ec2('subnet/subnet-0aaa').replace('111122223333', '444455556666')],
    ['ec2:RunInstances', ec2('subnet/subnet-0aaa')],
  ], 'ImplicitlyDenied');
});

test('a function outside a VPC has no VPC settings and no network permissions', () => {
  const app = Testing.app();
  const plain = new TerraformStack(app, 'plain-function');
  new AwsProvider(plain, 'aws', { region: 'us-east-1' });
  new ArchiveProvider(plain, 'archive');
  new NodejsFunction(plain, 'reader', { functionName: 'test-plain', roleName: 'test-plain-role', entry: 'functions/report/fetch-supplier-data/handler.ts' });
  const synthesized = SynthesizedStack.parse(Testing.synth(plain));
  expect(Object.values(synthesized.resources('aws_lambda_function'))[0].vpc_config).toBeUndefined();
  expect(Object.values(synthesized.resources('aws_iam_role_policy')).map((policy) => policy.name)).toEqual(['write-own-logs-and-traces']);
});
