import type { Invocation, Invokable } from '../../../local/lambda/invocation';
import type { StateMachineEvent } from '../../../local/step-functions/execution-events';
import { LocalStateMachine } from '../../../local/step-functions/local-state-machine';
import {
  CREDENTIALS_EXPIRE_TOO_SOON_ERROR,
  INVALID_REPORT_INPUT_ERROR,
  REPORT_STATES,
  reportWorkflowDefinition,
  type ReportWorkflowRefs,
} from '../../../stacks/report-workflow';

const REFS: ReportWorkflowRefs = {
  fetchSupplierDataArn: 'arn:aws:lambda:us-east-1:000000000000:function:report-fetch-supplier-data',
  renderReportArn: 'arn:aws:lambda:us-east-1:000000000000:function:report-render-report',
  presignReportUrlArn: 'arn:aws:lambda:us-east-1:000000000000:function:report-presign-report-url',
  topicArn: 'arn:aws:sns:us-east-1:000000000000:EmailReport',
};
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:ReportWorkflow';
const EXECUTION_ARN_PREFIX = 'arn:aws:states:us-east-1:000000000000:execution:ReportWorkflow:';

const SUPPLIER_DATA = { suppliers: [{ id: 1, name: 'Coffee Co', beans: [{ type: 'arabica', productName: 'Morning', quantity: 12 }] }] };
const REPORT = { bucket: 'reports', key: 'reports/run-1.html' };
const LINK = { url: 'http://127.0.0.1:4566/reports/reports/run-1.html?X-Amz-Signature=abc', expiresAt: '2030-01-01T00:15:00.000Z', expiresInSeconds: 900 };

type Step = { result: unknown } | { error: string; message?: string } | { reject: string } | 'hang';

/** A fake local function: each call takes the next step (the last one repeats), and records its event. */
function fakeFunction(functionName: string, ...steps: Step[]): Invokable & { events: unknown[] } {
  const events: unknown[] = [];
  return {
    functionName,
    events,
    async invoke(event: unknown): Promise<Invocation> {
      events.push(event);
      const step = steps[Math.min(events.length, steps.length) - 1];
      const common = { requestId: `${functionName}-${events.length}`, durationMs: 1 };
      if (step === 'hang') return new Promise<Invocation>(() => undefined);
      if ('reject' in step) throw new Error(step.reject);
      if ('error' in step) {
        return { ...common, ok: false, timedOut: false, error: { errorType: step.error, errorMessage: step.message ?? `${step.error} thrown`, stackTrace: ['at handler (index.js:1:1)'] } };
      }
      return { ...common, ok: true, result: step.result };
    },
  };
}

interface Published {
  topicArn: string;
  subject: string | undefined;
  message: string;
}

function setUp(
  steps: { fetch?: Step[]; render?: Step[]; presign?: Step[] } = {},
  options: { publishFailures?: string[]; retryIntervalScale?: number } = {},
) {
  const fetch = fakeFunction('report-fetch-supplier-data', ...(steps.fetch ?? [{ result: SUPPLIER_DATA }]));
  const render = fakeFunction('report-render-report', ...(steps.render ?? [{ result: REPORT }]));
  const presign = fakeFunction('report-presign-report-url', ...(steps.presign ?? [{ result: LINK }]));
  const byArn = new Map<string, Invokable>([
    [REFS.fetchSupplierDataArn, fetch],
    [REFS.renderReportArn, render],
    [REFS.presignReportUrlArn, presign],
  ]);
  const published: Published[] = [];
  const publishFailures = [...(options.publishFailures ?? [])];
  const events: StateMachineEvent[] = [];
  const machine = new LocalStateMachine({
    definition: reportWorkflowDefinition(REFS),
    stateMachineArn: STATE_MACHINE_ARN,
    functions: (name) => byArn.get(name),
    publish: async (topicArn, subject, message) => {
      const failure = publishFailures.shift();
      if (failure) throw Object.assign(new Error(`${failure} from SNS`), { name: failure });
      published.push({ topicArn, subject, message });
      return { MessageId: `message-${published.length}` };
    },
    onEvent: (event) => events.push(event),
    retryIntervalScale: options.retryIntervalScale ?? 0,
  });
  return { machine, fetch, render, presign, published, events };
}

const entered = (events: StateMachineEvent[]) => events.flatMap((event) => (event.type === 'StateEntered' ? [event.state] : []));
const failedTasks = (events: StateMachineEvent[]) => events.flatMap((event) => (event.type === 'TaskFailed' ? [`${event.state}: ${event.error}`] : []));

describe('LocalStateMachine running the report workflow', () => {
  let machine: LocalStateMachine | undefined;
  afterEach(async () => {
    await machine?.stop();
    machine = undefined;
  });

  it('fetches, renders and presigns in parallel with the execution name, then publishes the link', async () => {
    const run = setUp();
    machine = run.machine;
    const started = machine.startExecution({ name: 'report-1', input: { requestedBy: 'alice' } });
    expect(started).toEqual({ executionArn: `${EXECUTION_ARN_PREFIX}report-1`, name: 'report-1', startDate: expect.any(Date) });
    // StartExecution returns at once: the execution has not ended yet.
    expect(machine.describeExecution(started.executionArn).status).toBe('RUNNING');

    const done = await machine.waitForExecution(started.executionArn, 5_000);
    // PublishReportLink keeps its input: the output holds the link the dashboard offers.
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      input: { requestedBy: 'alice' },
      output: { report: { key: 'reports/run-1.html' }, link: { url: expect.stringContaining('run-1.html'), expiresAt: expect.any(String) } },
      stopDate: expect.any(Date),
    });
    expect(done.error).toBeUndefined();

    expect(run.fetch.events).toEqual([{ executionName: 'report-1' }]);
    // OutputPath $.Payload hands the fetch function's return value to the Parallel state.
    expect(run.render.events).toEqual([{ executionName: 'report-1', data: SUPPLIER_DATA }]);
    expect(run.presign.events).toEqual([{ executionName: 'report-1' }]);
    expect(run.published).toEqual([
      {
        topicArn: REFS.topicArn,
        subject: 'Your coffee supplier report',
        message: `Your coffee supplier report is ready: ${LINK.url} (this link expires at ${LINK.expiresAt}, 900 seconds after it was made).`,
      },
    ]);

    expect(entered(run.events)).toEqual([REPORT_STATES.fetch, REPORT_STATES.parallel, expect.any(String), expect.any(String), REPORT_STATES.publish]);
    expect(entered(run.events).slice(2, 4).sort()).toEqual([REPORT_STATES.presign, REPORT_STATES.render].sort());
    expect(run.events[0]).toMatchObject({ type: 'ExecutionStarted', executionArn: started.executionArn, name: 'report-1', input: { requestedBy: 'alice' } });
    expect(run.events.at(-1)).toMatchObject({ type: 'ExecutionSucceeded', output: { link: { url: expect.stringContaining('run-1.html') } } });
  });

  it('names an execution with a UUID when no name is given, and refuses invalid or reused names', async () => {
    const run = setUp();
    machine = run.machine;
    const { name, executionArn } = machine.startExecution({ input: {} });
    expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(executionArn).toBe(EXECUTION_ARN_PREFIX + name);
    expect(run.fetch.events).toEqual([]);
    await machine.waitForExecution(executionArn, 5_000);
    expect(run.fetch.events).toEqual([{ executionName: name }]);

    expect(() => machine!.startExecution({ name: 'has space', input: {} })).toThrow(expect.objectContaining({ name: 'InvalidName' }));
    expect(() => machine!.startExecution({ name: 'x'.repeat(81), input: {} })).toThrow(expect.objectContaining({ name: 'InvalidName' }));
    expect(() => machine!.startExecution({ name, input: {} })).toThrow(expect.objectContaining({ name: 'ExecutionAlreadyExists' }));
    expect(() => machine!.describeExecution(`${EXECUTION_ARN_PREFIX}unknown`)).toThrow(expect.objectContaining({ name: 'ExecutionDoesNotExist' }));
  });

  it('retries transient errors (a Lambda service error, expiring credentials) with the scaled backoff, then succeeds', async () => {
    const run = setUp(
      {
        fetch: [{ reject: 'socket hang up' }, { result: SUPPLIER_DATA }],
        presign: [{ error: CREDENTIALS_EXPIRE_TOO_SOON_ERROR }, { error: CREDENTIALS_EXPIRE_TOO_SOON_ERROR }, { result: LINK }],
      },
      { publishFailures: ['ThrottledException'], retryIntervalScale: 0.01 },
    );
    machine = run.machine;
    const startedAt = Date.now();
    const { executionArn } = machine.startExecution({ name: 'retried', input: {} });
    const done = await machine.waitForExecution(executionArn, 5_000);

    expect(done.status).toBe('SUCCEEDED');
    // IntervalSeconds 2, BackoffRate 2, full jitter, scaled by 0.01: at most 20 + 40 ms per state.
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(run.fetch.events).toHaveLength(2);
    expect(run.presign.events).toHaveLength(3);
    expect(run.render.events).toHaveLength(1);
    expect(run.published).toHaveLength(1);
    expect(run.published[0].message).toContain(LINK.url);
    expect(failedTasks(run.events)).toEqual(
      expect.arrayContaining([
        `${REPORT_STATES.fetch}: Lambda.ServiceException`,
        `${REPORT_STATES.presign}: ${CREDENTIALS_EXPIRE_TOO_SOON_ERROR}`,
        `${REPORT_STATES.publish}: SNS.ThrottledException`,
      ]),
    );
    expect(run.events.filter((event) => event.type === 'StateRetried')).toHaveLength(4);
  });

  it('does not retry InvalidReportInputError: it sends the failure notice, never the link, and ends FAILED', async () => {
    const run = setUp({ render: [{ error: INVALID_REPORT_INPUT_ERROR, message: 'no suppliers to report' }] });
    machine = run.machine;
    const { executionArn } = machine.startExecution({ name: 'invalid-input', input: {} });
    const done = await machine.waitForExecution(executionArn, 5_000);

    expect(run.render.events).toHaveLength(1);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe(INVALID_REPORT_INPUT_ERROR);
    // Cause is the function's error payload as JSON, as Lambda reports it for the Node.js runtime.
    expect(JSON.parse(done.cause!)).toEqual({ errorType: INVALID_REPORT_INPUT_ERROR, errorMessage: 'no suppliers to report', trace: ['at handler (index.js:1:1)'] });
    expect(done.output).toBeUndefined();

    expect(run.published).toHaveLength(1);
    expect(run.published[0].subject).toBe('Your coffee supplier report could not be made');
    expect(run.published[0].message).toContain('execution invalid-input could not be made, and no link was sent');
    expect(run.published[0].message).toContain(`Error: ${INVALID_REPORT_INPUT_ERROR}`);
    expect(run.published[0].message).toContain('no suppliers to report');
    expect(run.published[0].message).not.toContain(LINK.url);
    expect(entered(run.events)).not.toContain(REPORT_STATES.publish);
    expect(entered(run.events).slice(-2)).toEqual([REPORT_STATES.notifyFailure, REPORT_STATES.failed]);
    expect(run.events.filter((event) => event.type === 'StateRetried')).toEqual([]);
    expect(run.events.at(-1)).toMatchObject({ type: 'ExecutionFailed', error: INVALID_REPORT_INPUT_ERROR });
  });

  it.each([
    ['the database refuses connections', { error: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:3306' }, 'Error'],
    ['the database hangs until the function times out', { error: 'Sandbox.Timedout', message: 'Task timed out after 30.00 seconds' }, 'Sandbox.Timedout'],
  ] as const)('ends in the failure notice and FAILED when %s during the fetch', async (_, failure, errorName) => {
    const run = setUp({ fetch: [failure] });
    machine = run.machine;
    const { executionArn } = machine.startExecution({ name: 'database-down', input: {} });
    const done = await machine.waitForExecution(executionArn, 5_000);

    expect(done).toMatchObject({ status: 'FAILED', error: errorName });
    expect(JSON.parse(done.cause!)).toMatchObject({ errorType: errorName, errorMessage: failure.message });
    // Function errors are not among the retried Lambda service errors.
    expect(run.fetch.events).toHaveLength(1);
    expect(run.render.events).toEqual([]);
    expect(run.presign.events).toEqual([]);
    expect(run.published.map((message) => message.subject)).toEqual(['Your coffee supplier report could not be made']);
    expect(run.published[0].message).toContain(failure.message);
    expect(failedTasks(run.events)).toEqual([`${REPORT_STATES.fetch}: ${errorName}`]);
  });

  it('fails a task whose function does not exist with Lambda.ResourceNotFoundException', async () => {
    const run = setUp();
    machine = new LocalStateMachine({
      definition: reportWorkflowDefinition({ ...REFS, fetchSupplierDataArn: 'arn:aws:lambda:us-east-1:000000000000:function:missing' }),
      stateMachineArn: STATE_MACHINE_ARN,
      functions: () => undefined,
      publish: async (topicArn, subject, message) => {
        run.published.push({ topicArn, subject, message });
        return { MessageId: 'm' };
      },
    });
    const { executionArn } = machine.startExecution({ input: {} });
    const done = await machine.waitForExecution(executionArn, 5_000);
    expect(done).toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException' });
    expect(done.cause).toContain('function:missing');
    expect(run.published).toHaveLength(1);
  });

  it('stop() aborts a running execution: the pending task is abandoned and nothing further runs or is published', async () => {
    const run = setUp({ fetch: ['hang'] });
    machine = run.machine;
    const { executionArn } = machine.startExecution({ name: 'to-stop', input: {} });
    await expect(machine.waitForExecution(executionArn, 100)).rejects.toThrow(/still RUNNING after 100 ms/);
    expect(run.fetch.events).toHaveLength(1);

    await machine.stop();
    const stopped = machine.describeExecution(executionArn);
    expect(stopped).toMatchObject({ status: 'ABORTED', stopDate: expect.any(Date) });
    expect(stopped.output).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(run.fetch.events).toHaveLength(1);
    expect(run.render.events).toEqual([]);
    expect(run.published).toEqual([]);
    expect(entered(run.events)).toEqual([REPORT_STATES.fetch]);
    expect(run.events.at(-1)).toMatchObject({ type: 'ExecutionAborted', executionArn });
    expect(() => machine!.startExecution({ input: {} })).toThrow(/was stopped/);
  });

  it('stopExecution() aborts one execution with its error and cause, leaving the others running', async () => {
    const run = setUp({ fetch: ['hang'] });
    machine = run.machine;
    const first = machine.startExecution({ name: 'first', input: {} });
    const second = machine.startExecution({ name: 'second', input: {} });
    const stopped = await machine.stopExecution(first.executionArn, { error: 'UserCancelled', cause: 'not needed' });
    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'UserCancelled', cause: 'not needed' });
    await expect(machine.waitForExecution(second.executionArn, 50)).rejects.toThrow(/still RUNNING/);
    // Stopped before its first state ran: its function was never invoked.
    expect(run.fetch.events).toEqual([{ executionName: 'second' }]);
  });
});

describe('LocalStateMachine refusing what it cannot run', () => {
  const base = { stateMachineArn: STATE_MACHINE_ARN, functions: () => undefined, publish: async () => ({ MessageId: 'm' }) };

  it('refuses a Task whose resource the local runtime does not run, rather than calling AWS', () => {
    const definition = { StartAt: 'Put', States: { Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 't', Item: {} }, End: true } } };
    expect(() => new LocalStateMachine({ ...base, definition })).toThrow(/Put uses arn:aws:states:::dynamodb:putItem/);
  });

  it('refuses an invalid definition and an ARN that is not a state machine ARN', () => {
    expect(() => new LocalStateMachine({ ...base, definition: { StartAt: 'Missing', States: {} } })).toThrow(/invalid/);
    expect(() => new LocalStateMachine({ ...base, definition: reportWorkflowDefinition(REFS), stateMachineArn: 'ReportWorkflow' })).toThrow(/Not a state machine ARN/);
  });
});
