/**
 * Where a report lives in the report bucket: one object per state machine execution, so
 * the render step and the presign step (parallel branches that never see each other's
 * output) name the same object from the execution name alone.
 */
export const REPORT_PREFIX = 'reports/';

/** Step Functions execution names: 1-80 characters of letters, digits, `-` and `_`. */
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export function reportKeyFor(executionName: string): string {
  // The type is checked too: a missing name would otherwise pass as the text "undefined".
  if (typeof executionName !== 'string' || !EXECUTION_NAME.test(executionName)) {
    throw new Error(`Execution name ${JSON.stringify(executionName)} is not 1-80 letters, digits, '-' or '_'`);
  }
  return `${REPORT_PREFIX}${executionName}.html`;
}
