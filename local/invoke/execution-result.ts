/**
 * A function run as the console's "Execution result" shows it: the status, the response
 * (the handler's result, or Lambda's error shape), the function's log between START and
 * REPORT, and the request id. The response alone is data; the rest is for a person.
 */
import { invocationLog, responsePayload } from '../lambda/execution-report';
import type { FunctionRun } from './invoke-once';

export interface ExecutionResult {
  /** The response payload as JSON, for standard output. */
  readonly response: string;
  /** The status heading and the log, for a person (standard error). */
  readonly heading: string;
  readonly log: readonly string[];
  readonly requestId: string;
}

export function executionResult(run: FunctionRun): ExecutionResult {
  const { invocation } = run;
  const status = invocation.ok ? 'Succeeded' : invocation.timedOut ? 'Failed (timed out)' : 'Failed';
  return {
    response: JSON.stringify(responsePayload(invocation), null, 2),
    heading: `Execution result: ${status} (${run.functionName})`,
    log: invocationLog(invocation, { init: run.initLogLines, invoke: run.logLines }, run.memorySizeMb),
    requestId: invocation.requestId,
  };
}
