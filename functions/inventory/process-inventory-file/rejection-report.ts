import type { InventoryProblem, InventoryRejection } from './inventory-file';
import type { UploadLocation } from './upload-location';

/**
 * The `.errors.json` object written for a rejected file, in the rejected prefix's reports
 * folder: everything the uploader needs to fix the file without reading the function's logs.
 */
export interface RejectionReport {
  readonly bucket: string;
  /** The upload, which stays where it was: the function never deletes uploads. */
  readonly sourceKey: string;
  /** The version that was read, when the bucket is versioned. */
  readonly sourceVersionId?: string;
  /** The copy of the file's bytes. Absent for a file over the size limit, which is not copied. */
  readonly rejectedCopyKey?: string;
  /** ISO 8601, UTC. */
  readonly rejectedAt: string;
  readonly reason: string;
  /** Every problem found, listed or not. */
  readonly errorCount: number;
  readonly errors: readonly InventoryProblem[];
  /** How many problems were counted but not listed; present only when some were not. */
  readonly errorsNotListed?: number;
}

export function rejectionReport(
  source: UploadLocation,
  rejection: InventoryRejection,
  details: { readonly rejectedCopyKey?: string; readonly rejectedAt: Date },
): RejectionReport {
  const errorsNotListed = rejection.errorCount - rejection.errors.length;
  return {
    bucket: source.bucket,
    sourceKey: source.key,
    ...(source.versionId === undefined ? {} : { sourceVersionId: source.versionId }),
    ...(details.rejectedCopyKey === undefined ? {} : { rejectedCopyKey: details.rejectedCopyKey }),
    rejectedAt: details.rejectedAt.toISOString(),
    reason: rejection.reason,
    errorCount: rejection.errorCount,
    errors: rejection.errors,
    ...(errorsNotListed > 0 ? { errorsNotListed } : {}),
  };
}
