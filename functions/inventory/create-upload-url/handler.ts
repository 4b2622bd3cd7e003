import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { callerOf, errorResponse, jsonResponse, UNAUTHORIZED } from '../../shared/http-response';
import { requireEnv, requireIntegerEnv } from '../../shared/require-env';
import { dashboardUploadKey, expiresAtFor, type UploadOutcomeRecord } from '../shared/upload-outcome';
import { presignUpload } from './presigned-upload';
import { checkUploadRequest } from './upload-request';

// Module scope: read and built once per container, reused by every invocation.
const bucket = requireEnv('UPLOAD_BUCKET');
const uploadPrefix = requireEnv('UPLOAD_PREFIX');
const outcomeTableName = requireEnv('OUTCOME_TABLE_NAME');
const maxFileBytes = requireIntegerEnv('MAX_FILE_BYTES', 1);
const urlExpirySeconds = requireIntegerEnv('URL_EXPIRY_SECONDS', 1);
const logger = new Logger();
// Endpoints come from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_DYNAMODB when set (local emulators).
const s3 = new S3Client({});
const dynamodb = new DynamoDBClient({});

/**
 * CreateUploadUrl, POST /uploads: a presigned POST for one inventory file of the caller's,
 * at `uploads/<sub>/<uploadId>.json`, after recording the upload as pending so that the
 * page can follow it (GET /uploads/{uploadId}) from the moment it has the URL.
 */
export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  logger.addContext(context);
  const caller = callerOf(event);
  if (!caller) return UNAUTHORIZED;
  const check = checkUploadRequest(event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body, maxFileBytes);
  if (!check.ok) return errorResponse(check.statusCode, check.message);

  const now = new Date();
  const uploadId = randomUUID();
  const key = dashboardUploadKey(uploadPrefix, caller.sub, uploadId);
  const record: UploadOutcomeRecord = {
    owner: caller.sub,
    uploadId,
    fileName: check.request.fileName,
    status: 'pending',
    createdAt: now.toISOString(),
    expiresAt: expiresAtFor(now),
  };
  try {
    await dynamodb.send(
      new PutItemCommand({
        TableName: outcomeTableName,
        Item: marshall(record),
        // A fresh UUID never collides; the condition makes sure no outcome is ever overwritten.
        ConditionExpression: 'attribute_not_exists(uploadId)',
      }),
    );
    const upload = await presignUpload(s3, { bucket, key, maxBytes: maxFileBytes, expiresInSeconds: urlExpirySeconds }, now);
    logger.info('Issued an upload URL', { uploadId, owner: caller.sub, size: check.request.size });
    return jsonResponse(201, { uploadId, key, url: upload.url, fields: upload.fields, maxBytes: maxFileBytes, expiresAt: upload.expiresAt });
  } catch (error) {
    logger.error('Could not issue an upload URL', { uploadId, error });
    return errorResponse(500, 'The upload could not be prepared. Try again in a moment.');
  }
}
