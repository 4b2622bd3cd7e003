/**
 * ReportStatus with its own Step Functions client, pointed (AWS_ENDPOINT_URL_SFN) at a
 * stand-in that answers DescribeExecution: which execution it asks about, and that a
 * report is answered only to the person who asked for it.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { captureLogs, type CapturedLogs } from '../../support/captured-logs';
import { startJsonService, type JsonService } from '../../support/json-service';
import { lambdaContext } from '../../support/lambda-events';
import { useLocalAwsEnvironment } from '../../support/local-aws-env';

const HANDLER_MODULE = '../../../../functions/report/report-status/handler';
type HandlerModule = typeof import('../../../../functions/report/report-status/handler');

const PREFIX = 'arn:aws:states:us-east-1:000000000000:execution:test-CreateReport:';
const LINK = { url: 'https://reports.example/r.html?X-Amz-Signature=abc', expiresAt: '2999-01-01T00:00:00.000Z', expiresInSeconds: 3600 };
const EXECUTIONS: Record<string, object> = {
  'run-ana': { status: 'SUCCEEDED', input: JSON.stringify({ request: {}, requestedBy: 'ana@example.com' }), output: JSON.stringify({ link: LINK }) },
  'run-failed': { status: 'FAILED', input: JSON.stringify({ request: {}, requestedBy: 'ana@example.com' }), error: 'States.TaskFailed', cause: 'secret detail' },
};

let sfn: JsonService;
let handler: HandlerModule['handler'];
let logs: CapturedLogs;

beforeAll(async () => {
  sfn = await startJsonService((operation, input) => {
    const name = String(input.executionArn).slice(PREFIX.length);
    if (operation !== 'DescribeExecution') return { error: 'UnknownOperationException' };
    if (name === 'run-outage') return { error: 'ServiceUnavailable', status: 503 };
    const execution = String(input.executionArn).startsWith(PREFIX) ? EXECUTIONS[name] : undefined;
    return execution ? { body: { executionArn: input.executionArn, ...execution } } : { error: 'ExecutionDoesNotExist', message: 'Execution Does Not Exist' };
  });
  useLocalAwsEnvironment('ReportStatus', { AWS_ENDPOINT_URL_SFN: sfn.endpoint, EXECUTION_ARN_PREFIX: PREFIX, AWS_MAX_ATTEMPTS: '1' });
  ({ handler } = (await import(HANDLER_MODULE)) as HandlerModule);
});
afterAll(() => sfn?.stop());
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs?.restore());

const status = (executionId: string, email: string | null = 'ana@example.com') =>
  handler(
    {
      httpMethod: 'GET',
      path: `/${executionId}`,
      pathParameters: { executionId },
      requestContext: { authorizer: email === null ? undefined : { principalId: 'sub-1', sub: 'sub-1', email, username: 'sub-1' } },
    } as unknown as APIGatewayProxyEvent,
    lambdaContext('ReportStatus'),
  );

it("answers the caller's finished report with its link, asking about this machine's execution", async () => {
  const response = await status('run-ana');
  expect(response.statusCode).toBe(200);
  expect(JSON.parse(response.body)).toEqual({ executionId: 'run-ana', status: 'SUCCEEDED', reportUrl: LINK.url, linkExpiresAt: LINK.expiresAt });
  expect(sfn.calls.at(-1)).toEqual({ operation: 'DescribeExecution', input: { executionArn: `${PREFIX}run-ana` } });
});

it('says a failure in words, without the error cause', async () => {
  const response = await status('run-failed');
  expect(JSON.parse(response.body)).toEqual({ executionId: 'run-failed', status: 'FAILED', message: expect.stringMatching(/could not be made/) });
  expect(response.body).not.toContain('secret detail');
});

it("answers 404 for someone else's report exactly as for one that does not exist", async () => {
  const theirs = await status('run-ana', 'ben@example.com');
  const missing = await status('run-nobody', 'ben@example.com');
  expect([theirs.statusCode, missing.statusCode]).toEqual([404, 404]);
  expect(JSON.parse(theirs.body)).toEqual({ message: 'There is no report "run-ana" of yours.' });
});

it('answers 404 for a name that cannot be an execution, without asking Step Functions', async () => {
  const before = sfn.calls.length;
  expect((await status('a:b')).statusCode).toBe(404);
  expect(sfn.calls.length).toBe(before);
});

it('answers 401 with no authorizer context, and 500 in words when Step Functions fails', async () => {
  expect((await status('run-ana', null)).statusCode).toBe(401);
  const outage = await status('run-outage');
  expect(outage.statusCode).toBe(500);
  expect(JSON.parse(outage.body)).toEqual({ message: expect.stringMatching(/Try again/) });
});
