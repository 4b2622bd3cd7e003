import type { AwsIntegrationRequest, AwsIntegrationResponse, AwsServiceBackend } from './aws-integration';

/**
 * The `states` backend of the local API Gateway: answers the Step Functions API calls an
 * AWS integration makes (`arn:aws:apigateway:<region>:states:action/StartExecution`).
 *
 * API Gateway posts the rendered request template, a JSON body such as
 * `{"stateMachineArn": "...", "input": "{...}", "name": "..."}`, and reads Step Functions'
 * JSON answer, so that the integration response templates render what they would in AWS:
 * `{"executionArn": "...", "startDate": <epoch seconds>}` on success, and
 * `{"__type": "...", "message": "..."}` with Step Functions' status code on failure. The
 * execution itself is the caller's (the local runtime runs the synthesized state machine).
 * Only StartExecution is supported; any other action is refused as Step Functions refuses
 * an unknown operation.
 */
export interface StartExecutionRequest {
  readonly stateMachineArn: string;
  /** The execution input, a JSON document; `{}` when the request has none, as in Step Functions. */
  readonly input: string;
  readonly name?: string;
}

export interface StartExecutionResult {
  readonly executionArn: string;
  readonly startDate: Date;
}

export interface StepFunctionsBackendOptions {
  /**
   * Starts the execution. Throw a StepFunctionsError (or an SDK error, which carries
   * `name` and `$fault`) to answer Step Functions' error for it, e.g.
   * `new StepFunctionsError('StateMachineDoesNotExist', '...')`; any other error answers 500.
   */
  readonly startExecution: (request: StartExecutionRequest) => Promise<StartExecutionResult> | StartExecutionResult;
}

/** Step Functions' errors that are the caller's fault (status 400), by their `__type` name. */
const CLIENT_ERRORS = new Set([
  'ExecutionAlreadyExists',
  'ExecutionLimitExceeded',
  'InvalidArn',
  'InvalidExecutionInput',
  'InvalidName',
  'KmsAccessDeniedException',
  'KmsInvalidStateException',
  'KmsThrottlingException',
  'StateMachineDeleting',
  'StateMachineDoesNotExist',
  'ThrottlingException',
  'ValidationException',
  'SerializationException',
  'UnknownOperationException',
  'AccessDeniedException',
]);

/** An error to answer in Step Functions' terms, e.g. `new StepFunctionsError('ExecutionAlreadyExists', '...')`. */
export class StepFunctionsError extends Error {
  constructor(
    /** The error's name, e.g. StateMachineDoesNotExist. */
    readonly type: string,
    message: string,
    /** @default 400 for Step Functions' client errors, else 500 */
    readonly statusCode: number = CLIENT_ERRORS.has(type) ? 400 : 500,
  ) {
    super(message);
    this.name = type;
  }
}

const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const STATE_MACHINE_ARN = /^arn:[^:]+:states:[^:]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}(?::[^:]+)?$/;

export function stepFunctionsBackend(options: StepFunctionsBackendOptions): AwsServiceBackend {
  return async (request: AwsIntegrationRequest): Promise<AwsIntegrationResponse> => {
    try {
      const action = actionOf(request);
      if (action !== 'StartExecution') {
        throw new StepFunctionsError('UnknownOperationException', `The action ${action ?? '(none)'} is not supported by the local Step Functions backend (only StartExecution is).`);
      }
      const started = await options.startExecution(startExecutionRequest(request.body));
      if (typeof started?.executionArn !== 'string' || !(started.startDate instanceof Date)) {
        throw new Error(`startExecution answered ${JSON.stringify(started)}, not { executionArn, startDate: Date }`);
      }
      return { statusCode: 200, body: JSON.stringify({ executionArn: started.executionArn, startDate: started.startDate.getTime() / 1000 }) };
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** `action/<Action>` in the uri, else the `X-Amz-Target: AWSStepFunctions.<Action>` header of a `path/` uri. */
function actionOf(request: AwsIntegrationRequest): string | undefined {
  const fromUri = /^arn:[^:]+:apigateway:[^:]*:[^:]*states:action\/([A-Za-z]+)(?:[?&].*)?$/s.exec(request.uri)?.[1];
  if (fromUri !== undefined) return fromUri;
  const target = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'x-amz-target')?.[1];
  return target === undefined ? undefined : /^AWSStepFunctions\.([A-Za-z]+)$/.exec(target)?.[1];
}

/** StartExecution's request, checked as Step Functions checks it. */
function startExecutionRequest(body: string): StartExecutionRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new StepFunctionsError('SerializationException', 'Start of structure or map found where not expected, or the body is not JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new StepFunctionsError('SerializationException', 'The request body is not a JSON object.');
  }
  const { stateMachineArn, input, name } = parsed as Record<string, unknown>;
  if (typeof stateMachineArn !== 'string') {
    throw new StepFunctionsError('ValidationException', "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null");
  }
  if (!STATE_MACHINE_ARN.test(stateMachineArn)) throw new StepFunctionsError('InvalidArn', `Invalid Arn: '${stateMachineArn}'`);
  if (input !== undefined && input !== null && typeof input !== 'string') {
    throw new StepFunctionsError('SerializationException', 'Expected a string for input.');
  }
  if (typeof input === 'string') {
    try {
      JSON.parse(input);
    } catch (error) {
      throw new StepFunctionsError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${(error as Error).message}'`);
    }
  }
  if (name !== undefined && name !== null && (typeof name !== 'string' || !EXECUTION_NAME.test(name))) {
    throw new StepFunctionsError('InvalidName', `Invalid Name: '${String(name)}'`);
  }
  return { stateMachineArn, input: typeof input === 'string' ? input : '{}', ...(typeof name === 'string' ? { name } : {}) };
}

/**
 * Step Functions' JSON error. A StepFunctionsError says its type and status; an SDK
 * error its name and `$fault` (client: 400); anything else is Step Functions' own 500.
 */
function errorResponse(error: unknown): AwsIntegrationResponse {
  const failure = error as { name?: string; message?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  let type: string;
  let statusCode: number;
  if (error instanceof StepFunctionsError) {
    type = error.type;
    statusCode = error.statusCode;
  } else if (failure?.$fault === 'client' || failure?.$fault === 'server') {
    type = failure.name ?? 'InternalFailure';
    statusCode = failure.$metadata?.httpStatusCode ?? (failure.$fault === 'client' ? 400 : 500);
  } else {
    type = 'InternalFailure';
    statusCode = 500;
  }
  return {
    statusCode,
    body: JSON.stringify({ __type: qualified(type), message: failure?.message ?? String(error) }),
  };
}

/** The `__type` as Step Functions writes it, e.g. com.amazonaws.swf.service.v2.model#ExecutionLimitExceeded. */
function qualified(type: string): string {
  if (type.includes('#')) return type;
  if (type === 'SerializationException' || type === 'UnknownOperationException' || type === 'InternalFailure') return `com.amazon.coral.service#${type}`;
  if (type === 'ValidationException') return `com.amazon.coral.validate#${type}`;
  return `com.amazonaws.swf.service.v2.model#${type}`;
}
