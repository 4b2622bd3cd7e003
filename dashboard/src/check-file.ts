import {
  oversizedFileRejection,
  parseInventoryFile,
  type InventoryRejection,
} from '../../functions/inventory/process-inventory-file/inventory-file';

/** As many problems as the pipeline's outcome record keeps: the table reads the same either way. */
export const LISTED_PROBLEMS = 100;

/**
 * The browser's check before any request, with ProcessInventoryFile's own module: a file
 * over the limit is refused unread (as the pipeline refuses it), anything else is parsed.
 * `undefined` means the file may be uploaded.
 */
export async function checkBeforeUpload(
  file: { readonly size: number; arrayBuffer(): Promise<ArrayBuffer> },
  maxBytes: number,
): Promise<InventoryRejection | undefined> {
  if (file.size > maxBytes) return oversizedFileRejection(file.size, maxBytes);
  const check = parseInventoryFile(new Uint8Array(await file.arrayBuffer()), { maxListedProblems: LISTED_PROBLEMS });
  return check.valid ? undefined : check.rejection;
}
