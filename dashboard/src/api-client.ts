import { ApiError, NETWORK_ERROR_MESSAGE, SessionEndedError, TIMEOUT_MESSAGE, errorMessage } from './api-error';

/** What the client needs from the sign-in: the token to send, and whom to tell when it is refused. */
export interface Session {
  accessToken(): string | undefined;
  ended(): void;
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST';
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Calls one of the dashboard's APIs (same origin, through CloudFront) with the access token,
 * and turns every failure into an error whose message a person can read.
 */
export async function callApi<T>(session: Session, url: string, options: RequestOptions = {}): Promise<T> {
  const token = session.accessToken();
  if (token === undefined) {
    session.ended();
    throw new SessionEndedError();
  }
  const headers: Record<string, string> = { Authorization: token, Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';

  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal,
      // The APIs are same-origin; nothing needs cookies.
      credentials: 'omit',
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(timeout.aborted ? TIMEOUT_MESSAGE : NETWORK_ERROR_MESSAGE, 0);
  }

  const text = await response.text();
  if (response.status === 401) {
    session.ended();
    throw new SessionEndedError();
  }
  if (!response.ok) throw new ApiError(errorMessage(response.status, text), response.status);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError('The server sent an answer the dashboard cannot read. Try again in a moment.', response.status);
  }
}

/** True when an error is only the result of a request being cancelled on purpose. */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
