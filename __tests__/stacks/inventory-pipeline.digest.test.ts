/**
 * INVENTORY_ANNOUNCEMENTS=digest: ProcessInventoryFile announces each upload once, so it
 * alone gains the right to publish; the stream then carries only stock changes to
 * NotifyInventoryUpdate. The seed's per-product mode is inventory-pipeline.test.ts's.
 */
import { loadConfig } from '../../config';
import { InventoryPipelineStack } from '../../stacks/inventory-pipeline';
import { OTHER_ACCOUNT } from '../support/fake-aws';
import { StackIam } from '../support/iam';
import { functionOf, only, synthStack } from '../support/synth';

const config = loadConfig({ PIPELINE_ENV: 'test', INVENTORY_ANNOUNCEMENTS: 'digest' });
const { stack } = synthStack(InventoryPipelineStack, 'inventory-pipeline', config);
const iam = new StackIam(stack, config.region);
const topic = iam.arnOf('aws_sns_topic', 'test-inventory-alerts');
const topicReference = `\${aws_sns_topic.${stack.findName('aws_sns_topic', 'name', 'test-inventory-alerts')}.arn}`;

describe('the inventory pipeline with digest announcements', () => {
  it('tells both functions, and gives ProcessInventoryFile the topic', () => {
    expect(functionOf(stack, 'test-ProcessInventoryFile').variables).toMatchObject({ ANNOUNCEMENTS: 'digest', TOPIC_ARN: topicReference });
    expect(functionOf(stack, 'test-NotifyInventoryUpdate').variables).toMatchObject({ ANNOUNCEMENTS: 'digest', TOPIC_ARN: topicReference });
  });

  it('passes only MODIFY records to NotifyInventoryUpdate: new products cost no invocation', () => {
    const [, mapping] = only(stack.resources('aws_lambda_event_source_mapping'));
    expect(mapping.filter_criteria).toEqual({ filter: [{ pattern: JSON.stringify({ eventName: ['MODIFY'] }) }] });
  });

  it('lets ProcessInventoryFile publish to inventory-alerts and to no other topic', async () => {
    const role = 'test-lambda-inventory-process-role';
    await iam.expectDecisions(role, [['sns:Publish', topic]], 'Allowed');
    await iam.expectDecisions(role, [
      ['sns:Publish', topic.replace('111122223333', OTHER_ACCOUNT)],
      ['sns:Publish', topic.replace('test-inventory-alerts', 'test-inventory-pipeline-ops')],
      ['sns:Subscribe', topic],
    ], 'ImplicitlyDenied');
  });
});
