/**
 * Lets another terminal invoke one function of a running local pipeline
 * (`npm run local -- invoke <stack> <function> --attach`): an HTTP endpoint on the
 * loopback interface that only a holder of the session's token may call, which runs the
 * function as Lambda's Invoke API would and answers with what the console shows. The rest
 * of the pipeline then reacts as it would in AWS.
 *
 *   POST /functions/<name or construct id>/invocations    Authorization: Bearer <token>
 *   body: the event (JSON)    ->    200 FunctionRun | 4xx { message }
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalFunction } from '../lambda/local-function';
import type { RunningPart } from '../running-part';
import { findFunction, UnknownFunctionError } from '../stack/stack-functions';
import type { SynthesizedStack } from '../stack/synthesized-stack';
import { invokeOnce, MAX_PAYLOAD_BYTES, PayloadTooLargeError, type FunctionRun } from './invoke-once';

export interface RunningInvokeEndpoint extends RunningPart {
  readonly url: string;
  readonly token: string;
}

const PATH = /^\/functions\/([^/]+)\/invocations$/;

/**
 * @param onInvoked told of each invocation made through the endpoint, so that the session's
 *   terminal shows it among the pipeline's own
 */
export async function startInvokeEndpoint(
  stack: SynthesizedStack,
  functions: ReadonlyMap<string, LocalFunction>,
  onInvoked: (run: FunctionRun, event: unknown) => void = () => {},
): Promise<RunningInvokeEndpoint> {
  const token = randomBytes(32).toString('hex');
  const inFlight = new Set<Promise<void>>();
  const server = createServer((request, response) => {
    const handled = handle(request, response).catch((error: unknown) => reply(response, 500, { message: (error as Error).message }));
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = PATH.exec(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (request.method !== 'POST' || !match) return reply(response, 404, { message: 'POST /functions/<name>/invocations is all this endpoint serves' });
    if (!authorized(request.headers.authorization, token)) return reply(response, 403, { message: "The session's token is missing or wrong" });
    let fn: LocalFunction;
    try {
      fn = functions.get(findFunction(stack, decodeURIComponent(match[1])).functionName)!;
    } catch (error) {
      if (error instanceof UnknownFunctionError) return reply(response, 404, { message: error.message });
      throw error;
    }
    const body = await readBody(request);
    if (body === undefined) return reply(response, 413, { message: new PayloadTooLargeError(MAX_PAYLOAD_BYTES + 1).message });
    let event: unknown;
    try {
      event = JSON.parse(body.length === 0 ? '{}' : body);
    } catch (error) {
      return reply(response, 400, { message: `The event is not JSON: ${(error as Error).message}` });
    }
    const run = await invokeOnce(fn, event);
    onInvoked(run, event);
    reply(response, 200, run);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    idle: async () => {
      await Promise.all(inFlight);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function authorized(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer /, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The body as text, or undefined once it passes Lambda's payload limit (the rest is not read). */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_PAYLOAD_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
