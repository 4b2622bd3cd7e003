import { App } from 'cdktf';
import { PipelineConfig } from './config';
import { ApiGatewayAccountStack } from './stacks/api-gateway-account';
import { InventoryPipelineStack } from './stacks/inventory-pipeline';
import { OrdersPipelineStack } from './stacks/orders-pipeline';
import { ReportPipelineStack } from './stacks/report-pipeline';
import { STACK_IDS } from './stacks/stack-ids';
import { StateBackendStack } from './stacks/state-backend';

/** Every stack of the project; synth writes each to <outdir>/stacks/<id>. */
export function buildApp(config: PipelineConfig, outdir?: string): App {
  const app = new App(outdir ? { outdir } : undefined);
  new StateBackendStack(app, STACK_IDS.stateBackend, config);
  new ApiGatewayAccountStack(app, STACK_IDS.apiGatewayAccount, config);
  new OrdersPipelineStack(app, STACK_IDS.orders, config);
  new InventoryPipelineStack(app, STACK_IDS.inventory, config);
  new ReportPipelineStack(app, STACK_IDS.report, config);
  return app;
}
