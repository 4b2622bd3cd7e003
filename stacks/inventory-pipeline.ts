import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { PipelineConfig } from '../config';
import { AccessTokenAuthorizer } from '../constructs/access-token-authorizer';
import { ApiGatewayToLambda } from '../constructs/api-gateway-to-lambda';
import { DynamoDBStreamsToLambda } from '../constructs/dynamodb-streams-to-lambda';
import { HostedUiUserPool } from '../constructs/hosted-ui-user-pool';
import { NodejsFunction } from '../constructs/nodejs-function';
import { RestApiAddress } from '../constructs/rest-api';
import { dashboardPanels, PipelineDashboard } from '../constructs/pipeline-dashboard';
import { S3ToLambda } from '../constructs/s3-to-lambda';
import { SecureBucket } from '../constructs/secure-bucket';
import { SecureTable } from '../constructs/secure-table';
import { SecureTopic } from '../constructs/secure-topic';
import { PipelineStack } from './pipeline-stack';

/** Where people upload inventory files; only `.json` files here are processed. */
export const UPLOAD_PREFIX = 'uploads/';
export const UPLOAD_SUFFIX = '.json';
/**
 * Where a file that fails validation is copied, and its error report written: each in a
 * folder of its own below this prefix (functions/inventory/process-inventory-file/upload-location.ts).
 */
export const REJECTED_PREFIX = 'rejected/';
/** Larger files are rejected unread: 10 MiB holds well over 100,000 products. */
export const MAX_INVENTORY_FILE_BYTES = 10 * 1024 * 1024;
/** How long a dashboard upload URL (presigned POST) works: time to pick up, not to keep. */
export const UPLOAD_URL_EXPIRY_SECONDS = 300;

/** What POST /uploads accepts; CreateUploadUrl checks it again and names the size limit (413). */
export const UPLOAD_REQUEST_SCHEMA = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'UploadRequest',
  type: 'object',
  additionalProperties: false,
  required: ['fileName', 'size'],
  properties: {
    fileName: { type: 'string', minLength: 1, maxLength: 255 },
    size: { type: 'integer', minimum: 0 },
  },
};

/**
 * Seed 003: upload inventory.json to S3 -> ProcessInventoryFile -> DynamoDB InventoryTable
 * -> Streams (NEW_AND_OLD_IMAGES) -> NotifyInventoryUpdate -> SNS inventory-alerts -> email,
 * with the Cognito user pool the dashboard signs in with, and the dashboard API (upload URLs,
 * upload outcomes, products) behind an access-token authorizer.
 */
export class InventoryPipelineStack extends PipelineStack {
  /** The pool the dashboard signs in with, and its hosted-UI domain; the report stack trusts it too. */
  readonly userPool: HostedUiUserPool;
  /** Where the dashboard's presigned POSTs put files (the dashboard stack writes its CORS rule). */
  readonly uploadBucket: SecureBucket;
  /** The dashboard's API (uploads, their outcomes, products), for the dashboard's CloudFront origin. */
  readonly dashboardApi: RestApiAddress;

  constructor(scope: Construct, id: string, config: PipelineConfig) {
    super(scope, id, config);
    const name = (labName: string) => this.resourceName(labName);
    // Digest: ProcessInventoryFile announces each upload once; the stream carries only stock changes.
    const digest = config.scale.inventoryAnnouncements === 'digest';

    // STEP 2: the upload bucket, named as the lab names it when a suffix is configured.
    const uploads = (this.uploadBucket = new SecureBucket(this, 'upload-bucket', {
      ...(config.bucketSuffix
        ? { bucketName: name(`inventory-upload-${config.bucketSuffix}`) }
        : { bucketPrefix: name('inventory-upload-') }),
    }));

    // STEP 4 and STEP 7: the table, streaming old and new images so a change can be judged.
    const inventory = new SecureTable(this, 'inventory-table', {
      tableName: name('InventoryTable'),
      partitionKey: 'productId',
      streamViewType: 'NEW_AND_OLD_IMAGES',
    });

    // The dashboard's record of each upload's outcome, for the page to show.
    const outcomes = new SecureTable(this, 'upload-outcome-table', {
      tableName: name('InventoryUploads'),
      partitionKey: 'owner',
      sortKey: 'uploadId',
      timeToLiveAttribute: 'expiresAt',
    });

    // STEP 6: the topic that emails inventory updates.
    const alerts = new SecureTopic(this, 'alerts-topic', {
      topicName: name('inventory-alerts'),
      emailSubscription: config.notificationEmail,
      smsSubscription: config.notificationSms,
    });

    // STEP 5: ProcessInventoryFile validates a whole upload, then writes it.
    const processFile = new NodejsFunction(this, 'process-inventory-file', {
      functionName: name('ProcessInventoryFile'),
      roleName: name('lambda-inventory-process-role'),
      description: 'Validates each inventory file uploaded under uploads/ and writes its products to InventoryTable',
      entry: 'functions/inventory/process-inventory-file/handler.ts',
      // The lab's BUG 4: 3 s is too short. A 10,000-product file needs a few seconds of writes.
      timeoutSeconds: 120,
      memorySize: 512,
      environment: {
        TABLE_NAME: inventory.name,
        UPLOAD_PREFIX,
        REJECTED_PREFIX,
        MAX_FILE_BYTES: String(MAX_INVENTORY_FILE_BYTES),
        OUTCOME_TABLE_NAME: outcomes.name,
        ...(digest ? { ANNOUNCEMENTS: 'digest', TOPIC_ARN: alerts.arn } : {}),
      },
    });
    outcomes.grantItemActions(processFile.role, 'record-outcome', ['dynamodb:UpdateItem']);
    if (digest) alerts.grantPublish(processFile.role);
    inventory.grantBatchWrite(processFile.role, {
      policyName: name('Inventory-Write-DynamoDB'),
      description: 'Lets ProcessInventoryFile write products',
    });
    // Where a file that fails validation is copied: an inline grant, so that Inventory-Read-S3 only reads.
    uploads.grantWrite(processFile.role, { prefix: REJECTED_PREFIX });
    const uploadTrigger = new S3ToLambda(this, 'uploads', {
      bucket: uploads,
      consumer: processFile,
      keyPrefix: UPLOAD_PREFIX,
      keySuffix: UPLOAD_SUFFIX,
      readPolicyName: name('Inventory-Read-S3'),
      failureQueueName: name('ProcessInventoryFile-failures'),
    });

    // STEP 7: NotifyInventoryUpdate announces new products and low stock.
    const notify = new NodejsFunction(this, 'notify-inventory-update', {
      functionName: name('NotifyInventoryUpdate'),
      roleName: name('lambda-inventory-notify-role'),
      description: 'Emails each new product, and each product whose stock falls to the low-stock threshold',
      entry: 'functions/inventory/notify-inventory-update/handler.ts',
      environment: {
        TOPIC_ARN: alerts.arn,
        LOW_STOCK_THRESHOLD: String(config.lowStockThreshold),
        ...(digest ? { ANNOUNCEMENTS: 'digest' } : {}),
      },
    });
    alerts.grantPublish(notify.role, { policyName: name('Inventory-SNS-Publish') });
    const inventoryChanges = new DynamoDBStreamsToLambda(this, 'inventory-changes', {
      table: inventory,
      consumer: notify,
      readPolicyName: name('Inventory-Read-Stream'),
      failureQueueName: name('NotifyInventoryUpdate-failures'),
      eventNames: digest ? ['MODIFY'] : ['INSERT', 'MODIFY'],
      batchSize: config.scale.streamBatchSize,
      parallelizationFactor: config.scale.streamParallelizationFactor,
    });

    // STEP 8: the user pool the dashboard signs in with.
    const users = (this.userPool = new HostedUiUserPool(this, 'dashboard-users', {
      poolName: name('inventory-users'),
      region: config.region,
      domainPrefixStart: name('inventory'),
    }));

    // The dashboard's API: upload URLs, their outcomes, and the products, for signed-in staff
    // while Cognito accepts their access token (signing out cuts access at once).
    const apiAuthorizer = new AccessTokenAuthorizer(this, 'api-authorizer', {
      functionName: name('InventoryApiAuthorizer'),
      roleName: name('InventoryApiAuthorizer-role'),
      userPoolId: users.pool.id,
    });
    const createUploadUrl = new NodejsFunction(this, 'create-upload-url', {
      functionName: name('CreateUploadUrl'),
      roleName: name('CreateUploadUrl-role'),
      description: 'Issues a presigned POST for one inventory file of the caller, and records it as pending',
      entry: 'functions/inventory/create-upload-url/handler.ts',
      movesFormerGrantIds: false,
      environment: {
        UPLOAD_BUCKET: uploads.name,
        UPLOAD_PREFIX,
        OUTCOME_TABLE_NAME: outcomes.name,
        MAX_FILE_BYTES: String(MAX_INVENTORY_FILE_BYTES),
        URL_EXPIRY_SECONDS: String(UPLOAD_URL_EXPIRY_SECONDS),
      },
    });
    // A presigned POST acts with the signer's permissions: this is what the browser's upload needs.
    uploads.grantWrite(createUploadUrl.role, { prefix: UPLOAD_PREFIX });
    outcomes.grantItemActions(createUploadUrl.role, 'record-pending-upload', ['dynamodb:PutItem']);
    const getUploadOutcome = new NodejsFunction(this, 'get-upload-outcome', {
      functionName: name('GetUploadOutcome'),
      roleName: name('GetUploadOutcome-role'),
      description: "Tells the caller what became of one of their uploads",
      entry: 'functions/inventory/get-upload-outcome/handler.ts',
      movesFormerGrantIds: false,
      environment: { OUTCOME_TABLE_NAME: outcomes.name },
    });
    outcomes.grantItemActions(getUploadOutcome.role, 'read-outcome', ['dynamodb:GetItem']);
    const listProducts = new NodejsFunction(this, 'list-products', {
      functionName: name('ListProducts'),
      roleName: name('ListProducts-role'),
      description: 'Pages through the products, sorted and searched on the server',
      entry: 'functions/inventory/list-products/handler.ts',
      movesFormerGrantIds: false,
      // Scanning and sorting 10,000 products: more memory is more CPU, and so a quicker first page.
      memorySize: 1024,
      environment: { TABLE_NAME: inventory.name, LOW_STOCK_THRESHOLD: String(config.lowStockThreshold) },
    });
    inventory.grantItemActions(listProducts.role, 'scan-products', ['dynamodb:Scan']);
    const dashboardApi = new ApiGatewayToLambda(this, 'dashboard-api', {
      apiName: name('inventory-dashboard'),
      authorizer: apiAuthorizer.authorizer,
      invalidBodyMessage: 'Send a JSON object with the file\'s name and size in bytes, e.g. {"fileName": "inventory.json", "size": 1024}.',
      routes: [
        { method: 'POST', path: '/uploads', function: createUploadUrl.function, requestModel: { name: 'UploadRequest', schema: UPLOAD_REQUEST_SCHEMA } },
        { method: 'GET', path: '/uploads/{uploadId}', function: getUploadOutcome.function },
        { method: 'GET', path: '/products', function: listProducts.function },
      ],
    });
    this.dashboardApi = dashboardApi.address;

    // Left to right as the diagram in the README reads.
    new PipelineDashboard(this, 'dashboard', {
      dashboardName: name('inventory-pipeline'),
      region: config.region,
      panels: [
        dashboardPanels.requests('dashboard API: requests', dashboardApi.restApi, dashboardApi.stage),
        dashboardPanels.function('InventoryApiAuthorizer: checking sign-ins', apiAuthorizer.function),
        dashboardPanels.function('CreateUploadUrl: upload URLs', createUploadUrl),
        dashboardPanels.bucket('upload bucket: files', uploads),
        dashboardPanels.function('ProcessInventoryFile: reading files', processFile),
        dashboardPanels.queue('ProcessInventoryFile failed events', uploadTrigger.failureQueue),
        dashboardPanels.table('InventoryUploads: upload outcomes', outcomes),
        dashboardPanels.table('InventoryTable and its stream', inventory, notify),
        dashboardPanels.function('NotifyInventoryUpdate: announcing changes', notify),
        dashboardPanels.queue('NotifyInventoryUpdate failed batches', inventoryChanges.failureQueue),
        dashboardPanels.notifications('alerts topic: emails', alerts),
        dashboardPanels.function('GetUploadOutcome: telling outcomes', getUploadOutcome),
        dashboardPanels.function('ListProducts: browsing stock', listProducts),
      ],
    });

    new TerraformOutput(this, 'upload_bucket', { value: uploads.name, description: `Upload inventory files under ${UPLOAD_PREFIX}` });
    new TerraformOutput(this, 'table_name', { value: inventory.name });
    new TerraformOutput(this, 'outcome_table_name', { value: outcomes.name });
    new TerraformOutput(this, 'dashboard_api_url', { value: dashboardApi.url, description: 'The dashboard API (POST /uploads, GET /uploads/{uploadId}, GET /products), with a Cognito access token' });
    new TerraformOutput(this, 'topic_arn', { value: alerts.arn });
    new TerraformOutput(this, 'user_pool_id', { value: users.pool.id });
    // The dashboard stack outputs the app client and the hosted UI the page signs in through.
  }
}
