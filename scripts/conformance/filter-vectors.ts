import { compileFilterCriteria, sqsFilterView, type RecordMatcher } from '../../local/event-sources/event-filter';
import { errorText, refusalOf, type Outcome } from './outcome';

/**
 * filter.json: patterns, one record, and whether AWS matched it or refused the patterns.
 * Every vector goes through event-filter.ts, the local event source mappings' filter:
 * - `sqs`: the record as Lambda's SQS poller filters it (sqsFilterView parses the body);
 * - `dynamodb`: the stream record as it is;
 * - `event`: an EventBridge event, matched as it is. EventBridge and Lambda's filters are
 *   the same engine (Event Ruler), so these vectors test the same matcher;
 * - `compile`: only whether the patterns are accepted.
 */
interface FilterVector {
  readonly id: string;
  readonly via: 'event' | 'sqs' | 'dynamodb' | 'compile';
  readonly patterns: readonly string[];
  readonly record: unknown;
  readonly expected: 'match' | 'no-match' | 'invalid' | 'valid';
}

export function runFilterVector(vector: FilterVector): Outcome {
  const { id, expected } = vector;
  const different = (actual: unknown): Outcome => ({ id, kind: 'different', expected, actual });
  const failed = (error: unknown, invalidIsSame: boolean): Outcome => {
    const reason = refusalOf(error);
    if (reason !== undefined) return { id, kind: 'refused', reason };
    return invalidIsSame ? { id, kind: 'same' } : different(`invalid: ${errorText(error)}`);
  };
  let matcher: RecordMatcher;
  try {
    matcher = compileFilterCriteria(vector.patterns);
  } catch (error) {
    return failed(error, expected === 'invalid');
  }
  if (expected === 'invalid') return different('valid');
  if (expected === 'valid') return { id, kind: 'same' };
  try {
    const matched = matcher(recordView(vector));
    return matched === (expected === 'match') ? { id, kind: 'same' } : different(matched ? 'match' : 'no-match');
  } catch (error) {
    return failed(error, false);
  }
}

function recordView({ via, record }: FilterVector): object {
  if (via === 'sqs') return sqsFilterView(record as { body: string });
  return record as object;
}
