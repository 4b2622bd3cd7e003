/**
 * The outcome of an upload made through the dashboard, one item per upload in the
 * `<env>-InventoryUploads` table (partition key `owner`, the uploader's Cognito sub; sort
 * key `uploadId`): `pending` when the upload URL is issued, then `written` or `rejected`
 * as ProcessInventoryFile decides.
 */

export type UploadStatus = 'pending' | 'written' | 'rejected';

/** One problem of a rejected file, as the dashboard shows it (item, field, reason). */
export interface OutcomeError {
  /** The item's position in the file's array, from 0, as the reasons name it; null when the whole file is at fault. */
  readonly item: number | null;
  readonly productId: string | null;
  readonly field: string | null;
  readonly reason: string;
}

export interface UploadOutcomeRecord {
  readonly owner: string;
  readonly uploadId: string;
  readonly fileName: string;
  readonly status: UploadStatus;
  /** ISO 8601, when the upload URL was issued. */
  readonly createdAt: string;
  /** ISO 8601, when ProcessInventoryFile decided. */
  readonly decidedAt?: string;
  readonly products?: number;
  readonly reason?: string;
  readonly errorCount?: number;
  /** The first MAX_KEPT_ERRORS problems, in file order. */
  readonly errors?: readonly OutcomeError[];
  /** Epoch seconds: DynamoDB deletes the record after OUTCOME_RETENTION_DAYS. */
  readonly expiresAt: number;
}

export const OUTCOME_RETENTION_DAYS = 90;
/** Problems kept with a rejected outcome; the error report in the bucket lists them all. */
export const MAX_KEPT_ERRORS = 100;

/** Cognito subs and the upload ids the API makes are UUIDs; anything else is no dashboard upload. */
const ID = /^[A-Za-z0-9-]{1,64}$/;

export function isUploadId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

/** `uploads/<sub>/<uploadId>.json`: where the dashboard's presigned POST puts a file. */
export function dashboardUploadKey(uploadPrefix: string, owner: string, uploadId: string): string {
  return `${uploadPrefix}${owner}/${uploadId}.json`;
}

/**
 * The owner and upload id of a key the dashboard made, or undefined for any other key (the
 * lab's `uploads/inventory.json`, a file someone put there by hand), which has no record.
 */
export function dashboardUploadOf(key: string, uploadPrefix: string): { readonly owner: string; readonly uploadId: string } | undefined {
  if (!key.startsWith(uploadPrefix)) return undefined;
  const parts = key.slice(uploadPrefix.length).split('/');
  if (parts.length !== 2 || !parts[1].endsWith('.json')) return undefined;
  const [owner, file] = parts;
  const uploadId = file.slice(0, -'.json'.length);
  return ID.test(owner) && ID.test(uploadId) ? { owner, uploadId } : undefined;
}

export function expiresAtFor(createdAt: Date): number {
  return Math.floor(createdAt.getTime() / 1000) + OUTCOME_RETENTION_DAYS * 24 * 60 * 60;
}

/** What GET /uploads/{uploadId} answers: the record without its keys and expiry. */
export function outcomeAnswer(record: UploadOutcomeRecord) {
  const { uploadId, fileName, status, products, reason, errorCount, errors, createdAt, decidedAt } = record;
  return {
    uploadId,
    fileName,
    status,
    ...(products === undefined ? {} : { products }),
    ...(reason === undefined ? {} : { reason }),
    ...(errorCount === undefined ? {} : { errorCount }),
    ...(errors === undefined ? {} : { errors }),
    createdAt,
    ...(decidedAt === undefined ? {} : { decidedAt }),
  };
}
