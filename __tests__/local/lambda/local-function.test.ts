import { join, resolve } from 'node:path';
import type { Invocation, InvocationFailure, InvocationSuccess } from '../../../local/lambda/invocation';
import { LocalFunction, type LocalFunctionOptions } from '../../../local/lambda/local-function';
import { runNodeProgram } from '../support/process-checks';

const FIXTURES = resolve(__dirname, 'fixtures');
const HANDLERS = join(FIXTURES, 'handlers', 'index.js');
const NEEDS_ENV = join(FIXTURES, 'needs-env', 'index.js');

/** Every function a test starts, stopped after it so no worker outlives the test. */
const started: LocalFunction[] = [];

function localFunction(exportName: string, overrides: Partial<LocalFunctionOptions> = {}): LocalFunction {
  const fn = new LocalFunction({
    functionName: `test-${exportName}`,
    codePath: HANDLERS,
    handler: `index.${exportName}`,
    timeoutSeconds: 5,
    memoryMb: 128,
    environment: {},
    ...overrides,
  });
  started.push(fn);
  return fn;
}

function succeeded(invocation: Invocation): InvocationSuccess {
  if (!invocation.ok) throw new Error(`Expected success, got ${JSON.stringify(invocation.error)}`);
  return invocation;
}

function failed(invocation: Invocation): InvocationFailure {
  if (invocation.ok) throw new Error(`Expected failure, got ${JSON.stringify(invocation.result)}`);
  return invocation;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((fn) => fn.stop()));
});

describe('LocalFunction', () => {
  it('sends the event and returns the result as JSON, and undefined as null', async () => {
    const echo = localFunction('echo');
    const invocation = succeeded(await echo.invoke({ order: { item: 'pen' }, at: new Date(0), skipped: undefined }));
    expect((invocation.result as { event: unknown }).event).toEqual({ order: { item: 'pen' }, at: '1970-01-01T00:00:00.000Z' });
    expect(invocation.durationMs).toBeGreaterThan(0);

    const nothing = localFunction('nothing');
    expect(succeeded(await nothing.invoke({})).result).toBeNull();
  });

  it('gives the handler a Lambda context', async () => {
    const echo = localFunction('echo', { functionName: 'dev-POC-Lambda-1', memoryMb: 256, region: 'eu-west-1', accountId: '123456789012' });
    const invocation = succeeded(await echo.invoke({}));
    const { context } = invocation.result as { context: Record<string, unknown> };
    expect(context).toMatchObject({
      functionName: 'dev-POC-Lambda-1',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:dev-POC-Lambda-1',
      memoryLimitInMB: '256',
      awsRequestId: invocation.requestId,
      logGroupName: '/aws/lambda/dev-POC-Lambda-1',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context.remainingMs).toBeGreaterThan(4_000);
    expect(context.remainingMs).toBeLessThanOrEqual(5_000);
  });

  it("gives each function its own environment variables and leaves this process's alone", async () => {
    const parentEnv = { ...process.env };
    const english = localFunction('echo', { functionName: 'english', environment: { GREETING: 'hello' } });
    const french = localFunction('echo', { functionName: 'french', environment: { GREETING: 'bonjour' }, memoryMb: 192 });
    const [inEnglish, inFrench] = await Promise.all([english.invoke({}), french.invoke({})]);
    const envOf = (invocation: Invocation): Record<string, string | undefined> => (succeeded(invocation).result as { env: Record<string, string> }).env;

    expect(envOf(inEnglish)).toEqual({
      GREETING: 'hello',
      AWS_LAMBDA_FUNCTION_NAME: 'english',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/english',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      LAMBDA_TASK_ROOT: join(FIXTURES, 'handlers'),
      // Only what the function is given: nothing leaks in from this process.
    });
    expect(envOf(inFrench)).toMatchObject({ GREETING: 'bonjour', AWS_LAMBDA_FUNCTION_NAME: 'french', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '192' });
    expect(process.env).toEqual(parentEnv);
  });

  it('reuses a warm environment: module scope runs once', async () => {
    const echo = localFunction('echo');
    const counts: unknown[] = [];
    for (let i = 0; i < 3; i++) counts.push((succeeded(await echo.invoke({})).result as { invocation: number }).invocation);
    expect(counts).toEqual([1, 2, 3]);
    expect(echo.stats).toEqual({ coldStarts: 1, inFlight: 0, invocations: 3 });
  });

  it('runs at most maxConcurrency invocations at once and queues the rest', async () => {
    const slow = localFunction('slow', { maxConcurrency: 2 });
    const pending = Array.from({ length: 5 }, () => slow.invoke({ ms: 150 }));
    expect(slow.stats).toEqual({ coldStarts: 2, inFlight: 5, invocations: 5 });
    const spans = (await Promise.all(pending)).map((invocation) => succeeded(invocation).result as { start: number; end: number });

    const overlapAt = (time: number): number => spans.filter(({ start, end }) => start <= time && time < end).length;
    const mostAtOnce = Math.max(...spans.map(({ start }) => overlapAt(start)));
    expect(mostAtOnce).toBe(2);
    expect(slow.stats).toEqual({ coldStarts: 2, inFlight: 0, invocations: 5 });
  });

  it("reports a thrown error in Lambda's shape and keeps the environment", async () => {
    const fn = localFunction('fail');
    const invocation = failed(await fn.invoke({ fail: true }));
    expect(invocation.timedOut).toBe(false);
    expect(invocation.error.errorType).toBe('ValidationError');
    expect(invocation.error.errorMessage).toBe('bad order');
    expect(invocation.error.stackTrace?.[0]).toBe('ValidationError: bad order');
    expect(invocation.error.stackTrace?.some((line) => line.includes(HANDLERS))).toBe(true);

    expect(succeeded(await fn.invoke({ fail: false })).result).toEqual({ invocation: 1 });
    expect(fn.stats.coldStarts).toBe(1);
  });

  it('reports load errors as Lambda does and tries a fresh environment next time', async () => {
    const options = { codePath: NEEDS_ENV, handler: 'index.handler', functionName: 'needs-env' };
    const unconfigured = localFunction('handler', options);
    const first = failed(await unconfigured.invoke({}));
    expect(first.error.errorType).toBe('Runtime.ImportModuleError');
    expect(first.error.errorMessage).toBe('Error: TABLE_NAME is not set');
    expect(first.timedOut).toBe(false);
    expect(failed(await unconfigured.invoke({})).error.errorType).toBe('Runtime.ImportModuleError');
    expect(unconfigured.stats.coldStarts).toBe(2);

    const configured = localFunction('handler', { ...options, environment: { TABLE_NAME: 'orders' } });
    expect(succeeded(await configured.invoke({})).result).toEqual({ tableName: 'orders' });

    expect(failed(await localFunction('missing').invoke({})).error).toEqual({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.missing is undefined or not exported',
    });
    expect(failed(await localFunction('notAFunction').invoke({})).error.errorType).toBe('Runtime.HandlerNotFound');
  });

  it('times out a handler that never returns and replaces its environment', async () => {
    const fn = localFunction('maybeSpin', { timeoutSeconds: 0.3 });
    const timedOut = failed(await fn.invoke({ spin: true }));
    expect(timedOut.timedOut).toBe(true);
    expect(timedOut.error).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 0.30 seconds' });
    expect(timedOut.durationMs).toBeGreaterThanOrEqual(290);

    // A fresh environment: module scope ran again, so the count starts over.
    expect(succeeded(await fn.invoke({ spin: false })).result).toEqual({ invocation: 1 });
    expect(fn.stats.coldStarts).toBe(2);
  });

  it('supports callback-style handlers', async () => {
    const fn = localFunction('callback');
    expect(succeeded(await fn.invoke({ n: 21 })).result).toEqual({ doubled: 42 });
    expect(failed(await fn.invoke({ fail: true })).error).toMatchObject({ errorType: 'Error', errorMessage: 'callback failure' });
  });

  it('passes every line the function writes to onLog before the invocation settles', async () => {
    const lines: string[] = [];
    const fn = localFunction('log', { onLog: (line) => lines.push(line) });
    expect(succeeded(await fn.invoke({ id: 1 })).result).toBe('logged');
    // In the order written, stdout and stderr interleaved, the unterminated line last.
    expect(lines).toEqual(['cold start', 'info 1', 'warning 1', 'two', 'lines', 'no newline 1']);

    lines.length = 0;
    await fn.invoke({ id: 2 });
    expect(lines).toEqual(['info 2', 'warning 2', 'two', 'lines', 'no newline 2']);
  });

  it("gives each invocation's own lines to its onLog, the cold start's to the first, while others run alongside", async () => {
    const fn = localFunction('log', { maxConcurrency: 2 });
    const first: string[] = [];
    const second: string[] = [];
    await Promise.all([fn.invoke({ id: 1 }, { onLog: (line) => first.push(line) }), fn.invoke({ id: 2 }, { onLog: (line) => second.push(line) })]);
    expect(first).toEqual(['cold start', 'info 1', 'warning 1', 'two', 'lines', 'no newline 1']);
    expect(second).toEqual(['cold start', 'info 2', 'warning 2', 'two', 'lines', 'no newline 2']);
  });

  it('reports the init duration on a cold start only, and the memory the environment has held', async () => {
    const echo = localFunction('echo');
    const cold = await echo.invoke({});
    const warm = await echo.invoke({});
    expect(cold.initDurationMs).toBeGreaterThan(0);
    expect(warm.initDurationMs).toBeUndefined();
    expect(cold.maxMemoryUsedMb).toBeGreaterThan(0);
    // A high-water mark: it never falls within one environment.
    expect(warm.maxMemoryUsedMb).toBeGreaterThanOrEqual(cold.maxMemoryUsedMb!);
  });

  it('reports a function that runs out of memory, exits or throws outside its handler', async () => {
    const hog = failed(await localFunction('hog', { memoryMb: 32 }).invoke({}));
    expect(hog.error.errorType).toBe('Runtime.OutOfMemory');

    const exit = failed(await localFunction('exit').invoke({}));
    expect(exit.error).toEqual({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited with error: exit status 3' });

    const throwLater = localFunction('throwLater');
    expect(failed(await throwLater.invoke({})).error).toMatchObject({ errorType: 'RangeError', errorMessage: 'thrown outside the handler' });
    expect(throwLater.stats).toMatchObject({ coldStarts: 1, inFlight: 0 });
  });

  it('idle() resolves once every running and queued invocation has settled, at once when there is none', async () => {
    const slow = localFunction('slow', { maxConcurrency: 1 });
    await slow.idle();
    const settled: number[] = [];
    for (const ms of [150, 50]) void slow.invoke({ ms }).then(() => settled.push(ms));
    await slow.idle();
    expect(settled).toEqual([150, 50]);
    expect(slow.stats.inFlight).toBe(0);
  });

  it('stop() fails running and queued invocations, ends every worker and can be called twice', async () => {
    const slow = localFunction('slow', { maxConcurrency: 1 });
    const running = slow.invoke({ ms: 5_000 });
    const queued = slow.invoke({ ms: 5_000 });
    const startedAt = Date.now();
    await Promise.all([slow.stop(), slow.stop()]);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    for (const invocation of await Promise.all([running, queued])) {
      expect(failed(invocation).error.errorType).toBe('Runtime.Stopped');
    }
    expect(slow.stats.inFlight).toBe(0);

    const after = failed(await slow.invoke({ ms: 1 }));
    expect(after.error.errorType).toBe('Runtime.Stopped');
    expect(after.error.errorMessage).toMatch(/test-slow is stopped/);
  });

  it('rejects an event that cannot be sent as JSON', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(localFunction('echo').invoke(circular)).rejects.toThrow(/cannot be sent as JSON/);
  });

  it('lets the process exit once its functions are idle or stopped', async () => {
    const program = `
      const { LocalFunction } = require('./local/lambda/local-function');
      const make = (functionName) => new LocalFunction({
        functionName, codePath: ${JSON.stringify(HANDLERS)}, handler: 'index.slow',
        timeoutSeconds: 60, memoryMb: 128, environment: {},
      });
      const idle = make('idle');
      const stopped = make('stopped');
      const interrupted = stopped.invoke({ ms: 30000 });
      idle.invoke({ ms: 50 }).then(async (invocation) => {
        await stopped.stop();
        const { error } = await interrupted;
        console.log(JSON.stringify({ ok: invocation.ok, stats: idle.stats, interrupted: error.errorType }));
      });
    `;
    // Nothing stops `idle`: if its idle worker, or the stopped function's 30-second
    // invocation, kept the process running, the program would time out.
    const output = await runNodeProgram(program, 15_000);
    expect(JSON.parse(output)).toEqual({ ok: true, stats: { coldStarts: 1, inFlight: 0, invocations: 1 }, interrupted: 'Runtime.Stopped' });
  });

  describe('options', () => {
    const valid: LocalFunctionOptions = { functionName: 'f', codePath: HANDLERS, handler: 'index.echo', timeoutSeconds: 3, memoryMb: 128, environment: {} };

    it.each<[string, Partial<LocalFunctionOptions>, RegExp]>([
      ['a missing bundle', { codePath: join(FIXTURES, 'absent', 'index.js') }, /not at .*absent\/index\.js: run `npm run synth`/],
      ['a relative code path', { codePath: 'index.js' }, /must be an absolute path/],
      ['a handler without an export', { handler: 'handler' }, /"<module>\.<export>"/],
      ['a handler with an empty export', { handler: 'index.' }, /"<module>\.<export>"/],
      ['a handler naming another module', { handler: 'main.handler' }, /names module "main" but its code is index\.js/],
      ['a zero timeout', { timeoutSeconds: 0 }, /timeoutSeconds of f must be a positive number/],
      ['a negative memory size', { memoryMb: -1 }, /memoryMb of f must be a positive whole number/],
      ['a zero concurrency', { maxConcurrency: 0 }, /maxConcurrency of f/],
      ['a function name Lambda refuses', { functionName: 'no spaces' }, /functionName must be/],
    ])('rejects %s', (_description, override, message) => {
      expect(() => new LocalFunction({ ...valid, ...override })).toThrow(message);
    });
  });
});
