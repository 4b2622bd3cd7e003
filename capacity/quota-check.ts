/**
 * Settings of the synthesized stacks, taken together, against the default quotas of a fresh
 * account: what would need a quota increase (or cannot work at all) before a deploy.
 */
import { QUOTAS } from './aws-limits-and-prices';
import { apiThrottle, functionSettings, isQueueMapping, mappingSettings, resourcesOf, type TerraformJson } from './synthesized-stack';

export interface QuotaFinding {
  readonly quota: string;
  readonly needed: number;
  readonly defaultValue: number;
  readonly raisable: boolean;
  readonly message: string;
}

function finding(quota: { what: string; value: number; raisable: boolean; unit: string }, needed: number, why: string): QuotaFinding {
  const remedy = quota.raisable ? 'ask for an increase in Service Quotas before deploying' : 'this limit cannot be raised: lower the settings';
  return {
    quota: quota.what,
    needed,
    defaultValue: quota.value,
    raisable: quota.raisable,
    message: `${why} needs ${needed} ${quota.unit}; the default ${quota.what} is ${quota.value}: ${remedy}.`,
  };
}

export function quotaFindings(stacks: ReadonlyMap<string, TerraformJson>): QuotaFinding[] {
  const all = [...stacks.values()];
  const findings: QuotaFinding[] = [];

  const reserved = all.flatMap((stack) => resourcesOf(stack, 'aws_lambda_function').map(functionSettings)).reduce((sum, fn) => sum + (fn.reservedConcurrency ?? 0), 0);
  const reservable = QUOTAS.lambdaConcurrency.value - QUOTAS.lambdaUnreservedMinimum.value;
  if (reserved > reservable) {
    findings.push(finding({ ...QUOTAS.lambdaConcurrency, what: 'Lambda concurrency less the 100 that must stay unreserved', value: reservable }, reserved, 'Reserved concurrency of all functions'));
  }

  const queuePollers = all
    .flatMap((stack) => resourcesOf(stack, 'aws_lambda_event_source_mapping').filter(isQueueMapping).map((mapping) => mappingSettings(stack, mapping)))
    .reduce((sum, mapping) => sum + (mapping.maximumConcurrency ?? 0), 0);
  if (queuePollers > QUOTAS.lambdaConcurrency.value) {
    findings.push(finding(QUOTAS.lambdaConcurrency, queuePollers, 'The queues\' maximum concurrency, added up,'));
  }

  const apis = all.filter((stack) => resourcesOf(stack, 'aws_api_gateway_method_settings').length > 0).map(apiThrottle);
  const rate = apis.reduce((sum, api) => sum + api.rate, 0);
  const burst = apis.reduce((sum, api) => sum + api.burst, 0);
  if (rate > QUOTAS.apiGatewayAccountRate.value) findings.push(finding(QUOTAS.apiGatewayAccountRate, rate, 'The API stages\' rate limits, added up,'));
  if (burst > QUOTAS.apiGatewayAccountBurst.value) findings.push(finding(QUOTAS.apiGatewayAccountBurst, burst, 'The API stages\' burst limits, added up,'));

  for (const stack of all) {
    for (const cluster of resourcesOf(stack, 'aws_rds_cluster')) {
      const scaling = cluster.config.serverlessv2_scaling_configuration as { max_capacity?: number } | undefined;
      if ((scaling?.max_capacity ?? 0) > QUOTAS.auroraMaxAcu.value) findings.push(finding(QUOTAS.auroraMaxAcu, scaling?.max_capacity ?? 0, 'The Aurora cluster'));
    }
  }
  return findings;
}
