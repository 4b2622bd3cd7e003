import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { callerOf, errorResponse, jsonResponse, UNAUTHORIZED } from '../../shared/http-response';
import { requireEnv } from '../../shared/require-env';
import { isUploadId, outcomeAnswer, type UploadOutcomeRecord } from '../shared/upload-outcome';

// Module scope: read and built once per container, reused by every invocation.
const outcomeTableName = requireEnv('OUTCOME_TABLE_NAME');
const logger = new Logger();
// The endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set (local emulators).
const dynamodb = new DynamoDBClient({});

const notFound = (uploadId: string) => errorResponse(404, `There is no upload ${JSON.stringify(uploadId)} of yours.`);

/**
 * GetUploadOutcome, GET /uploads/{uploadId}: what became of one of the caller's uploads.
 * The record is keyed by the caller's sub, so another person's upload is simply not found.
 */
export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  logger.addContext(context);
  const caller = callerOf(event);
  if (!caller) return UNAUTHORIZED;
  const uploadId = event.pathParameters?.uploadId ?? '';
  if (!isUploadId(uploadId)) return notFound(uploadId);
  try {
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: outcomeTableName, Key: marshall({ owner: caller.sub, uploadId }), ConsistentRead: true }),
    );
    if (!Item) return notFound(uploadId);
    return jsonResponse(200, outcomeAnswer(unmarshall(Item) as UploadOutcomeRecord));
  } catch (error) {
    logger.error('Could not read the upload outcome', { uploadId, error });
    return errorResponse(500, 'The upload\'s outcome could not be read. Try again in a moment.');
  }
}
