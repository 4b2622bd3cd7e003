import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { PipelineConfig } from '../config';
import { ORDER_FIELD_MAX_LENGTH, ORDER_FIELD_NAMES, orderFieldSchema } from '../functions/orders/shared/order-request-rules';
import { ApiGatewayToSqs } from '../constructs/api-gateway-to-sqs';
import { partitionOf } from '../constructs/arn';
import { DynamoDBStreamsToLambda } from '../constructs/dynamodb-streams-to-lambda';
import { NodejsFunction } from '../constructs/nodejs-function';
import { dashboardPanels, PipelineDashboard } from '../constructs/pipeline-dashboard';
import { SecureTable } from '../constructs/secure-table';
import { SecureTopic } from '../constructs/secure-topic';
import { SqsToLambda } from '../constructs/sqs-to-lambda';
import { PipelineStack } from './pipeline-stack';

/**
 * What the API accepts: the lab's Task 9 order, and nothing the queue could choke on. Its
 * fields follow the rule POC-Lambda-1 checks again, so that an order the API accepts is
 * always one the function stores.
 */
export const ORDER_REQUEST_SCHEMA = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'Order',
  type: 'object',
  required: [...ORDER_FIELD_NAMES],
  additionalProperties: false,
  properties: Object.fromEntries(ORDER_FIELD_NAMES.map((name) => [name, orderFieldSchema(name)])),
};

/** The order id returned to the client is the SQS message id, which is also the table key. */
export const ORDER_ACCEPTED_TEMPLATE =
  `#set($result = $input.path('$.SendMessageResponse.SendMessageResult'))\n` +
  `{"orderId": "$result.MessageId", "status": "accepted"}`;

/**
 * Seeds 000-002: REST API POST -> SQS POC-Queue -> POC-Lambda-1 -> DynamoDB orders
 * -> Streams (NEW_IMAGE) -> POC-Lambda-2 -> SNS POC-Topic -> email.
 */
export class OrdersPipelineStack extends PipelineStack {
  constructor(scope: Construct, id: string, config: PipelineConfig) {
    super(scope, id, config);
    const name = (labName: string) => this.resourceName(labName);

    // Task 2 and Task 5: the orders table, streaming each new image.
    const orders = new SecureTable(this, 'orders-table', {
      tableName: name('orders'),
      partitionKey: 'orderID',
      streamViewType: 'NEW_IMAGE',
    });

    // Task 6: the topic that emails each new order.
    const topic = new SecureTopic(this, 'order-topic', {
      topicName: name('POC-Topic'),
      emailSubscription: config.notificationEmail,
      smsSubscription: config.notificationSms,
    });

    // Task 4: POC-Lambda-1 stores each queued order once, with role Lambda-SQS-DynamoDB.
    const storeOrder = new NodejsFunction(this, 'store-order', {
      functionName: name('POC-Lambda-1'),
      roleName: name('Lambda-SQS-DynamoDB'),
      description: 'Stores each order from POC-Queue in the orders table, once per message',
      entry: 'functions/orders/store-order/handler.ts',
      environment: { TABLE_NAME: orders.name },
      reservedConcurrency: config.scale.storeOrderReservedConcurrency,
    });
    orders.grantPutItem(storeOrder.role, { policyName: name('Lambda-Write-DynamoDB'), description: 'Lets POC-Lambda-1 write orders' });

    // Task 3 and Task 4.2: POC-Queue triggers POC-Lambda-1 (policy Lambda-Read-SQS).
    const intake = new SqsToLambda(this, 'order-queue', {
      queueName: name('POC-Queue'),
      consumer: storeOrder,
      readPolicyName: name('Lambda-Read-SQS'),
      batchSize: config.scale.ordersQueueBatchSize,
      maximumConcurrency: config.scale.ordersQueueMaxConcurrency,
    });

    // Task 7: POC-Lambda-2 announces each new order, with role Lambda-DynamoDBStreams-SNS.
    const notifyNewOrder = new NodejsFunction(this, 'notify-new-order', {
      functionName: name('POC-Lambda-2'),
      roleName: name('Lambda-DynamoDBStreams-SNS'),
      description: 'Emails a readable notification for each new order',
      entry: 'functions/orders/notify-new-order/handler.ts',
      environment: { TOPIC_ARN: topic.arn },
    });
    topic.grantPublish(notifyNewOrder.role, { policyName: name('Lambda-SNS-Publish') });
    const newOrders = new DynamoDBStreamsToLambda(this, 'new-orders', {
      table: orders,
      consumer: notifyNewOrder,
      readPolicyName: name('Lambda-DynamoDBStreams-Read'),
      failureQueueName: name('POC-Lambda-2-failures'),
      eventNames: ['INSERT'],
      batchSize: config.scale.streamBatchSize,
      parallelizationFactor: config.scale.streamParallelizationFactor,
    });

    // Task 8: POC-API, POST -> SendMessage on POC-Queue, with role APIGateway-SQS.
    const api = new ApiGatewayToSqs(this, 'order-api', {
      apiName: name('POC-API'),
      roleName: name('APIGateway-SQS'),
      queue: intake.queue,
      requestSchema: ORDER_REQUEST_SCHEMA,
      modelName: 'Order',
      invalidBodyMessage:
        `Invalid order: send a JSON object with string fields item and customerID (at most ${ORDER_FIELD_MAX_LENGTH.item} ` +
        `and ${ORDER_FIELD_MAX_LENGTH.customerID} characters), each with more than white space, and nothing else.`,
      successTemplate: ORDER_ACCEPTED_TEMPLATE,
      throttlingRateLimit: config.scale.ordersApiRateLimit,
      throttlingBurstLimit: config.scale.ordersApiBurstLimit,
    });
    // The lab's attachment for the APIGateway-SQS role.
    api.role.attachManagedPolicy(
      'push-to-cloudwatch-logs',
      `arn:${partitionOf(config.region)}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`,
    );

    // Left to right as the diagram in the README reads.
    new PipelineDashboard(this, 'dashboard', {
      dashboardName: name('orders-pipeline'),
      region: config.region,
      panels: [
        dashboardPanels.requests('POC-API: orders posted', api.api, api.stage),
        dashboardPanels.queue('POC-Queue: orders waiting', intake.queue, intake.deadLetterQueue),
        dashboardPanels.function('POC-Lambda-1: storing orders', storeOrder),
        dashboardPanels.table('orders table and its stream', orders, notifyNewOrder),
        dashboardPanels.function('POC-Lambda-2: announcing orders', notifyNewOrder),
        dashboardPanels.queue('POC-Lambda-2 failed batches', newOrders.failureQueue),
        dashboardPanels.notifications('POC-Topic: emails', topic),
      ],
    });

    new TerraformOutput(this, 'api_url', { value: api.url, description: 'POST orders here (Task 9)' });
    new TerraformOutput(this, 'queue_url', { value: intake.queue.url });
    new TerraformOutput(this, 'table_name', { value: orders.name });
    new TerraformOutput(this, 'topic_arn', { value: topic.arn });
  }
}
