import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { ApiGatewayAccountStack } from '../../stacks/api-gateway-account';
import { synthStack, TEST_CONFIG } from '../support/synth';

describe('api-gateway-account', () => {
  const { synthesized, stack } = synthStack(ApiGatewayAccountStack, 'api-gateway-account');

  it('sets the account CloudWatch role, assumed by API Gateway, with the AWS-managed push policy', () => {
    expect(synthesized).toHaveResource(ApiGatewayAccount);
    expect(synthesized).toHaveResourceWithProperties(IamRole, { name: 'APIGateway-CloudWatch-Logs-us-east-1' });
    const [attachment] = Object.values(stack.resources('aws_iam_role_policy_attachment'));
    expect(attachment.policy_arn).toBe('arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs');
    const [account] = Object.values(stack.resources('aws_api_gateway_account'));
    expect(account.cloudwatch_role_arn).toMatch(/^\$\{aws_iam_role\.[^.]+\.arn\}$/);
  });

  it('is one per account and region: no environment in its names or state file', () => {
    const other = synthStack(ApiGatewayAccountStack, 'api-gateway-account', { ...TEST_CONFIG, environment: 'prod' });
    expect(other.synthesized).toBe(synthesized);
    expect(JSON.stringify(stack.json.terraform)).toContain('terraform.api-gateway-account.tfstate');
  });

  it('uses the partition of the region for the managed policy', () => {
    const gov = synthStack(ApiGatewayAccountStack, 'api-gateway-account', { ...TEST_CONFIG, region: 'us-gov-west-1' });
    const [attachment] = Object.values(gov.stack.resources('aws_iam_role_policy_attachment'));
    expect(attachment.policy_arn).toMatch(/^arn:aws-us-gov:iam::aws:policy\//);
  });
});
