/**
 * Reads how Lambda polls for each function (`aws_lambda_event_source_mapping`): the
 * source, batch size, filters and failure handling, with AWS's defaults for what the
 * stack leaves out and every reference resolved to its local value.
 */
import { numberOr, type Resolve, type SynthesizedStack } from './synthesized-stack';

interface MappingCommon {
  /** The function, by name or ARN as the mapping names it. */
  readonly functionReference: string;
  readonly eventSourceArn: string;
  readonly batchSize: number;
  /** filter_criteria.filter[].pattern */
  readonly filterPatterns: readonly string[];
  /** function_response_types includes ReportBatchItemFailures. */
  readonly reportBatchItemFailures: boolean;
}

export interface SqsMappingSettings extends MappingCommon {
  readonly source: 'sqs';
  /** scaling_config.maximum_concurrency, when set. */
  readonly maximumConcurrency?: number;
}

export interface StreamMappingSettings extends MappingCommon {
  readonly source: 'dynamodb-stream';
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  readonly bisectBatchOnFunctionError: boolean;
  /** -1: retried until the record expires (AWS's default). */
  readonly maximumRetryAttempts: number;
  /** -1: no limit (AWS's default). */
  readonly maximumRecordAgeSeconds: number;
  readonly maximumBatchingWindowSeconds: number;
  /** destination_config.on_failure.destination_arn, when set. */
  readonly onFailureDestinationArn?: string;
}

export type EventSourceMappingSettings = SqsMappingSettings | StreamMappingSettings;

/** Lambda's batch sizes when a mapping sets none. */
const DEFAULT_BATCH_SIZE = { sqs: 10, 'dynamodb-stream': 100 } as const;

/**
 * @param streamArns the stack's stream ARNs as resolved locally: DynamoDB Local's differ in
 *   shape from AWS's, so a stream is recognised by being one of the stack's
 */
export function eventSourceMappings(stack: SynthesizedStack, resolve: Resolve, streamArns: ReadonlySet<string>): EventSourceMappingSettings[] {
  return Object.values(stack.resources('aws_lambda_event_source_mapping')).map((mapping): EventSourceMappingSettings => {
    const eventSourceArn = resolve(String(mapping.event_source_arn));
    const common = {
      functionReference: resolve(String(mapping.function_name)),
      eventSourceArn,
      filterPatterns: ((mapping.filter_criteria as { filter?: { pattern: string }[] } | undefined)?.filter ?? []).map((filter) => filter.pattern),
      reportBatchItemFailures: ((mapping.function_response_types as string[] | undefined) ?? []).includes('ReportBatchItemFailures'),
    };
    if (eventSourceArn.startsWith('arn:aws:sqs:')) {
      return {
        ...common,
        source: 'sqs',
        batchSize: numberOr(mapping.batch_size, DEFAULT_BATCH_SIZE.sqs),
        maximumConcurrency: (mapping.scaling_config as { maximum_concurrency?: number } | undefined)?.maximum_concurrency,
      };
    }
    if (streamArns.has(eventSourceArn)) {
      const onFailure = (mapping.destination_config as { on_failure?: { destination_arn?: string } } | undefined)?.on_failure?.destination_arn;
      return {
        ...common,
        source: 'dynamodb-stream',
        batchSize: numberOr(mapping.batch_size, DEFAULT_BATCH_SIZE['dynamodb-stream']),
        startingPosition: mapping.starting_position === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
        bisectBatchOnFunctionError: mapping.bisect_batch_on_function_error === true,
        maximumRetryAttempts: numberOr(mapping.maximum_retry_attempts, -1),
        maximumRecordAgeSeconds: numberOr(mapping.maximum_record_age_in_seconds, -1),
        maximumBatchingWindowSeconds: numberOr(mapping.maximum_batching_window_in_seconds, 0),
        onFailureDestinationArn: onFailure === undefined ? undefined : resolve(onFailure),
      };
    }
    throw new Error(`The local runtime cannot poll ${eventSourceArn}: only the stack's own SQS queues and DynamoDB streams are supported`);
  });
}
