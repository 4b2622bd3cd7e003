import { ApiError, s3ErrorMessage } from './api-error';
import type { UploadPermission } from './upload-outcome';

/**
 * Sends the file to S3 with the presigned POST. XMLHttpRequest rather than fetch: only it
 * reports upload progress. S3 reads the policy's fields first, so they go in the order the
 * API gave them and the file goes last, as S3 requires.
 */
export function postToStorage(
  permission: UploadPermission,
  file: Blob,
  onProgress: (loaded: number, total: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(permission.fields)) form.append(name, value);
    form.append('file', file);

    const request = new XMLHttpRequest();
    request.open('POST', permission.url);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    });
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) resolve();
      else reject(new ApiError(s3ErrorMessage(request.status, request.responseText), request.status));
    });
    request.addEventListener('error', () =>
      reject(new ApiError('The file could not be sent to storage. Check your connection and try again.', 0)),
    );
    request.addEventListener('timeout', () =>
      reject(new ApiError('Sending the file to storage took too long. Try again.', 0)),
    );
    request.timeout = 10 * 60 * 1000;
    request.send(form);
  });
}
