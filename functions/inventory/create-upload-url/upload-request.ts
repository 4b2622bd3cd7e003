/** What POST /uploads accepts: `{"fileName": string (1..255), "size": integer bytes}`. */
export interface UploadRequest {
  readonly fileName: string;
  readonly size: number;
}

export const FILE_NAME_MAX_LENGTH = 255;

export type UploadRequestCheck =
  | { readonly ok: true; readonly request: UploadRequest }
  | { readonly ok: false; readonly statusCode: 400 | 413; readonly message: string };

/** "10 MiB (10,485,760 bytes)": a limit in words a person reads. */
export function describeBytes(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-US')} bytes`;
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB (${exact})` : exact;
}

/** Checks the body of POST /uploads; a file over the limit is a 413 that names the limit. */
export function checkUploadRequest(body: string | null | undefined, maxBytes: number): UploadRequestCheck {
  const bad = (message: string): UploadRequestCheck => ({ ok: false, statusCode: 400, message });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return bad('Send a JSON object with the file\'s name and size, e.g. {"fileName": "inventory.json", "size": 1024}.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return bad('Send a JSON object with the file\'s name and size, e.g. {"fileName": "inventory.json", "size": 1024}.');
  }
  const { fileName, size, ...rest } = parsed as Record<string, unknown>;
  const unexpected = Object.keys(rest);
  if (unexpected.length > 0) return bad(`Only fileName and size may be sent, not ${unexpected.map((key) => JSON.stringify(key)).join(', ')}.`);
  if (typeof fileName !== 'string' || fileName.length < 1 || fileName.length > FILE_NAME_MAX_LENGTH) {
    return bad(`fileName must be the file's name, 1 to ${FILE_NAME_MAX_LENGTH} characters.`);
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    return bad('size must be the file\'s size in bytes, a whole number.');
  }
  if (size === 0) return bad('The file is empty: choose an inventory file with products in it.');
  if (size > maxBytes) {
    return { ok: false, statusCode: 413, message: `The file is ${describeBytes(size)}; files of at most ${describeBytes(maxBytes)} can be uploaded.` };
  }
  return { ok: true, request: { fileName, size } };
}
