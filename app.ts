import { App } from 'cdktf';
import { PipelineConfig } from './config';
import { ApiGatewayAccountStack } from './stacks/api-gateway-account';
import { InventoryPipelineStack } from './stacks/inventory-pipeline';
import { OrdersPipelineStack } from './stacks/orders-pipeline';
import { ReportPipelineStack } from './stacks/report-pipeline';

/** Every stack of the project; synth writes each to <outdir>/stacks/<id>. */
export function buildApp(config: PipelineConfig, outdir?: string): App {
  const app = new App(outdir ? { outdir } : undefined);
  new ApiGatewayAccountStack(app, 'api-gateway-account', config);
  new OrdersPipelineStack(app, 'orders-pipeline', config);
  new InventoryPipelineStack(app, 'inventory-pipeline', config);
  new ReportPipelineStack(app, 'report-pipeline', config);
  return app;
}
