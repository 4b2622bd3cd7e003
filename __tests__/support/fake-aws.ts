import { AttributeResolver } from '../../local/stack/synthesized-stack';

/** An account id that is clearly not real; every fake ARN lives in it. */
export const FAKE_ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';

/**
 * Values AWS would give each resource after apply, in AWS's own ARN formats, so that
 * policies referencing them can be simulated exactly as they would be evaluated.
 */
export function fakeAwsAttributes(region: string): AttributeResolver {
  const arn = (service: string, resource: string, inRegion = region) =>
    `arn:aws:${service}:${inRegion}:${FAKE_ACCOUNT}:${resource}`;
  return (type, name, attribute, config) => {
    const resourceName = String(config.name ?? config.function_name ?? name);
    switch (`${type}.${attribute}`) {
      case 'aws_sqs_queue.arn':
        return arn('sqs', resourceName);
      case 'aws_sqs_queue.id':
      case 'aws_sqs_queue.url':
        return `https://sqs.${region}.amazonaws.com/${FAKE_ACCOUNT}/${resourceName}`;
      case 'aws_dynamodb_table.arn':
        return arn('dynamodb', `table/${resourceName}`);
      case 'aws_dynamodb_table.stream_arn':
        return arn('dynamodb', `table/${resourceName}/stream/2026-11-23T00:00:00.000`);
      case 'aws_sns_topic.arn':
      case 'aws_sns_topic.id':
        return arn('sns', resourceName);
      case 'aws_cloudwatch_log_group.arn':
        return arn('logs', `log-group:${resourceName}`);
      case 'aws_iam_role.arn':
        return `arn:aws:iam::${FAKE_ACCOUNT}:role/${resourceName}`;
      case 'aws_iam_role.id':
        return resourceName;
      case 'aws_iam_policy.arn':
        return `arn:aws:iam::${FAKE_ACCOUNT}:policy/${resourceName}`;
      case 'aws_lambda_function.arn':
        return arn('lambda', `function:${resourceName}`);
      case 'aws_lambda_function.function_name':
        return resourceName;
      case 'aws_sfn_state_machine.arn':
      case 'aws_sfn_state_machine.id':
        return arn('states', `stateMachine:${resourceName}`);
      case 'aws_rds_cluster.master_user_secret[0].secret_arn':
        return arn('secretsmanager', `secret:rds!cluster-${String(config.cluster_identifier)}-AbCdEf`);
      case 'aws_rds_cluster.port':
        return String(config.port ?? 3306);
      case 'aws_rds_cluster.endpoint':
        return `${String(config.cluster_identifier)}.cluster-c0ffee.${region}.rds.amazonaws.com`;
      case 'aws_kms_key.arn':
        return arn('kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab');
      case 'aws_kms_key.key_id':
        return '1234abcd-12ab-34cd-56ef-1234567890ab';
      case 'aws_vpc.id':
        return 'vpc-0a1b2c3d';
      case 'aws_subnet.id':
        return `subnet-${name.replace(/[^a-z0-9]/gi, '').slice(-8).toLowerCase()}`;
      case 'aws_security_group.id':
        return `sg-${name.replace(/[^a-z0-9]/gi, '').slice(-8).toLowerCase()}`;
      case 'aws_s3_bucket.arn':
        return `arn:aws:s3:::${bucketName(config)}`;
      case 'aws_s3_bucket.id':
      case 'aws_s3_bucket.bucket':
        return bucketName(config);
      case 'aws_cognito_user_pool.id':
        return `${region}_AbCdEf123`;
      case 'aws_cognito_user_pool.arn':
        return arn('cognito-idp', `userpool/${region}_AbCdEf123`);
      case 'aws_cognito_user_pool_client.id':
        return '1example23456789abcdefghij';
      case 'aws_api_gateway_rest_api.id':
        return 'a1b2c3d4e5';
      case 'aws_s3_bucket.bucket_regional_domain_name':
        return `${bucketName(config)}.s3.${region}.amazonaws.com`;
      // CloudFront is global: its ARNs name no region.
      case 'aws_cloudfront_distribution.arn':
        return `arn:aws:cloudfront::${FAKE_ACCOUNT}:distribution/EDFDVBD6EXAMPLE`;
      case 'aws_cloudfront_distribution.id':
        return 'EDFDVBD6EXAMPLE';
      case 'aws_cloudfront_distribution.domain_name':
        return 'd111111abcdef8.cloudfront.net';
      case 'aws_cloudfront_function.arn':
        return `arn:aws:cloudfront::${FAKE_ACCOUNT}:function/${resourceName}`;
      case 'aws_cloudfront_origin_access_control.id':
        return 'E2QWRUHAPOMQZL';
      case 'aws_cloudfront_response_headers_policy.id':
        return '67f7725c-6f97-4210-82d7-5512b31e9d03';
      case 'aws_api_gateway_rest_api.root_resource_id':
        return 'r00t1d';
      default:
        throw new Error(`No fake value for ${type}.${name}.${attribute}: add one to fake-aws.ts`);
    }
  };
}

/** With bucket_prefix, Terraform appends a timestamp and counter, 26 digits in all. */
function bucketName(config: Record<string, unknown>): string {
  return typeof config.bucket === 'string' ? config.bucket : `${String(config.bucket_prefix)}20261123000000000000000001`;
}
