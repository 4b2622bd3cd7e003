import { UpdateItemCommand, type UpdateItemCommandOutput } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { expiresAtFor, MAX_KEPT_ERRORS, type OutcomeError } from '../shared/upload-outcome';
import type { InventoryProblem, InventoryRejection } from './inventory-file';

/** What the recorder needs of a DynamoDBClient: UpdateItem, which the role allows, and nothing else. */
export interface UpdateItemClient {
  send(command: UpdateItemCommand): Promise<UpdateItemCommandOutput>;
}

export type DecidedOutcome =
  | { readonly status: 'written'; readonly products: number }
  | { readonly status: 'rejected'; readonly rejection: InventoryRejection };

export function outcomeErrorOf(problem: InventoryProblem): OutcomeError {
  return { item: problem.index ?? null, productId: problem.productId ?? null, field: problem.field ?? null, reason: problem.message };
}

/**
 * Records what became of a dashboard upload on its outcome item. An update rather than a
 * put: the item keeps what CreateUploadUrl wrote (file name, creation time), and is made
 * whole if it is somehow missing. The fields of the other outcome are removed, since the
 * same presigned POST may upload twice within its five minutes and the last upload counts.
 */
export async function recordUploadOutcome(
  dynamodb: UpdateItemClient,
  tableName: string,
  upload: { readonly owner: string; readonly uploadId: string; readonly key: string },
  outcome: DecidedOutcome,
  decidedAt: Date,
): Promise<void> {
  const fileName = upload.key.slice(upload.key.lastIndexOf('/') + 1);
  const common = {
    ':status': outcome.status,
    ':decidedAt': decidedAt.toISOString(),
    ':createdAt': decidedAt.toISOString(),
    ':fileName': fileName,
    ':expiresAt': expiresAtFor(decidedAt),
  };
  const set = ['#status = :status', 'decidedAt = :decidedAt', 'createdAt = if_not_exists(createdAt, :createdAt)', 'fileName = if_not_exists(fileName, :fileName)', 'expiresAt = if_not_exists(expiresAt, :expiresAt)'];
  const values =
    outcome.status === 'written'
      ? { ...common, ':products': outcome.products }
      : {
          ...common,
          ':reason': outcome.rejection.reason,
          ':errorCount': outcome.rejection.errorCount,
          ':errors': outcome.rejection.errors.slice(0, MAX_KEPT_ERRORS).map(outcomeErrorOf),
        };
  const expression =
    outcome.status === 'written'
      ? `SET ${[...set, 'products = :products'].join(', ')} REMOVE reason, errorCount, #errors`
      : `SET ${[...set, 'reason = :reason', 'errorCount = :errorCount', '#errors = :errors'].join(', ')} REMOVE products`;
  await dynamodb.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: marshall({ owner: upload.owner, uploadId: upload.uploadId }),
      UpdateExpression: expression,
      // `status` and `errors` are DynamoDB reserved words.
      ExpressionAttributeNames: { '#status': 'status', '#errors': 'errors' },
      ExpressionAttributeValues: marshall(values),
    }),
  );
}
