/**
 * The Task states the local runtime runs, and how: `arn:aws:states:::lambda:invoke` and
 * plain Lambda function ARNs run the local functions, `arn:aws:states:::sns:publish` calls
 * the runtime's publisher. Any other resource is refused when the machine is built.
 * Results and errors are shaped as the service's integrations shape them.
 */
import type { RunOptions } from 'aws-local-stepfunctions';
import type { Invokable } from '../lambda/invocation';
import { describeCause, serviceErrorName, TaskError, TaskRuntimeError } from './task-errors';

export type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
export type JsonValue = Parameters<TaskHandlers[string]>[0];

export type PublishMessage = (topicArn: string, subject: string | undefined, message: string) => Promise<{ MessageId: string }>;

/** What the tasks reach: the local functions and the runtime's SNS publisher. */
export interface TaskIntegrations {
  /** The local function for a `FunctionName` (name, ARN or qualified ARN); `undefined` when there is none. */
  readonly functions: (functionNameOrArn: string) => Invokable | undefined;
  /** What `arn:aws:states:::sns:publish` does. A rejection becomes the task error `SNS.<error name>`. */
  readonly publish: PublishMessage;
}

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const SNS_PUBLISH = 'arn:aws:states:::sns:publish';
const LAMBDA_FUNCTION_ARN = /^arn:aws[\w-]*:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$/;

type TaskKind = 'lambda:invoke' | 'lambda-arn' | 'sns:publish';

export interface TaskState {
  readonly kind: TaskKind;
  readonly resource: string;
}

function taskKind(resource: unknown): TaskKind | undefined {
  if (resource === LAMBDA_INVOKE) return 'lambda:invoke';
  if (resource === SNS_PUBLISH) return 'sns:publish';
  if (typeof resource === 'string' && LAMBDA_FUNCTION_ARN.test(resource)) return 'lambda-arn';
  return undefined;
}

interface StatesScope {
  readonly States?: Record<string, Record<string, unknown>>;
}

/** Every Task state of the machine, nested Parallel branches and Map processors included, by name. */
export function taskStatesOf(definition: object): Map<string, TaskState> {
  return collectTasks(definition as StatesScope);
}

function collectTasks(scope: StatesScope, into = new Map<string, TaskState>()): Map<string, TaskState> {
  for (const [name, state] of Object.entries(scope.States ?? {})) {
    if (state.Type === 'Task') {
      const kind = taskKind(state.Resource);
      if (!kind) {
        throw new Error(`Task state ${name} uses ${String(state.Resource)}, which the local runtime does not run (it runs ${LAMBDA_INVOKE}, Lambda function ARNs and ${SNS_PUBLISH})`);
      }
      // The library finds a Task's local handler by state name alone, in every scope.
      if (into.has(name) && into.get(name)!.resource !== state.Resource) {
        throw new Error(`Two Task states are named ${name} with different resources; the local runtime needs unique Task state names`);
      }
      into.set(name, { kind, resource: state.Resource as string });
    }
    for (const branch of (state.Branches as StatesScope[] | undefined) ?? []) collectTasks(branch, into);
    const processor = (state.ItemProcessor ?? state.Iterator) as StatesScope | undefined;
    if (processor) collectTasks(processor, into);
  }
  return into;
}

/** Runs one Task state's request as the service's integration would. */
export function runTaskRequest(task: TaskState, stateName: string, parameters: JsonValue, integrations: TaskIntegrations): Promise<JsonValue> {
  if (task.kind === 'sns:publish') return publish(stateName, parameters, integrations);
  if (task.kind === 'lambda:invoke') return invokeOptimized(stateName, parameters, integrations);
  // A Lambda function ARN as the resource: the effective input is the event, the result is the output.
  return invokeLocal(task.resource, parameters, integrations);
}

export function toJson(value: unknown): JsonValue {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

/** `arn:aws:states:::lambda:invoke`: the resolved Parameters name the function and its Payload. */
async function invokeOptimized(stateName: string, request: JsonValue, integrations: TaskIntegrations): Promise<JsonValue> {
  const parameters = (request ?? {}) as { FunctionName?: unknown; Payload?: JsonValue };
  if (typeof parameters.FunctionName !== 'string') {
    throw new TaskRuntimeError(`Task state ${stateName}: ${LAMBDA_INVOKE} needs a FunctionName string in its Parameters`);
  }
  const result = await invokeLocal(parameters.FunctionName, parameters.Payload === undefined ? {} : parameters.Payload, integrations);
  // The optimized integration's response; the definition's `OutputPath: $.Payload` keeps the function's return value.
  return { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
}

/** Invokes a local function and returns its result, or throws the task error the service would. */
async function invokeLocal(functionName: string, payload: JsonValue, integrations: TaskIntegrations): Promise<JsonValue> {
  let invokable: Invokable | undefined;
  try {
    invokable = integrations.functions(functionName);
  } catch {
    invokable = undefined;
  }
  if (!invokable) {
    throw new TaskError('Lambda.ResourceNotFoundException', `Function not found: ${functionName} (Service: Lambda, Status Code: 404, Error Code: ResourceNotFoundException)`);
  }
  let invocation;
  try {
    invocation = await invokable.invoke(payload);
  } catch (error) {
    // The local runtime itself failed to run the function: in AWS that is the Lambda service failing.
    throw new TaskError('Lambda.ServiceException', `${describeCause(error)} (Service: Lambda, Status Code: 500, Error Code: ServiceException)`);
  }
  if (!invocation.ok) {
    const { errorType, errorMessage, stackTrace } = invocation.error;
    // The Node.js runtime's error payload, which the service puts in Cause as JSON.
    throw new TaskError(errorType, JSON.stringify({ errorType, errorMessage, ...(stackTrace ? { trace: stackTrace } : {}) }));
  }
  return toJson(invocation.result);
}

async function publish(stateName: string, request: JsonValue, integrations: TaskIntegrations): Promise<JsonValue> {
  const parameters = (request ?? {}) as { TopicArn?: unknown; Subject?: unknown; Message?: unknown };
  if (typeof parameters.TopicArn !== 'string' || parameters.Message === undefined) {
    throw new TaskRuntimeError(`Task state ${stateName}: ${SNS_PUBLISH} needs TopicArn and Message in its Parameters`);
  }
  const message = typeof parameters.Message === 'string' ? parameters.Message : JSON.stringify(parameters.Message);
  const subject = typeof parameters.Subject === 'string' ? parameters.Subject : undefined;
  try {
    const { MessageId } = await integrations.publish(parameters.TopicArn, subject, message);
    return { MessageId };
  } catch (error) {
    throw new TaskError(serviceErrorName('SNS', error), describeCause(error));
  }
}
