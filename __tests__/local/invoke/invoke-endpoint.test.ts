import { join, resolve } from 'node:path';
import { startInvokeEndpoint, type RunningInvokeEndpoint } from '../../../local/invoke/invoke-endpoint';
import type { FunctionRun } from '../../../local/invoke/invoke-once';
import { LocalFunction } from '../../../local/lambda/local-function';
import { SynthesizedStack } from '../../../local/stack/synthesized-stack';

const HANDLERS = join(resolve(__dirname, '..', 'lambda', 'fixtures'), 'handlers', 'index.js');
const stack = new SynthesizedStack({ resource: { aws_lambda_function: { 'log-lines_function_0A1B2C3D': { function_name: 'dev-log-lines' } } } });

let fn: LocalFunction;
let endpoint: RunningInvokeEndpoint;
const invoked: FunctionRun[] = [];

beforeAll(async () => {
  fn = new LocalFunction({ functionName: 'dev-log-lines', codePath: HANDLERS, handler: 'index.log', timeoutSeconds: 5, memoryMb: 128, environment: {} });
  endpoint = await startInvokeEndpoint(stack, new Map([[fn.functionName, fn]]), (run) => invoked.push(run));
});

afterAll(async () => {
  await endpoint.stop();
  await fn.stop();
});

function post(name: string, body: string, token = endpoint.token): Promise<Response> {
  return fetch(`${endpoint.url}/functions/${encodeURIComponent(name)}/invocations`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
}

describe("a running session's invoke endpoint", () => {
  it('runs the function by name or construct id and answers with the result and its log lines', async () => {
    const response = await post('log-lines', '{"id": 7}');
    expect(response.status).toBe(200);
    const run = (await response.json()) as FunctionRun;
    expect(run).toMatchObject({ functionName: 'dev-log-lines', memorySizeMb: 128, invocation: { ok: true, result: 'logged' } });
    expect(run.initLogLines).toEqual(['cold start']);
    expect(run.logLines).toEqual(['info 7', 'warning 7', 'two', 'lines', 'no newline 7']);
    expect(invoked.map((each) => each.invocation.requestId)).toEqual([run.invocation.requestId]);
    expect((await post('dev-log-lines', '{"id": 8}')).status).toBe(200);
  });

  it('refuses a caller without the token, an unknown function, an event that is not JSON, and one over 6 MB', async () => {
    expect((await post('dev-log-lines', '{}', 'guess')).status).toBe(403);
    const unknown = await post('dev-other', '{}');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toContain('Functions of this stack: dev-log-lines (log-lines)');
    const notJson = await post('dev-log-lines', '{"id":');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { message: string }).message).toMatch(/^The event is not JSON/);
    const tooLarge = await post('dev-log-lines', JSON.stringify({ padding: 'x'.repeat(6 * 1024 * 1024) }));
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { message: string }).message).toContain('RequestEntityTooLargeException');
    expect((await fetch(`${endpoint.url}/functions`, { headers: { authorization: `Bearer ${endpoint.token}` } })).status).toBe(404);
  });

  it('listens on the loopback interface only', () => {
    expect(new URL(endpoint.url).hostname).toBe('127.0.0.1');
  });
});
