import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { PipelineConfig } from '../../config';
import { InventoryPipelineStack } from '../../stacks/inventory-pipeline';
import { OrdersPipelineStack } from '../../stacks/orders-pipeline';
import { synthStack, ReportPipelineTestStack } from '../support/synth';

/**
 * Inline policies whose grant got a name different from the construct id they were
 * deployed under (at 57ce7aa): each `from` is the address a deployed stack's state holds,
 * copied from that commit's synthesized JSON, so that Terraform moves the policy rather
 * than destroying and creating one of the same name in either order.
 */
const MOVES: [string, new (scope: Construct, id: string, config: PipelineConfig) => TerraformStack, [from: string, to: string, policyName: string][]][] = [
  [
    'orders-pipeline',
    OrdersPipelineStack,
    [
      ['store-order_execution-role_observability_F555A0DB', 'store-order_execution-role_write-own-logs-and-traces_7B80ECCB', 'write-own-logs-and-traces'],
      ['notify-new-order_execution-role_observability_2DF29ED4', 'notify-new-order_execution-role_write-own-logs-and-traces_043ACB2C', 'write-own-logs-and-traces'],
      ['order-api_role_send_062E1CFE', 'order-api_role_send-to-queue_61FFA92A', 'send-to-queue'],
    ],
  ],
  [
    'inventory-pipeline',
    InventoryPipelineStack,
    [
      ['process-inventory-file_execution-role_observability_31EE6DFB', 'process-inventory-file_execution-role_write-own-logs-and-traces_F6983DD5', 'write-own-logs-and-traces'],
      ['notify-inventory-update_execution-role_observability_D07914EE', 'notify-inventory-update_execution-role_write-own-logs-and-traces_D4377C07', 'write-own-logs-and-traces'],
    ],
  ],
  [
    'report-pipeline',
    ReportPipelineTestStack,
    [
      ['migrate-database_execution-role_observability_47325AD6', 'migrate-database_execution-role_write-own-logs-and-traces_A30E8AB9', 'write-own-logs-and-traces'],
      ['migrate-database_execution-role_vpc-access_BBF74D6D', 'migrate-database_execution-role_attach-to-vpc_A987BD8A', 'attach-to-vpc'],
      ['fetch-supplier-data_execution-role_observability_80947022', 'fetch-supplier-data_execution-role_write-own-logs-and-traces_3F2BB0F3', 'write-own-logs-and-traces'],
      ['fetch-supplier-data_execution-role_vpc-access_98AD4B29', 'fetch-supplier-data_execution-role_attach-to-vpc_5083DA96', 'attach-to-vpc'],
      ['render-report_execution-role_observability_557B0AA9', 'render-report_execution-role_write-own-logs-and-traces_7F1E5D07', 'write-own-logs-and-traces'],
      ['presign-report-url_execution-role_observability_1FF809A1', 'presign-report-url_execution-role_write-own-logs-and-traces_874345AD', 'write-own-logs-and-traces'],
      ['workflow_role_policy_6F81BCA0', 'workflow_role_run-workflow_18BEE060', 'run-workflow'],
      ['create-report-api_role_start_B4729287', 'create-report-api_role_start-execution_59661F82', 'start-execution'],
    ],
  ],
];

describe.each(MOVES)('%s: renamed grants move', (id, StackType, moves) => {
  const { synthesized, stack } = synthStack(StackType, id);
  const moved = (JSON.parse(synthesized) as { moved?: { from: string; to: string }[] }).moved ?? [];
  const inline = stack.resources('aws_iam_role_policy');

  it('from each deployed address to the new one, and nothing else', () => {
    expect(moved).toEqual(expect.arrayContaining(moves.map(([from, to]) => ({ from: `aws_iam_role_policy.${from}`, to: `aws_iam_role_policy.${to}` }))));
    expect(moved).toHaveLength(moves.length);
  });

  it.each(moves)('%s: the new address holds the policy of the same name, the old one is gone', (from, to, policyName) => {
    expect(inline[to]).toMatchObject({ name: policyName });
    expect(inline[from]).toBeUndefined();
  });
});
