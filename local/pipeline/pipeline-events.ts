/** What a running local pipeline reports as it happens: for the terminal, a test or a benchmark. */
import type { Invocation } from '../lambda/invocation';
import type { ProvisionedResource } from '../provision/provisioner';
import type { CapturedNotification } from '../sns/notification-inbox';
import type { StateMachineEvent } from '../step-functions/execution-events';

export type PipelineEvent =
  | { readonly kind: 'emulator'; readonly name: string; readonly endpoint: string }
  | { readonly kind: 'resource'; readonly resource: ProvisionedResource }
  | { readonly kind: 'function'; readonly functionName: string; readonly trigger: string }
  | { readonly kind: 'api'; readonly url: string; readonly throttled: boolean }
  | { readonly kind: 'request'; readonly accessLog: string }
  /** Why API Gateway refused or failed a request (its execution log). */
  | { readonly kind: 'api-log'; readonly line: string }
  | { readonly kind: 'invocation'; readonly functionName: string; readonly source: string; readonly records: number; readonly invocation: Invocation; readonly failedRecords: number }
  | { readonly kind: 'discarded'; readonly functionName: string; readonly records: number; readonly reason: string; readonly destination?: string }
  | { readonly kind: 'log'; readonly functionName: string; readonly line: string }
  | { readonly kind: 'notification'; readonly notification: CapturedNotification }
  /** A state machine execution's progress. */
  | { readonly kind: 'execution'; readonly stateMachine: string; readonly event: StateMachineEvent }
  | { readonly kind: 'error'; readonly where: string; readonly error: unknown }
  /** How many of the stack's alarms the local runtime evaluates, and which it cannot. */
  | { readonly kind: 'alarms'; readonly evaluated: number; readonly notEvaluated: readonly string[] }
  /** An alarm the deployed stack would raise. */
  | { readonly kind: 'alarm'; readonly alarmName: string; readonly reason: string };

export type EmitPipelineEvent = (event: PipelineEvent) => void;
