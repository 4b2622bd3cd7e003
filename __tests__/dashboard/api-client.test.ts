import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callApi } from '../../dashboard/src/api-client';
import { ApiError, SessionEndedError } from '../../dashboard/src/api-error';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler;
const seen: { method?: string; authorization?: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      seen.push({ method: request.method, authorization: request.headers.authorization, body });
      handler(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => (seen.length = 0));

function answer(status: number, body: string, type = 'application/json'): Handler {
  return (_request, response) => {
    response.writeHead(status, { 'Content-Type': type });
    response.end(body);
  };
}

function session(token: string | undefined) {
  const ended = jest.fn();
  return { session: { accessToken: () => token, ended }, ended };
}

test('sends the access token as Authorization and the body as JSON', async () => {
  handler = answer(201, '{"uploadId":"u1"}');
  const { session: s } = session('access-token');
  await expect(callApi(s, `${base}/uploads`, { method: 'POST', body: { fileName: 'a.json', size: 3 } })).resolves.toEqual({ uploadId: 'u1' });
  expect(seen).toEqual([{ method: 'POST', authorization: 'access-token', body: '{"fileName":"a.json","size":3}' }]);
});

test('an API error becomes its message sentence', async () => {
  handler = answer(400, '{"message":"sort must be one of productId, name, quantity, price."}');
  const error = await callApi(session('access-token').session, `${base}/products`).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  expect((error as ApiError).message).toBe('sort must be one of productId, name, quantity, price.');
  expect((error as ApiError).status).toBe(400);
});

test('an HTML error page becomes words, not markup', async () => {
  handler = answer(502, '<html><h1>502 Bad Gateway</h1></html>', 'text/html');
  await expect(callApi(session('access-token').session, `${base}/products`)).rejects.toThrow('The server had a problem (502). Try again in a moment.');
});

test('a 401 ends the session', async () => {
  handler = answer(401, '{"message":"Unauthorized"}');
  const { session: s, ended } = session('access-token');
  await expect(callApi(s, `${base}/products`)).rejects.toBeInstanceOf(SessionEndedError);
  expect(ended).toHaveBeenCalledTimes(1);
});

test('no token: the session has ended and nothing is sent', async () => {
  handler = answer(200, '{}');
  const { session: s, ended } = session(undefined);
  await expect(callApi(s, `${base}/products`)).rejects.toThrow('Your session has ended. Sign in again.');
  expect(ended).toHaveBeenCalled();
  expect(seen).toEqual([]);
});

test('a success that is not JSON is reported, not shown', async () => {
  handler = answer(200, 'oops', 'text/plain');
  await expect(callApi(session('access-token').session, `${base}/products`)).rejects.toThrow('The server sent an answer the dashboard cannot read.');
});

test('an unreachable server is said in words', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/products`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await expect(callApi(session('access-token').session, url)).rejects.toThrow('The server could not be reached. Check your connection and try again.');
});
