/**
 * The app's stacks by the ids cdktf and `npm run local` know them by: written once, so that
 * a command can refuse an unknown stack before it spends a synth on it.
 */
export const STACK_IDS = {
  stateBackend: 'state-backend',
  apiGatewayAccount: 'api-gateway-account',
  orders: 'orders-pipeline',
  inventory: 'inventory-pipeline',
  report: 'report-pipeline',
  dashboard: 'dashboard',
} as const;
