/**
 * Turns pipeline events into lines a person can follow in a terminal: what started and
 * where, then each stage an order passes (request, invocation, notification).
 */
import type { CapturedNotification } from '../sns/notification-inbox';
import type { PipelineEvent } from './pipeline-events';
import { fitLineToTerminal } from './terminal-line';
import type { StateMachineEvent } from '../step-functions/execution-events';

export interface TerminalReportOptions {
  /** Show each function's own log lines. @default true */
  readonly functionLogs?: boolean;
}

export function formatPipelineEvent(event: PipelineEvent, options: TerminalReportOptions = {}): string | undefined {
  const text = describe(event, options);
  // An email is printed whole: it is what a person reads and acts on (the report's link),
  // and SNS already bounds it (256 KB).
  if (text === undefined || event.kind === 'notification') return text;
  return text.split('\n').map(fitLineToTerminal).join('\n');
}

function describe(event: PipelineEvent, options: TerminalReportOptions): string | undefined {
  switch (event.kind) {
    case 'emulator':
      return `started   ${event.name} on ${event.endpoint}`;
    case 'resource':
      return `created   ${event.resource.type} ${event.resource.name}${event.resource.detail ? ` (${event.resource.detail})` : ''}`;
    case 'function':
      return `function  ${event.functionName} <- ${event.trigger}`;
    case 'api':
      return `listening REST API on ${event.url}${event.throttled ? '' : ' (throttling off)'}`;
    case 'request':
      return `api       ${summarizeAccessLog(event.accessLog)}`;
    case 'api-log':
      return `  api log ${event.line}`;
    case 'invocation': {
      const outcome = event.invocation.ok
        ? event.failedRecords === 0
          ? 'ok'
          : `${event.failedRecords} of ${event.records} record(s) failed, kept for retry`
        : `${event.invocation.error.errorType}: ${event.invocation.error.errorMessage}`;
      return `invoke    ${event.functionName} <- ${event.source}: ${event.records} record(s), ${Math.round(event.invocation.durationMs)} ms, ${outcome}`;
    }
    case 'discarded':
      return `gave up   ${event.functionName}: ${event.records} record(s) ${event.reason}${event.destination ? ` -> ${event.destination}` : ''}`;
    case 'log':
      return options.functionLogs === false ? undefined : `  log     ${event.functionName}: ${summarizeLogLine(event.line)}`;
    case 'notification':
      return describeNotification(event.notification);
    case 'execution':
      return describeExecutionEvent(event.stateMachine, event.event);
    case 'error':
      return `error     ${event.where}: ${event.error instanceof Error ? event.error.message : String(event.error)}`;
    case 'alarms': {
      const total = event.evaluated + event.notEvaluated.length;
      if (total === 0) return undefined;
      const skipped = event.notEvaluated.length === 0 ? '' : `; not measured locally: ${event.notEvaluated.join(', ')}`;
      return `alarms    ${event.evaluated} of ${total} evaluated locally${skipped}`;
    }
    case 'alarm':
      return `ALARM     ${event.alarmName}: ${event.reason}`;
  }
}

/**
 * The email, and the text, a publish would send. With no subscriber at all the email is
 * still shown: it is what the topic would send once someone subscribes.
 */
function describeNotification(notification: CapturedNotification): string {
  const body = notification.message
    .split('\n')
    .map((line) => `          | ${line}`)
    .join('\n');
  const { emailSubscribers, smsSubscribers } = notification;
  const parts: string[] = [];
  if (emailSubscribers.length > 0 || smsSubscribers.length === 0) {
    const to = emailSubscribers.length > 0 ? emailSubscribers.join(', ') : 'the topic subscribers';
    parts.push(`email     to ${to} (captured, not sent)\n          | Subject: ${notification.subject ?? '(none)'}\n${body}`);
  }
  // SMS carries no subject: the phone shows the message alone.
  if (smsSubscribers.length > 0) parts.push(`sms       to ${smsSubscribers.join(', ')} (captured, not sent)\n${body}`);
  return parts.join('\n');
}

/** One line per step a person follows; entering each state would be noise. */
function describeExecutionEvent(stateMachine: string, event: StateMachineEvent): string | undefined {
  const prefix = `execute   ${stateMachine} ${event.name}:`;
  switch (event.type) {
    case 'ExecutionStarted':
      return `${prefix} started`;
    case 'TaskFailed':
      return `${prefix} ${event.state} failed with ${event.error}`;
    case 'StateRetried':
      return `${prefix} retrying ${event.state} (attempt ${event.attempt})`;
    case 'StateCaught':
      return `${prefix} ${event.state} failed for good, going to ${event.next}`;
    case 'ExecutionSucceeded':
      return `${prefix} SUCCEEDED`;
    case 'ExecutionFailed':
      return `${prefix} FAILED with ${event.error}`;
    case 'ExecutionAborted':
      return `${prefix} ABORTED`;
    case 'ExecutionTimedOut':
      return `${prefix} TIMED OUT`;
    default:
      return undefined;
  }
}

/** Powertools writes one JSON object per line; a person wants level, message and the ids. */
export function summarizeLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || typeof entry.message !== 'string') return line;
  const details = Object.entries(entry)
    .filter(([key]) => !ROUTINE_LOG_KEYS.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [String(entry.level ?? ''), entry.message, ...details].filter((part) => part !== '').join(' ');
}

const ROUTINE_LOG_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'sampling_rate',
  'xray_trace_id',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
]);

function summarizeAccessLog(line: string): string {
  try {
    const entry = JSON.parse(line) as Record<string, string>;
    const error = entry.validationError && entry.validationError !== '-' ? ` ${entry.validationError}` : '';
    return `${entry.httpMethod} ${entry.resourcePath} -> ${entry.status}${error}`;
  } catch {
    return line;
  }
}
