import { Logger } from '@aws-lambda-powertools/logger';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { callerOf, errorResponse, jsonResponse, UNAUTHORIZED } from '../../shared/http-response';
import { requireEnv } from '../../shared/require-env';
import { isExecutionName, reportStatusOf, requestedByOf } from './report-status';

// Module scope: read and built once per container, reused by every invocation.
const executionArnPrefix = requireEnv('EXECUTION_ARN_PREFIX');
const logger = new Logger();
// The endpoint comes from AWS_ENDPOINT_URL_SFN when set (the local runtime).
const sfn = new SFNClient({});

const notFound = (executionId: string) => errorResponse(404, `There is no report ${JSON.stringify(executionId)} of yours.`);

/**
 * ReportStatus, GET /{executionId}: where the caller's report stands, and its link once it
 * is made. Someone else's execution is answered exactly as one that does not exist.
 */
export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  logger.addContext(context);
  const caller = callerOf(event);
  if (!caller) return UNAUTHORIZED;
  const executionId = event.pathParameters?.executionId ?? '';
  if (!isExecutionName(executionId)) return notFound(executionId);

  let execution;
  try {
    execution = await sfn.send(new DescribeExecutionCommand({ executionArn: `${executionArnPrefix}${executionId}` }));
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return notFound(executionId);
    logger.error('Could not read the execution', { executionId, error });
    return errorResponse(500, 'The report status could not be read. Try again in a moment.');
  }
  if (!caller.email || requestedByOf(execution) !== caller.email) {
    logger.info('Refused a report of someone else', { executionId, caller: caller.sub });
    return notFound(executionId);
  }
  return jsonResponse(200, reportStatusOf(executionId, execution, new Date()));
}
