import { Construct } from 'constructs';
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { PipelineConfig } from '../config';
import { ServiceRole } from '../constructs/iam/service-role';
import { partitionOf } from '../constructs/arn';
import { PipelineStack } from './pipeline-stack';

/**
 * API Gateway writes access and execution logs only once the account's CloudWatch
 * role is set. That setting (`aws_api_gateway_account`) exists once per account and
 * region, so it lives here, deployed once, and never in a pipeline stack where two
 * environments would fight over it.
 */
export class ApiGatewayAccountStack extends PipelineStack {
  constructor(scope: Construct, id: string, config: PipelineConfig) {
    super(scope, id, config, { perEnvironment: false });

    const role = new ServiceRole(this, 'cloudwatch-role', {
      // IAM is global and the setting is regional: one role per region.
      roleName: `APIGateway-CloudWatch-Logs-${config.region}`,
      assumedBy: 'apigateway.amazonaws.com',
      description: 'Lets API Gateway write access and execution logs for this account and region',
    });
    const attachment = role.attachManagedPolicy(
      'push-to-cloudwatch-logs',
      `arn:${partitionOf(config.region)}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`,
    );
    new ApiGatewayAccount(this, 'account', { cloudwatchRoleArn: role.arn, dependsOn: [attachment] });
  }
}
