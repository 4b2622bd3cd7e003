/**
 * The three answers a conformance run can give for one AWS-recorded vector: the same
 * answer as AWS, a loud refusal of something the local runtime does not claim ("not
 * supported locally"), or a different answer, which is a defect.
 */
export type Outcome =
  | { readonly id: string; readonly kind: 'same' }
  | { readonly id: string; readonly kind: 'refused'; readonly reason: string }
  | { readonly id: string; readonly kind: 'different'; readonly expected: unknown; readonly actual: unknown };

export interface AreaReport {
  /** e.g. "mapping templates" */
  readonly area: string;
  readonly outcomes: readonly Outcome[];
}

export interface Counts {
  readonly same: number;
  readonly refused: number;
  readonly different: number;
}

const REFUSAL = /not supported locally/i;

/**
 * The text of an error that is a loud refusal, or undefined for any other error. A local
 * API Gateway error keeps the renderer's words in its execution-log line, so that counts too.
 */
export function refusalOf(error: unknown): string | undefined {
  const texts = [error instanceof Error ? error.message : String(error)];
  const log = (error as { details?: { log?: unknown } } | undefined)?.details?.log;
  if (typeof log === 'string') texts.push(log);
  return texts.find((text) => REFUSAL.test(text));
}

/** What an error that is not a refusal says, as the "actual" answer of a different outcome. */
export function errorText(error: unknown): string {
  const log = (error as { details?: { log?: unknown } } | undefined)?.details?.log;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return typeof log === 'string' ? `${message} (${log})` : message;
}

export function countsOf(outcomes: readonly Outcome[]): Counts {
  const count = (kind: Outcome['kind']) => outcomes.filter((outcome) => outcome.kind === kind).length;
  return { same: count('same'), refused: count('refused'), different: count('different') };
}

/** 0 when no vector got a different answer, 1 otherwise. */
export function exitCodeOf(reports: readonly AreaReport[]): number {
  return reports.some((report) => countsOf(report.outcomes).different > 0) ? 1 : 0;
}

/** One line of counts per area, then every different answer, then (verbose) every refusal. */
export function formatReport(reports: readonly AreaReport[], verbose: boolean): string {
  const lines: string[] = [];
  const width = Math.max(...reports.map((report) => report.area.length));
  for (const { area, outcomes } of reports) {
    const { same, refused, different } = countsOf(outcomes);
    lines.push(`${area.padEnd(width)}  ${same} of ${outcomes.length} same as AWS, ${refused} refused (not supported locally), ${different} different`);
  }
  for (const { area, outcomes } of reports) {
    for (const outcome of outcomes) {
      if (outcome.kind === 'different') {
        lines.push(`DIFFERENT ${area} ${outcome.id}`, `  AWS:   ${show(outcome.expected)}`, `  local: ${show(outcome.actual)}`);
      } else if (outcome.kind === 'refused' && verbose) {
        lines.push(`refused   ${area} ${outcome.id}: ${outcome.reason}`);
      }
    }
  }
  return lines.join('\n');
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}
