/**
 * Every AWS quota and price the capacity report uses, in one place, for us-east-1 and arm64
 * functions. Taken on 2026-12-05 from the project's guide (GUIDE.md, "Capacity and prices"),
 * which took them from the AWS pages named beside each figure; nobody here could open those
 * pages on that day, so re-check a figure against its page before relying on it.
 *
 * `raisable` says whether Service Quotas (or AWS Support) can raise a quota for an account:
 * a setting beyond a raisable quota's default needs a request before deploy, one beyond a
 * fixed quota cannot work at all.
 */

export const FIGURES_DATE = '2026-12-05';
export const FIGURES_REGION = 'us-east-1';

export interface Quota {
  readonly value: number;
  readonly unit: string;
  readonly what: string;
  readonly raisable: boolean;
  readonly source: string;
}

const LAMBDA_QUOTAS = 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html';
const LAMBDA_SCALING = 'https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html';
const SQS_SCALING = 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html';
const DYNAMODB_QUOTAS = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html';
const DYNAMODB_ON_DEMAND = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html';
const API_GATEWAY_QUOTAS = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html';
const SNS_QUOTAS = 'https://docs.aws.amazon.com/general/latest/gr/sns.html';
const SFN_QUOTAS = 'https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html';
const AURORA_CAPACITY = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html';
const AURORA_AUTO_PAUSE = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html';

export const QUOTAS = {
  lambdaConcurrency: { value: 1_000, unit: 'concurrent executions', what: 'Lambda concurrency per account and region', raisable: true, source: LAMBDA_QUOTAS },
  lambdaUnreservedMinimum: { value: 100, unit: 'concurrent executions', what: 'Lambda concurrency that must stay unreserved', raisable: false, source: LAMBDA_QUOTAS },
  lambdaScalingRate: { value: 1_000, unit: 'environments per 10 s per function', what: 'Lambda scaling rate of one function', raisable: false, source: LAMBDA_SCALING },
  sqsPollersInitial: { value: 5, unit: 'concurrent batches', what: 'SQS event source: pollers at the start', raisable: false, source: SQS_SCALING },
  sqsPollersAddedPerMinute: { value: 300, unit: 'batches per minute', what: 'SQS event source: pollers added per minute', raisable: false, source: SQS_SCALING },
  sqsMaximumConcurrency: { value: 1_000, unit: 'concurrent batches', what: 'SQS event source maximum concurrency (2-1,000)', raisable: false, source: SQS_SCALING },
  dynamodbPartitionWrites: { value: 1_000, unit: 'WCU/s', what: 'DynamoDB writes per partition (and so per stream shard)', raisable: false, source: DYNAMODB_QUOTAS },
  dynamodbNewTableWrites: { value: 4_000, unit: 'WRU/s', what: 'DynamoDB on-demand: writes a new table takes at once', raisable: false, source: DYNAMODB_ON_DEMAND },
  dynamodbTableWrites: { value: 40_000, unit: 'WRU/s', what: 'DynamoDB on-demand table maximum', raisable: true, source: DYNAMODB_QUOTAS },
  streamReadersPerShard: { value: 2, unit: 'readers', what: 'DynamoDB Streams: concurrent readers of one shard', raisable: false, source: DYNAMODB_QUOTAS },
  apiGatewayAccountRate: { value: 10_000, unit: 'requests/s', what: 'API Gateway REST: steady rate per account and region, all APIs', raisable: true, source: API_GATEWAY_QUOTAS },
  apiGatewayAccountBurst: { value: 5_000, unit: 'requests', what: 'API Gateway REST: burst per account and region', raisable: false, source: API_GATEWAY_QUOTAS },
  snsEmailDelivery: { value: 10, unit: 'messages/s', what: 'SNS email delivery per account', raisable: true, source: SNS_QUOTAS },
  snsPublish: { value: 30_000, unit: 'messages/s', what: 'SNS standard topic Publish per account (us-east-1)', raisable: true, source: SNS_QUOTAS },
  sfnStartExecutionBucket: { value: 1_300, unit: 'executions', what: 'Step Functions Standard: StartExecution bucket', raisable: true, source: SFN_QUOTAS },
  sfnStartExecutionRefill: { value: 300, unit: 'executions/s', what: 'Step Functions Standard: StartExecution refill', raisable: true, source: SFN_QUOTAS },
  sfnStateTransitions: { value: 5_000, unit: 'transitions/s', what: 'Step Functions Standard: state transitions per account', raisable: true, source: SFN_QUOTAS },
  auroraMaxAcu: { value: 256, unit: 'ACU', what: 'Aurora Serverless v2 maximum capacity', raisable: false, source: AURORA_CAPACITY },
  auroraResumeSeconds: { value: 15, unit: 's', what: 'Aurora Serverless v2: resume from auto-pause (Aurora MySQL 3.08+)', raisable: false, source: AURORA_AUTO_PAUSE },
} as const satisfies Record<string, Quota>;

export interface Price {
  readonly usd: number;
  readonly per: string;
  readonly source: string;
}

export const PRICES = {
  lambdaGbSecond: { usd: 0.0000133334, per: 'GB-second (arm64)', source: 'https://aws.amazon.com/lambda/pricing/' },
  lambdaRequest: { usd: 0.2 / 1e6, per: 'request', source: 'https://aws.amazon.com/lambda/pricing/' },
  sqsRequest: { usd: 0.4 / 1e6, per: 'request (standard queue, 64 KB chunk)', source: 'https://aws.amazon.com/sqs/pricing/' },
  dynamodbWrite: { usd: 0.625 / 1e6, per: 'write request unit (on-demand)', source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/' },
  dynamodbRead: { usd: 0.125 / 1e6, per: 'read request unit (on-demand); stream reads by Lambda are free', source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/' },
  snsPublish: { usd: 0.5 / 1e6, per: 'publish (64 KB chunk)', source: 'https://aws.amazon.com/sns/pricing/' },
  snsEmail: { usd: 2 / 1e5, per: 'email delivered', source: 'https://aws.amazon.com/sns/pricing/' },
  apiGatewayRequest: { usd: 3.5 / 1e6, per: 'REST API request', source: 'https://aws.amazon.com/api-gateway/pricing/' },
  sfnTransition: { usd: 0.025 / 1e3, per: 'state transition (Standard)', source: 'https://aws.amazon.com/step-functions/pricing/' },
  auroraAcuHour: { usd: 0.12, per: 'ACU-hour (Aurora Serverless v2, standard storage configuration)', source: 'https://aws.amazon.com/rds/aurora/pricing/' },
  secretMonth: { usd: 0.4, per: 'secret-month', source: 'https://aws.amazon.com/secrets-manager/pricing/' },
  vpcEndpointAzHour: { usd: 0.01, per: 'interface endpoint per AZ-hour', source: 'https://aws.amazon.com/privatelink/pricing/' },
  // Not in the guide's table; the same caveat applies.
  cloudwatchAlarmMonth: { usd: 0.1, per: 'standard-resolution alarm-month', source: 'https://aws.amazon.com/cloudwatch/pricing/' },
  cloudwatchDashboardMonth: { usd: 3, per: 'dashboard-month (the first 3 per account are free)', source: 'https://aws.amazon.com/cloudwatch/pricing/' },
  kmsKeyMonth: { usd: 1, per: 'customer managed key-month', source: 'https://aws.amazon.com/kms/pricing/' },
  s3Put: { usd: 0.005 / 1e3, per: 'PUT request (S3 Standard)', source: 'https://aws.amazon.com/s3/pricing/' },
  s3Get: { usd: 0.0004 / 1e3, per: 'GET request (S3 Standard)', source: 'https://aws.amazon.com/s3/pricing/' },
} as const satisfies Record<string, Price>;

export const HOURS_PER_MONTH = 730;
