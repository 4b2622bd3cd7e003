import type { InventoryProblem, InventoryRejection } from '../../functions/inventory/process-inventory-file/inventory-file';
import { formatCount } from './products-query';

/** `POST {inventoryApi}/uploads`'s answer: where and how to send the file. */
export interface UploadPermission {
  readonly uploadId: string;
  readonly key: string;
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly maxBytes: number;
  readonly expiresAt: string;
}

/** One problem as the outcome record lists it. */
export interface ServerProblem {
  readonly item: number | null;
  readonly productId: string | null;
  readonly field: string | null;
  readonly reason: string;
}

/** `GET {inventoryApi}/uploads/{uploadId}`: what the pipeline decided. */
export interface UploadRecord {
  readonly uploadId: string;
  readonly fileName: string;
  readonly status: 'pending' | 'written' | 'rejected';
  readonly products?: number;
  readonly reason?: string;
  readonly errorCount?: number;
  readonly errors?: readonly ServerProblem[];
  readonly createdAt: string;
  readonly decidedAt?: string;
}

/** One row of the reasons table: the same columns whether the browser or the pipeline refused. */
export interface ProblemRow {
  readonly item: string;
  readonly productId: string;
  readonly field: string;
  readonly reason: string;
}

/** What the Upload section shows once a file's fate is known. */
export interface UploadOutcome {
  readonly accepted: boolean;
  /** Who decided: the browser's check before any upload, or the pipeline after it. */
  readonly decidedBy: 'browser' | 'pipeline';
  readonly headline: string;
  readonly rows: readonly ProblemRow[];
  /** Set when more problems were counted than listed. */
  readonly note?: string;
}

const NONE = '';
export const WHOLE_FILE = 'whole file';

/** The pipeline's decision in words: "Accepted: 2 products written" or "Rejected: <reason>". */
export function outcomeOfRecord(record: UploadRecord): UploadOutcome {
  if (record.status === 'written') {
    const count = record.products ?? 0;
    return { accepted: true, decidedBy: 'pipeline', headline: `Accepted: ${formatCount(count)} ${count === 1 ? 'product' : 'products'} written`, rows: [] };
  }
  const rows = (record.errors ?? []).map(serverRow);
  return {
    accepted: false,
    decidedBy: 'pipeline',
    headline: `Rejected: ${record.reason ?? 'the pipeline refused the file'}`,
    rows,
    ...notListed(record.errorCount ?? rows.length, rows.length),
  };
}

/**
 * The browser's own check, with the module ProcessInventoryFile runs: the same words the
 * pipeline would have written, without an upload.
 */
export function outcomeOfCheck(rejection: InventoryRejection, detail?: string): UploadOutcome {
  const rows = rejection.errors.map(checkRow);
  return {
    accepted: false,
    decidedBy: 'browser',
    headline: `Rejected before upload: ${rejection.reason}${detail === undefined ? '' : ` (${detail})`}`,
    rows,
    ...notListed(rejection.errorCount, rows.length),
  };
}

function serverRow(problem: ServerProblem): ProblemRow {
  return {
    item: problem.item === null || problem.item === undefined ? wholeFileOr(problem.field) : String(problem.item),
    productId: problem.productId ?? NONE,
    field: problem.field ?? NONE,
    reason: problem.reason,
  };
}

function checkRow(problem: InventoryProblem): ProblemRow {
  return {
    item: problem.index === undefined ? wholeFileOr(problem.field) : String(problem.index),
    productId: problem.productId ?? NONE,
    field: problem.field ?? NONE,
    reason: problem.message,
  };
}

/** A problem with no item and no field is about the file itself: say so rather than leave blanks. */
function wholeFileOr(field: string | null | undefined): string {
  return field === null || field === undefined ? WHOLE_FILE : NONE;
}

function notListed(count: number, listed: number): { note?: string } {
  return count > listed ? { note: `Showing the first ${listed} of ${count} problems.` } : {};
}

/** "12.0 MiB": sizes as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
