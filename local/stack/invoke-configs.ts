/**
 * Reads how Lambda invokes a function asynchronously (`aws_lambda_function_event_invoke_config`):
 * retries, maximum event age and on-failure destination, with Lambda's defaults for a
 * function that has no such configuration.
 */
import { functionNameOf } from '../lambda/function-arn';
import { numberOr, type Resolve, type SynthesizedStack } from './synthesized-stack';

export interface AsyncInvokeSettings {
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
  /** destination_config.on_failure.destination, resolved, when set. */
  readonly onFailureDestinationArn?: string;
}

/** Lambda's defaults: two retries, events kept for six hours. */
const DEFAULTS = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 };

export function asyncInvokeSettings(stack: SynthesizedStack, functionName: string, resolve: Resolve): AsyncInvokeSettings {
  const config = Object.values(stack.resources('aws_lambda_function_event_invoke_config')).find(
    (candidate) => functionNameOf(resolve(String(candidate.function_name))) === functionName,
  );
  const destination = (config?.destination_config as { on_failure?: { destination?: string } } | undefined)?.on_failure?.destination;
  return {
    maximumRetryAttempts: numberOr(config?.maximum_retry_attempts, DEFAULTS.maximumRetryAttempts),
    maximumEventAgeSeconds: numberOr(config?.maximum_event_age_in_seconds, DEFAULTS.maximumEventAgeSeconds),
    onFailureDestinationArn: destination === undefined ? undefined : resolve(destination),
  };
}
