/** An execution's progress as the local state machine reports it, from the library's event log. */
import type { StateMachine } from 'aws-local-stepfunctions';
import { describeCause } from './task-errors';

export interface EventBase {
  readonly executionArn: string;
  readonly name: string;
  readonly timestamp: number;
}

export type StateMachineEvent =
  | (EventBase & { readonly type: 'ExecutionStarted'; readonly input: unknown })
  | (EventBase & { readonly type: 'StateEntered'; readonly state: string; readonly stateType: string; readonly input: unknown })
  | (EventBase & { readonly type: 'TaskFailed'; readonly state: string; readonly error: string; readonly cause: string })
  | (EventBase & { readonly type: 'StateRetried'; readonly state: string; readonly attempt: number })
  | (EventBase & { readonly type: 'StateCaught'; readonly state: string; readonly next: string })
  | (EventBase & { readonly type: 'ExecutionSucceeded'; readonly output: unknown })
  | (EventBase & { readonly type: 'ExecutionFailed'; readonly error: string; readonly cause: string })
  | (EventBase & { readonly type: 'ExecutionAborted'; readonly error?: string; readonly cause?: string })
  | (EventBase & { readonly type: 'ExecutionTimedOut' });

/**
 * Forwards the progress a person follows: entering each state, task failures, retries and
 * catches. The execution's end is reported by whoever records its status; branch events
 * are not progress. The library closes its event log when the execution ends in any way.
 */
export async function forwardExecutionEvents(
  eventLogs: ReturnType<StateMachine['run']>['eventLogs'],
  base: () => EventBase,
  emit: (event: StateMachineEvent) => void,
): Promise<void> {
  for await (const event of eventLogs) {
    switch (event.type) {
      case 'ExecutionStarted':
        emit({ ...base(), type: 'ExecutionStarted', input: event.input });
        break;
      case 'StateEntered':
        emit({ ...base(), type: 'StateEntered', state: event.state.name, stateType: event.state.type, input: event.state.input });
        break;
      case 'StateFailed':
        if (event.state.type === 'Task') {
          emit({ ...base(), type: 'TaskFailed', state: event.state.name, error: event.Error, cause: describeCause(event.Cause) });
        }
        break;
      case 'StateRetried':
        emit({ ...base(), type: 'StateRetried', state: event.state.name, attempt: event.retry.attempt });
        break;
      case 'StateCaught':
        emit({ ...base(), type: 'StateCaught', state: event.state.name, next: event.catch.catcher.Next });
        break;
      default:
        break;
    }
  }
}
