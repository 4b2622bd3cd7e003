import { ApiGatewayAccountStack } from '../../stacks/api-gateway-account';
import { InventoryPipelineStack } from '../../stacks/inventory-pipeline';
import { stateFileName } from '../../stacks/state-storage';
import { synthStack, TEST_CONFIG } from '../support/synth';

describe('where a stack keeps its state', () => {
  it('without STATE_BUCKET: a local file per environment and stack in the project root', () => {
    const { stack } = synthStack(InventoryPipelineStack, 'inventory-pipeline');
    expect(stack.json.terraform).toMatchObject({ backend: { local: { path: '../../../terraform.test.inventory-pipeline.tfstate' } } });
    expect(Object.keys((stack.json.terraform as { backend: object }).backend)).toEqual(['local']);
  });

  it('with STATE_BUCKET: the bucket, one encrypted key per environment and stack, locked by a lock file', () => {
    const { stack } = synthStack(InventoryPipelineStack, 'inventory-pipeline', { ...TEST_CONFIG, environment: 'prod', region: 'eu-west-2', stateBucket: 'acme-pipelines-tfstate' });
    expect((stack.json.terraform as { backend: object }).backend).toEqual({
      s3: { bucket: 'acme-pipelines-tfstate', key: 'prod/inventory-pipeline.tfstate', region: 'eu-west-2', encrypt: true, use_lockfile: true },
    });
  });

  it('with STATE_BUCKET requires a Terraform that honours the lock file; without it, any', () => {
    const shared = synthStack(InventoryPipelineStack, 'inventory-pipeline', { ...TEST_CONFIG, stateBucket: 'acme-pipelines-tfstate' });
    expect(shared.stack.json.terraform).toMatchObject({ required_version: '>= 1.10' });
    const local = synthStack(InventoryPipelineStack, 'inventory-pipeline');
    expect(local.stack.json.terraform).not.toHaveProperty('required_version');
  });

  it('a stack deployed once per account has one key, outside every environment', () => {
    const { stack } = synthStack(ApiGatewayAccountStack, 'api-gateway-account', { ...TEST_CONFIG, stateBucket: 'acme-pipelines-tfstate' });
    expect(stack.json.terraform).toMatchObject({ backend: { s3: { key: 'api-gateway-account.tfstate' } } });
  });

  it('names keys <env>/<stack>.tfstate, and <stack>.tfstate for a stack deployed once per account', () => {
    expect(stateFileName({ stackId: 'orders-pipeline', environment: 'dev' })).toBe('dev/orders-pipeline.tfstate');
    expect(stateFileName({ stackId: 'orders-pipeline', environment: 'prod' })).toBe('prod/orders-pipeline.tfstate');
    expect(stateFileName({ stackId: 'api-gateway-account' })).toBe('api-gateway-account.tfstate');
  });
});
