import { localBucketName } from '../../../local/provision/buckets';
import { stackPartFor } from '../../../local/stack/function-reach';
import { findFunction, stackFunctions, UnknownFunctionError } from '../../../local/stack/stack-functions';
import { SynthesizedStack } from '../../../local/stack/synthesized-stack';
import { InventoryPipelineStack } from '../../../stacks/inventory-pipeline';
import { OrdersPipelineStack } from '../../../stacks/orders-pipeline';
import { synthStack, TEST_CONFIG, ReportPipelineTestStack } from '../../support/synth';

const orders = synthStack(OrdersPipelineStack, 'orders-pipeline', { ...TEST_CONFIG, notificationEmail: 'ops@example.com' }).stack;
const inventory = synthStack(InventoryPipelineStack, 'inventory-pipeline').stack;
const report = synthStack(ReportPipelineTestStack, 'report-pipeline').stack;

/** What the part holds, by type, as the names the stack gives them. */
function reach(stack: SynthesizedStack, functionName: string): Record<string, string[]> {
  const part = stackPartFor(stack, findFunction(stack, functionName).resourceName);
  const named = (type: string, attribute: string) => Object.values(part.resources(type)).map((config) => String(config[attribute])).sort();
  return {
    functions: named('aws_lambda_function', 'function_name'),
    tables: named('aws_dynamodb_table', 'name'),
    queues: named('aws_sqs_queue', 'name'),
    topics: named('aws_sns_topic', 'name'),
    subscriptions: named('aws_sns_topic_subscription', 'endpoint'),
    buckets: Object.values(part.resources('aws_s3_bucket')).map(localBucketName).sort(),
    databases: named('aws_rds_cluster', 'cluster_identifier'),
    invocations: Object.keys(part.resources('aws_lambda_invocation')),
  };
}

const NOTHING = { functions: [], tables: [], queues: [], topics: [], subscriptions: [], buckets: [], databases: [], invocations: [] };

describe('the part of a stack one function reaches', () => {
  it('POC-Lambda-1: the table it writes, not the queue it is polled from', () => {
    expect(reach(orders, 'test-POC-Lambda-1')).toEqual({ ...NOTHING, functions: ['test-POC-Lambda-1'], tables: ['test-orders'] });
  });

  it("POC-Lambda-2: its topic with the topic's subscriptions and its failure queue, not the table whose stream it reads", () => {
    expect(reach(orders, 'test-POC-Lambda-2')).toEqual({
      ...NOTHING,
      functions: ['test-POC-Lambda-2'],
      topics: ['test-POC-Topic'],
      subscriptions: ['ops@example.com'],
      queues: ['test-POC-Lambda-2-failures'],
    });
  });

  it('ProcessInventoryFile: the bucket its role may read, which no environment variable names', () => {
    expect(reach(inventory, 'process-inventory-file')).toMatchObject({ tables: ['test-InventoryTable', 'test-InventoryUploads'], buckets: [expect.stringContaining('inventory-upload')] });
  });

  it('FetchSupplierData: the database, and the migrations the deploy runs on it first', () => {
    expect(reach(report, 'test-FetchSupplierData')).toEqual({
      ...NOTHING,
      functions: ['test-FetchSupplierData', 'test-MigrateReportDatabase'],
      databases: [expect.any(String)],
      invocations: ['apply-migrations'],
    });
    // A function that shares no data with the migrations does not run them.
    expect(reach(report, 'test-RenderReport').invocations).toEqual([]);
  });

  it('leaves out whatever invokes the function', () => {
    for (const stack of [orders, inventory, report]) {
      for (const { resourceName } of stackFunctions(stack)) {
        const part = stackPartFor(stack, resourceName);
        // What a dashboard function reads is no invoker: an API authorizer checks tokens against
        // its pool, ReportStatus describes the workflow's executions.
        const reads = resourceName.startsWith('api-authorizer') ? 'aws_cognito_user_pool' : resourceName.startsWith('report-status') ? 'aws_sfn_state_machine' : '';
        for (const type of ['aws_lambda_event_source_mapping', 'aws_s3_bucket_notification', 'aws_sfn_state_machine', 'aws_api_gateway_rest_api', 'aws_api_gateway_authorizer', 'aws_cognito_user_pool']) {
          if (type !== reads) expect(part.resources(type)).toEqual({});
        }
        expect(part.json.output).toBeUndefined();
      }
    }
  });
});

describe('a function by the name a person uses', () => {
  it("is found by its function name, its construct id, or the lab's name", () => {
    expect(findFunction(orders, 'test-POC-Lambda-1')).toMatchObject({ functionName: 'test-POC-Lambda-1', constructId: 'store-order' });
    expect(findFunction(orders, 'store-order').functionName).toBe('test-POC-Lambda-1');
    expect(findFunction(inventory, 'ProcessInventoryFile').functionName).toBe('test-ProcessInventoryFile');
    // A lab's name that fits more than one function names none of them.
    const twoNotifiers = new SynthesizedStack({
      resource: { aws_lambda_function: { a_function_0A1B2C3D: { function_name: 'dev-a-Notify' }, b_function_4E5F6A7B: { function_name: 'dev-b-Notify' } } },
    });
    expect(findFunction(twoNotifiers, 'a-Notify').functionName).toBe('dev-a-Notify');
    expect(() => findFunction(twoNotifiers, 'Notify')).toThrow(UnknownFunctionError);
  });

  it('an unknown name lists the functions of the stack', () => {
    expect(() => findFunction(orders, 'POC-Lambda-3')).toThrow(UnknownFunctionError);
    expect(() => findFunction(orders, 'POC-Lambda-3')).toThrow(
      'There is no function named "POC-Lambda-3". Functions of this stack: test-POC-Lambda-2 (notify-new-order), test-POC-Lambda-1 (store-order).',
    );
  });
});
