import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a fake AWS JSON-protocol service answers for one call: a body, or an error by its type name. */
export type JsonServiceAnswer = { readonly body: object } | { readonly error: string; readonly status?: number; readonly message?: string };

export interface JsonService {
  readonly endpoint: string;
  /** Every call: the operation (X-Amz-Target's last part) and its JSON input. */
  readonly calls: { readonly operation: string; readonly input: Record<string, unknown> }[];
  stop(): Promise<void>;
}

/**
 * A stand-in for an AWS service that speaks the JSON protocol (Cognito, Step Functions) on
 * port 0, answering each call as `answer` says, so that a handler's own SDK client, pointed at
 * it by AWS_ENDPOINT_URL_<SERVICE>, is exercised with no test code in the handler.
 */
export async function startJsonService(answer: (operation: string, input: Record<string, unknown>) => JsonServiceAnswer): Promise<JsonService> {
  const calls: JsonService['calls'][number][] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const operation = String(request.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      calls.push({ operation, input });
      const result = answer(operation, input);
      const ok = 'body' in result;
      response.writeHead(ok ? 200 : (result.status ?? 400), { 'Content-Type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(ok ? result.body : { __type: result.error, message: result.message ?? result.error }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
