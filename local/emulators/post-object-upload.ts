/**
 * A browser-based upload (POST Object: a multipart/form-data POST to a bucket), which
 * fauxqs does not take (its `POST /:bucket` is DeleteObjects), answered as S3 answers it:
 * the form's fields up to the file, judged against the SigV4 POST policy (post-policy.ts);
 * the file, counted against the policy's content-length-range (EntityTooLarge even when a
 * page's own size check was bypassed); then the object stored in fauxqs with a signed
 * PutObject, so that everything downstream (reads, bucket notifications) sees an ordinary
 * new object; and S3's answer: success_action_redirect, or success_action_status.
 */
import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import busboy from 'busboy';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { POST_UPLOAD_METADATA_KEY } from './fauxqs';
import { bodyTooLargeLocally, FAUXQS_MAX_BODY_BYTES } from './fauxqs-body-limit';
import { judgePostForm, largestAllowedSize, postFileSizeRefusal, type AcceptedPost } from './post-policy';
import type { LocalCredentials } from './presigned-request';
import { sendS3Error, type S3Error } from './s3-error';

export interface PostObjectUploads {
  answer(incoming: IncomingMessage, outgoing: ServerResponse, bucket: string, headers: Readonly<Record<string, string>>): void;
  stop(): void;
}

/** The bucket a request uploads to by POST Object, or undefined when it is something else. */
export function postObjectBucket(method: string | undefined, url: string | undefined, contentType: string | undefined): string | undefined {
  if (method !== 'POST' || !/^multipart\/form-data\b/i.test(contentType ?? '')) return undefined;
  const { pathname, searchParams } = new URL(url ?? '/', 'http://local');
  // `?delete` is DeleteObjects; a bucket POST without a query is the upload.
  if ([...searchParams.keys()].length > 0) return undefined;
  // Bucket names are plain DNS labels: nothing in one is percent-encoded.
  return /^\/([a-z0-9.-]+)\/?$/.exec(pathname)?.[1];
}

/** A text field named `file` is the content, as in S3; fields after the file are ignored. */
const FILE_FIELD = 'file';

export function postObjectUploads(s3Endpoint: string, credentials: LocalCredentials, now: () => Date): PostObjectUploads {
  // The object is stored with the region the policy was signed for, as S3 stores it in the bucket's.
  const clients = new Map<string, S3Client>();
  const clientFor = (region: string) => {
    const client = clients.get(region) ?? new S3Client({ region, credentials, endpoint: s3Endpoint, forcePathStyle: true });
    clients.set(region, client);
    return client;
  };

  const store = async (bucket: string, upload: AcceptedPost, body: Buffer) => {
    const expires = upload.expires === undefined ? undefined : new Date(upload.expires);
    const { ETag } = await clientFor(upload.region).send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: upload.key,
        Body: body,
        ContentType: upload.contentType,
        CacheControl: upload.cacheControl,
        ContentDisposition: upload.contentDisposition,
        ContentEncoding: upload.contentEncoding,
        Expires: expires && !Number.isNaN(expires.getTime()) ? expires : undefined,
        // Says to fauxqs that this is a POST upload (reported as ObjectCreated:Post); not stored.
        Metadata: { ...upload.metadata, [POST_UPLOAD_METADATA_KEY]: 'true' },
      }),
    );
    return ETag ?? '""';
  };

  const answer = (incoming: IncomingMessage, outgoing: ServerResponse, bucket: string, headers: Readonly<Record<string, string>>) => {
    const refuse = (error: S3Error) => {
      if (!outgoing.headersSent) sendS3Error(outgoing, error, headers);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: incoming.headers });
    } catch {
      incoming.resume();
      return refuse(malformedPost());
    }

    const fields: [string, string][] = [];
    let file: { judged: AcceptedPost | S3Error; kept: Buffer[]; size: number } | undefined;
    const takeFile = (fileName: string | undefined) => {
      file = { judged: judgePostForm({ bucket, fields, fileName }, credentials, now()), kept: [], size: 0 };
      return file;
    };
    // Only what could be stored is kept; the rest is counted, so that a refusal can say how large the file was.
    const keep = (taken: NonNullable<typeof file>, chunk: Buffer) => {
      taken.size += chunk.length;
      if ('code' in taken.judged) return;
      if (taken.size <= Math.min(largestAllowedSize(taken.judged.sizeRanges), FAUXQS_MAX_BODY_BYTES)) taken.kept.push(chunk);
    };

    parser.on('field', (name, value) => {
      if (file) return;
      if (name === FILE_FIELD) keep(takeFile(undefined), Buffer.from(value));
      else fields.push([name, value]);
    });
    parser.on('file', (name, stream, info) => {
      if (file || name !== FILE_FIELD) {
        stream.resume();
        return;
      }
      const taken = takeFile(info.filename);
      stream.on('data', (chunk: Buffer) => keep(taken, chunk));
    });
    parser.on('error', () => {
      incoming.unpipe(parser);
      incoming.resume();
      refuse(malformedPost());
    });
    parser.on('close', () => {
      finish(bucket, file, incoming, outgoing, headers).catch((error: unknown) => refuse(storeFailure(error)));
    });
    incoming.pipe(parser);
  };

  const finish = async (
    bucket: string,
    file: { judged: AcceptedPost | S3Error; kept: Buffer[]; size: number } | undefined,
    incoming: IncomingMessage,
    outgoing: ServerResponse,
    headers: Readonly<Record<string, string>>,
  ) => {
    if (outgoing.headersSent) return;
    if (!file) {
      return sendS3Error(
        outgoing,
        { status: 400, code: 'InvalidArgument', message: 'POST requires exactly one file upload per request.', details: { ArgumentName: 'file', ArgumentValue: 0 } },
        headers,
      );
    }
    const { judged, kept, size } = file;
    if ('code' in judged) return sendS3Error(outgoing, judged, headers);
    const sizeRefusal = postFileSizeRefusal(size, judged.sizeRanges) ?? (size > FAUXQS_MAX_BODY_BYTES ? bodyTooLargeLocally(size) : undefined);
    if (sizeRefusal) return sendS3Error(outgoing, sizeRefusal, headers);

    const eTag = await store(bucket, judged, Buffer.concat(kept));
    const location = `http://${incoming.headers.host ?? 'localhost'}/${encodeURIComponent(bucket)}/${judged.key.split('/').map(encodeURIComponent).join('/')}`;
    if (judged.successActionRedirect) {
      const target = new URL(judged.successActionRedirect);
      target.searchParams.append('bucket', bucket);
      target.searchParams.append('key', judged.key);
      target.searchParams.append('etag', eTag);
      outgoing.writeHead(303, { ...headers, location: target.toString(), etag: eTag }).end();
      return;
    }
    if (judged.successActionStatus === 201) {
      outgoing
        .writeHead(201, { ...headers, 'content-type': 'application/xml', location, etag: eTag })
        .end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${escapeXml(location)}</Location><Bucket>${escapeXml(bucket)}</Bucket>` +
            `<Key>${escapeXml(judged.key)}</Key><ETag>${escapeXml(eTag)}</ETag></PostResponse>`,
        );
      return;
    }
    outgoing.writeHead(judged.successActionStatus, { ...headers, location, etag: eTag }).end();
  };

  return {
    answer,
    stop: () => {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  };
}

const malformedPost = (): S3Error => ({ status: 400, code: 'MalformedPOSTRequest', message: 'The body of your POST request is not well-formed multipart/form-data.' });

/** fauxqs's refusal of the write (NoSuchBucket above all), passed on as S3 would answer it. */
function storeFailure(error: unknown): S3Error {
  if (error instanceof S3ServiceException) return { status: error.$metadata.httpStatusCode ?? 500, code: error.name, message: error.message };
  return { status: 500, code: 'InternalError', message: `The local S3 could not store the upload: ${String(error)}` };
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
