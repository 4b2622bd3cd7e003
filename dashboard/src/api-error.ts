/** An API answer that is not a success, in words a person reads. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The access token was refused (or could not be renewed): only signing in again helps. */
export class SessionEndedError extends Error {
  constructor() {
    super('Your session has ended. Sign in again.');
    this.name = 'SessionEndedError';
  }
}

const LONGEST_MESSAGE = 300;

/**
 * The sentence to show for a failed answer. The APIs answer `{"message": "..."}`; API Gateway
 * itself sometimes says `{"Message": "..."}`; anything else (HTML from a proxy, an empty body)
 * gets words chosen by status, never the raw body.
 */
export function errorMessage(status: number, bodyText: string): string {
  const fromBody = messageFromBody(bodyText);
  if (fromBody !== undefined) return fromBody;
  return messageForStatus(status);
}

export function messageForStatus(status: number): string {
  if (status === 400) return 'The request was not accepted (400 Bad Request).';
  if (status === 401) return 'Your session has ended. Sign in again.';
  if (status === 403) return 'You are not allowed to do this (403 Forbidden).';
  if (status === 404) return 'It was not found (404 Not Found).';
  if (status === 413) return 'That is too large for the server to accept (413).';
  if (status === 429) return 'The server is busy (429 Too Many Requests). Try again in a moment.';
  if (status >= 500) return `The server had a problem (${status}). Try again in a moment.`;
  return `The request failed with status ${status}.`;
}

export const NETWORK_ERROR_MESSAGE = 'The server could not be reached. Check your connection and try again.';
export const TIMEOUT_MESSAGE = 'The server did not answer in time. Try again in a moment.';

function messageFromBody(bodyText: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { message, Message } = body as Record<string, unknown>;
  const text = typeof message === 'string' ? message : typeof Message === 'string' ? Message : undefined;
  if (text === undefined || text.trim() === '') return undefined;
  const trimmed = text.trim();
  return trimmed.length > LONGEST_MESSAGE ? `${trimmed.slice(0, LONGEST_MESSAGE)}...` : trimmed;
}

/**
 * S3 answers a refused POST with XML (`<Error><Code>EntityTooLarge</Code><Message>...`).
 * A regular expression is enough to pick the message out, and keeps this module DOM-free.
 */
export function s3ErrorMessage(status: number, bodyText: string): string {
  const code = /<Code>([^<]*)<\/Code>/.exec(bodyText)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(bodyText)?.[1];
  if (code === 'EntityTooLarge') return 'The storage service refused the file: it is larger than the upload limit.';
  if (code === 'AccessDenied' && message !== undefined && /expired/i.test(message)) {
    return 'The upload permission expired before the file was sent. Try the upload again.';
  }
  if (message !== undefined && message.trim() !== '') return `The storage service refused the file: ${decodeXmlText(message.trim())}`;
  return `The storage service refused the file (status ${status}).`;
}

function decodeXmlText(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
