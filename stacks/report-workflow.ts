/**
 * The report workflow of seed 004 as Amazon States Language: read the suppliers, then
 * render the report and presign its link side by side, then email the link. The link
 * is published only after both branches succeed, so no one is ever sent a link to a
 * report that does not exist; any failure instead sends one failure notice and ends
 * the execution FAILED.
 */

export interface ReportWorkflowRefs {
  readonly fetchSupplierDataArn: string;
  readonly renderReportArn: string;
  readonly presignReportUrlArn: string;
  /** The topic that receives both the link and the failure notice. */
  readonly topicArn: string;
}

/** State names, exported so that tests and the local runtime name states one way. */
export const REPORT_STATES = {
  fetch: 'FetchSupplierData',
  parallel: 'CreateReportAndLink',
  render: 'RenderReport',
  presign: 'PresignReportUrl',
  publish: 'PublishReportLink',
  notifyFailure: 'NotifyFailure',
  failed: 'ReportFailed',
} as const;

/**
 * Longer than any of the report functions' own timeouts, so that Lambda ends a slow
 * invocation first and reports why; the task timeout only catches a lost invocation.
 */
export const LAMBDA_TASK_TIMEOUT_SECONDS = 120;
export const PUBLISH_TASK_TIMEOUT_SECONDS = 30;

/** Errors of the Lambda service itself, not of the function: safe to retry. */
const TRANSIENT_LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'States.Timeout',
];

/** SNS throttling and internal errors (its KMS key throttles too): safe to retry. */
const TRANSIENT_SNS_ERRORS = ['SNS.ThrottledException', 'SNS.InternalErrorException', 'SNS.KMSThrottlingException', 'States.Timeout'];

/**
 * Thrown by the presign function when the credentials that would sign the URL expire
 * before the URL would: a presigned URL dies with its credentials, so the function
 * refuses rather than hand out a link that breaks early. Fresh credentials arrive
 * within seconds, so a retry fixes it.
 */
export const CREDENTIALS_EXPIRE_TOO_SOON_ERROR = 'CredentialsExpireTooSoonError';

/**
 * Thrown when the data cannot make a report. Deliberately retried nowhere: the same
 * input fails the same way, and retrying would only delay the failure notice.
 */
export const INVALID_REPORT_INPUT_ERROR = 'InvalidReportInputError';

/** Exponential backoff with full jitter, so retries after a throttle do not arrive together. */
function retryTransient(errors: string[]) {
  return [{ ErrorEquals: errors, IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3, MaxDelaySeconds: 30, JitterStrategy: 'FULL' }];
}

/** Every failure leaves the input intact beside the error, for the failure notice. */
const CATCH_TO_NOTIFY_FAILURE = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: REPORT_STATES.notifyFailure }];

/**
 * A synchronous Lambda invocation through the optimized integration. `OutputPath`
 * keeps only the function's return value, dropping the invocation metadata.
 */
function invokeLambda(functionArn: string, payload: Record<string, string>, retryOn: string[]) {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: functionArn, Payload: payload },
    OutputPath: '$.Payload',
    TimeoutSeconds: LAMBDA_TASK_TIMEOUT_SECONDS,
    Retry: retryTransient(retryOn),
  };
}

/** A branch of one state: its Parallel state's Catch covers it (a branch cannot leave itself). */
function singleStateBranch(name: string, state: object) {
  return { StartAt: name, States: { [name]: { ...state, End: true } } };
}

export function reportWorkflowDefinition(refs: ReportWorkflowRefs): object {
  const S = REPORT_STATES;
  return {
    Comment: 'Seed 004: read supplier data, render the HTML report and presign its link in parallel, then email the link',
    StartAt: S.fetch,
    States: {
      [S.fetch]: {
        ...invokeLambda(refs.fetchSupplierDataArn, { 'executionName.$': '$$.Execution.Name' }, TRANSIENT_LAMBDA_ERRORS),
        Catch: CATCH_TO_NOTIFY_FAILURE,
        Next: S.parallel,
      },
      [S.parallel]: {
        Type: 'Parallel',
        Comment: 'The report and its link are independent; the link is sent only once both exist',
        Branches: [
          singleStateBranch(
            S.render,
            // The key is derived from the execution name, so a retried render overwrites the same object.
            invokeLambda(refs.renderReportArn, { 'executionName.$': '$$.Execution.Name', 'data.$': '$' }, TRANSIENT_LAMBDA_ERRORS),
          ),
          singleStateBranch(
            S.presign,
            invokeLambda(refs.presignReportUrlArn, { 'executionName.$': '$$.Execution.Name' }, [
              ...TRANSIENT_LAMBDA_ERRORS,
              CREDENTIALS_EXPIRE_TOO_SOON_ERROR,
            ]),
          ),
        ],
        // Names the branch outputs, in branch order, instead of leaving an array.
        ResultSelector: { 'report.$': '$[0]', 'link.$': '$[1]' },
        Catch: CATCH_TO_NOTIFY_FAILURE,
        Next: S.publish,
      },
      [S.publish]: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sns:publish',
        Parameters: {
          TopicArn: refs.topicArn,
          Subject: 'Your coffee supplier report',
          'Message.$':
            "States.Format('Your coffee supplier report is ready: {} (this link expires at {}, {} seconds after it was made).', $.link.url, $.link.expiresAt, $.link.expiresInSeconds)",
        },
        // Keeps the input as the execution's output: the link the dashboard offers (ReportStatus).
        ResultPath: null,
        TimeoutSeconds: PUBLISH_TASK_TIMEOUT_SECONDS,
        Retry: retryTransient(TRANSIENT_SNS_ERRORS),
        Catch: CATCH_TO_NOTIFY_FAILURE,
        End: true,
      },
      [S.notifyFailure]: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sns:publish',
        Parameters: {
          TopicArn: refs.topicArn,
          Subject: 'Your coffee supplier report could not be made',
          'Message.$':
            "States.Format('The coffee supplier report of execution {} could not be made, and no link was sent. Error: {}. Cause: {}', $$.Execution.Name, $.error.Error, $.error.Cause)",
        },
        // Keeps the input, and with it $.error, for the Fail state.
        ResultPath: null,
        TimeoutSeconds: PUBLISH_TASK_TIMEOUT_SECONDS,
        Retry: retryTransient(TRANSIENT_SNS_ERRORS),
        // No Catch: if the notice itself cannot be sent, the execution fails with that error.
        Next: S.failed,
      },
      [S.failed]: {
        Type: 'Fail',
        Comment: 'The execution ends FAILED with the original error, after the notice',
        ErrorPath: '$.error.Error',
        CausePath: '$.error.Cause',
      },
    },
  };
}
