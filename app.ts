import { App } from 'cdktf';
import { PipelineConfig } from './config';
import { ApiGatewayAccountStack } from './stacks/api-gateway-account';
import { DashboardStack } from './stacks/dashboard';
import { InventoryPipelineStack } from './stacks/inventory-pipeline';
import { OrdersPipelineStack } from './stacks/orders-pipeline';
import { ReportPipelineStack } from './stacks/report-pipeline';
import { STACK_IDS } from './stacks/stack-ids';
import { StateBackendStack } from './stacks/state-backend';

export interface BuildAppOptions {
  /** Where the dashboard's site is built before synth copies it. @default site-build/dashboard in the output folder */
  readonly siteBuildDir?: string;
}

/**
 * Every stack of the project; synth writes each to <outdir>/stacks/<id>. Each declares the
 * stacks it needs deployed first, so `cdktf deploy '*'` applies them in a working order.
 */
export function buildApp(config: PipelineConfig, outdir?: string, options: BuildAppOptions = {}): App {
  const app = new App(outdir ? { outdir } : undefined);
  new StateBackendStack(app, STACK_IDS.stateBackend, config);
  const apiGatewayAccount = new ApiGatewayAccountStack(app, STACK_IDS.apiGatewayAccount, config);
  const orders = new OrdersPipelineStack(app, STACK_IDS.orders, config);
  const inventory = new InventoryPipelineStack(app, STACK_IDS.inventory, config);
  // One sign-in for the whole dashboard: the report API trusts the inventory stack's pool
  // (a cross-stack reference, unless REPORT_USER_POOL_ARN names another pool).
  const report = new ReportPipelineStack(app, STACK_IDS.report, config, { userPool: inventory.userPool.pool });
  // Kept even when REPORT_USER_POOL_ARN cuts the reference: one deploy order whatever the configuration.
  report.addDependency(inventory);

  // Last: the page, reading the pool, the upload bucket and both APIs of the stacks above.
  const dashboard = new DashboardStack(app, STACK_IDS.dashboard, config, {
    userPool: inventory.userPool,
    uploadBucket: inventory.uploadBucket,
    inventoryApi: inventory.dashboardApi,
    reportApi: report.api,
    siteBuildDir: options.siteBuildDir,
  });
  for (const stack of [inventory, report]) dashboard.addDependency(stack);

  // A REST API stage with access logs fails to deploy until the account's CloudWatch role is set.
  for (const stack of [orders, inventory, report]) stack.addDependency(apiGatewayAccount);
  // No stack depends on state-backend, although with STATE_BUCKET each needs its bucket: cdktf
  // runs `terraform init` for every selected stack before it deploys any, so the order could not
  // create the bucket in time, and every deploy would then have to include state-backend, whose
  // state is on the machine that bootstrapped it.
  return app;
}
