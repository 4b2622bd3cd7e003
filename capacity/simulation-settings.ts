/** The orders simulation's settings, read from a synthesized orders-pipeline stack as AWS would run it. */
import { QUOTAS } from './aws-limits-and-prices';
import { DURATIONS } from './measured-durations';
import type { OrdersSimulationSettings } from './orders-simulation';
import { NEW_TABLE_SHARDS } from './pipeline-capacity';
import { apiThrottle, emailSubscriptionsOf, isQueueMapping, isStreamMapping, mappingSettings, resourcesOf, theOne, type TerraformJson } from './synthesized-stack';

/** Lambda polls an idle stream shard four times a second. */
const AWS_STREAM_POLL_INTERVAL_MS = 250;

export function ordersSimulationSettings(stack: TerraformJson, options: { emailAddresses?: number } = {}): OrdersSimulationSettings {
  const throttle = apiThrottle(stack);
  const queue = mappingSettings(stack, theOne(stack, 'aws_lambda_event_source_mapping', 'the queue trigger', isQueueMapping));
  const stream = mappingSettings(stack, resourcesOf(stack, 'aws_lambda_event_source_mapping').filter(isStreamMapping)[0]);
  const addresses = options.emailAddresses ?? emailSubscriptionsOf(stack, stream.consumer.environment.TOPIC_ARN);
  return {
    apiRateLimit: throttle.rate,
    apiBurstLimit: throttle.burst,
    queueBatchSize: queue.batchSize,
    queueConcurrency: Math.min(queue.maximumConcurrency ?? QUOTAS.sqsMaximumConcurrency.value, queue.consumer.reservedConcurrency ?? Infinity),
    pollerRamp: true,
    storeOrder: DURATIONS.storeOrder,
    streamBatchSize: stream.batchSize,
    parallelizationFactor: stream.parallelizationFactor,
    shards: NEW_TABLE_SHARDS,
    streamPollIntervalMs: AWS_STREAM_POLL_INTERVAL_MS,
    notifyNewOrder: DURATIONS.notifyNewOrder,
    // Every address is one email per order, from the account's 10 a second.
    emailsPerSecond: addresses > 0 ? QUOTAS.snsEmailDelivery.value / addresses : undefined,
    // Estimates for the hops the model does not queue (not measured in AWS here).
    overheadMs: { apiToQueue: 20, invoke: 10, delivery: 100 },
  };
}
