import { TerraformStack } from 'cdktf';
import { buildApp } from '../app';
import { STACK_IDS } from '../stacks/stack-ids';
import { TEST_CONFIG } from './support/synth';

/** Each stack's id and the ids of the stacks it needs deployed first, as cdktf writes them to manifest.json. */
function deployOrder(stateBucket?: string): Record<string, string[]> {
  const app = buildApp({ ...TEST_CONFIG, stateBucket });
  const stacks = app.node.children.filter((child): child is TerraformStack => child instanceof TerraformStack);
  return Object.fromEntries(stacks.map((stack) => [stack.node.id, stack.dependencies.map((dependency) => dependency.node.id).sort()]));
}

describe('deploy order', () => {
  it('holds every stack of STACK_IDS', () => {
    expect(Object.keys(deployOrder()).sort()).toEqual(Object.values(STACK_IDS).sort());
  });

  it('the pipelines with a REST API need api-gateway-account, whose CloudWatch role their access logs need', () => {
    expect(deployOrder()).toEqual({
      'state-backend': [],
      'api-gateway-account': [],
      'orders-pipeline': ['api-gateway-account'],
      'inventory-pipeline': [],
      'report-pipeline': ['api-gateway-account'],
    });
  });

  it('is the same with STATE_BUCKET: cdktf inits every selected stack before deploying any, so no stack waits for state-backend', () => {
    expect(deployOrder('acme-pipelines-tfstate')).toEqual(deployOrder());
  });
});
