import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { TerraformStack, Testing } from 'cdktf';
import { ApiGatewayToStepFunctions, START_FAILED_TEMPLATE } from '../../../constructs/api-gateway-to-step-functions';
import { LocalUserPool } from '../../../local/cognito/local-user-pool';
import { startRestApi, type RestApiServerOptions, type RunningRestApi } from '../../../local/api-gateway/rest-api-server';
import { stepFunctionsBackend, StepFunctionsError, type StartExecutionRequest } from '../../../local/api-gateway/step-functions-adapter';
import { SynthesizedStack } from '../../../local/stack/synthesized-stack';
import { FAKE_ACCOUNT } from '../../support/fake-aws';
import { call, resolverFor, type Answer } from './support';

/**
 * The Step Functions API served locally as synthesized: the Cognito user pool authorizer
 * against a local pool, the StartExecution integration through the `states` backend,
 * and the stack's own templates and gateway responses.
 */
const REGION = 'us-east-1';
const INVALID_BODY = 'Invalid report request: send a JSON object with at most a string note.';
const stack = synthesizeReportApi();
const resolve = resolverFor(stack);
// What fake-aws.ts gives the stack's aws_cognito_user_pool, to which the authorizer refers.
const POOL_ARN = `arn:aws:cognito-idp:${REGION}:${FAKE_ACCOUNT}:userpool/${REGION}_AbCdEf123`;
const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${FAKE_ACCOUNT}:stateMachine:test-report`;

describe('a REST API with a Cognito authorizer in front of StartExecution, served locally', () => {
  const pool = new LocalUserPool({ pool: POOL_ARN });
  const otherPool = new LocalUserPool({ pool: `arn:aws:cognito-idp:${REGION}:${FAKE_ACCOUNT}:userpool/${REGION}_Other999` });
  let api: RunningRestApi;
  let started: StartExecutionRequest[];
  let failure: Error | undefined;
  let executionLog: string[];

  const start = async (options: Partial<RestApiServerOptions> = {}) => {
    api = await startRestApi({
      stack,
      resolve,
      throttle: false,
      userPools: new Map([[POOL_ARN, pool]]),
      backends: {
        states: stepFunctionsBackend({
          startExecution: (request) => {
            started.push(request);
            if (failure) throw failure;
            return { executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:exec-${started.length}`, startDate: new Date(Date.UTC(2026, 10, 23, 10)) };
          },
        }),
      },
      onExecutionLog: (line) => executionLog.push(line),
      ...options,
    });
    return api.url;
  };
  const post = (url: string, body: string, authorization?: string): Promise<Answer> =>
    call(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(authorization === undefined ? {} : { Authorization: authorization }) }, body });
  const inputs = () => started.map((request) => JSON.parse(request.input) as unknown);

  beforeEach(() => {
    started = [];
    failure = undefined;
    executionLog = [];
  });

  afterEach(async () => {
    await api?.stop();
  });

  it('answers 401 Unauthorized to a request without a token, before validating its body', async () => {
    const url = await start();

    const anonymous = await post(url, '{"note": "n"}');
    const empty = await post(url, '{"note": "n"}', '  ');
    const invalidBody = await post(url, '{"unexpected": 1}');

    for (const answer of [anonymous, empty, invalidBody]) {
      expect(answer).toMatchObject({ status: 401, json: { message: 'Unauthorized' } });
      expect(answer.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
    }
    expect(started).toEqual([]);
  });

  it.each([
    ['a token of another pool', () => otherPool.issueIdToken({ email: 'ana@example.com' }), /kid .* is not a key/],
    ['an expired token', () => pool.issueIdToken({ email: 'ana@example.com', expiresInSeconds: -5 }), /the token expired at/],
    [
      'a tampered token',
      async () => {
        const [header, payload, signature] = (await pool.issueIdToken({ email: 'ana@example.com' })).split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
        return `${header}.${Buffer.from(JSON.stringify({ ...claims, email: 'admin@example.com' })).toString('base64url')}.${signature}`;
      },
      /the signature does not match/,
    ],
    ['an access token', () => pool.issueIdToken({ email: 'ana@example.com', claims: { token_use: 'access' } }), /token_use "access" is not id/],
    ['something that is not a JWT', () => Promise.resolve('let-me-in'), /not a JWT/],
  ])('answers 401 to %s, logging why', async (_case, token, reason) => {
    const url = await start();

    const answer = await post(url, '{"note": "n"}', `Bearer ${await token()}`);

    expect(answer).toMatchObject({ status: 401, json: { message: 'Unauthorized' } });
    expect(started).toEqual([]);
    expect(executionLog).toEqual([expect.stringMatching(reason)]);
  });

  it('answers 202 with the execution for a valid token, raw or Bearer, the caller\'s email in the input', async () => {
    const url = await start();
    const token = await pool.issueIdToken({ email: 'ana@example.com' });

    const bearer = await post(url, '{"note": "weekly"}', `Bearer ${token}`);
    const raw = await post(`${url}/`, '{}', token);

    expect(bearer).toMatchObject({
      status: 202,
      json: {
        executionId: 'exec-1',
        executionArn: `arn:aws:states:${REGION}:${FAKE_ACCOUNT}:execution:test-report:exec-1`,
        startedAt: Date.UTC(2026, 10, 23, 10) / 1000,
      },
    });
    expect(raw).toMatchObject({ status: 202, json: { executionId: 'exec-2' } });
    expect(started.map((request) => request.stateMachineArn)).toEqual([STATE_MACHINE_ARN, STATE_MACHINE_ARN]);
    expect(inputs()).toEqual([
      { request: { note: 'weekly' }, requestedBy: 'ana@example.com' },
      { request: {}, requestedBy: 'ana@example.com' },
    ]);
    expect(executionLog).toEqual([]);
  });

  it('keeps the input valid JSON with a double quote, a backslash and non-ASCII text in the email and the body', async () => {
    const url = await start();
    const email = 'zoë "z" \\ müller@exämple.com';
    const body = '{"note": "Kaffee für \\"Küche\\" ☕ \\\\ 🫘"}';

    const answer = await post(url, body, await pool.issueIdToken({ email }));

    expect(answer.status).toBe(202);
    expect(inputs()).toEqual([{ request: JSON.parse(body), requestedBy: email }]);
  });

  it('takes who asked from the token, not from the body', async () => {
    const url = await start();

    await post(url, '{"note": "requestedBy: mallory@example.com"}', await pool.issueIdToken({ email: 'ana@example.com' }));

    expect(inputs()).toEqual([{ request: { note: 'requestedBy: mallory@example.com' }, requestedBy: 'ana@example.com' }]);
  });

  it('answers 400 with the stack\'s message to a signed-in caller with an invalid body, starting nothing', async () => {
    const url = await start();
    const token = await pool.issueIdToken({ email: 'ana@example.com' });

    const extra = await post(url, '{"note": "n", "admin": true}', token);
    const notJson = await post(url, '{"note": ', token);

    expect(extra).toMatchObject({ status: 400, json: { message: INVALID_BODY, details: expect.stringContaining('admin') } });
    expect(notJson).toMatchObject({ status: 400, json: { message: INVALID_BODY } });
    expect(started).toEqual([]);
  });

  it.each([
    ['a Step Functions error', new StepFunctionsError('ExecutionLimitExceeded', 'Maximum number of running executions reached')],
    ['a failure of the local runtime', new Error('the state machine could not be loaded')],
  ])('answers the stack\'s 500 message when StartExecution fails with %s', async (_case, error) => {
    const url = await start();
    failure = error;

    const answer = await post(url, '{"note": "n"}', await pool.issueIdToken({ email: 'ana@example.com' }));

    expect(answer).toMatchObject({ status: 500, json: JSON.parse(START_FAILED_TEMPLATE) as object });
    expect(started).toHaveLength(1);
  });

  it.each([
    ['without userPools', { userPools: undefined }],
    ['with only other pools', { userPools: new Map([[otherPool.arn as string, otherPool]]) }],
  ])('answers 500 "not supported locally yet" %s, rather than serving the method open', async (_case, options) => {
    const url = await start(options);

    const answer = await post(url, '{"note": "n"}', await pool.issueIdToken({ email: 'ana@example.com' }));

    expect(answer.status).toBe(500);
    expect((answer.json as { message: string }).message).toContain('authorizer not supported locally yet');
    expect(executionLog).toEqual([expect.stringContaining(`without a local pool (${POOL_ARN})`)]);
    expect(started).toEqual([]);
  });

  it('starts when the resolver does not know the pool, answering 500 for its method', async () => {
    const withoutPools = (value: string) => {
      if (value.includes('aws_cognito_user_pool.')) throw new Error(`no local value for ${value}`);
      return resolve(value);
    };
    const url = await start({ resolve: withoutPools });

    const answer = await post(url, '{}', await pool.issueIdToken({ email: 'ana@example.com' }));

    expect(answer.status).toBe(500);
    expect(executionLog).toEqual([expect.stringMatching(/without a local pool \(\$\{aws_cognito_user_pool\.users\.arn\}\)/)]);
  });

  it('finds the pool by its id too', async () => {
    const url = await start({ userPools: new Map([[pool.poolId, pool]]) });

    expect((await post(url, '{}', await pool.issueIdToken({ email: 'ana@example.com' }))).status).toBe(202);
  });
});

function synthesizeReportApi(): SynthesizedStack {
  const scope = new TerraformStack(Testing.app(), 'report-api-local');
  new AwsProvider(scope, 'aws', { region: REGION });
  const users = new CognitoUserPool(scope, 'users', { name: 'test-report-users' });
  const stateMachine = new SfnStateMachine(scope, 'state-machine', {
    name: 'test-report',
    roleArn: `arn:aws:iam::${FAKE_ACCOUNT}:role/test-report-state-machine`,
    definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
  });
  new ApiGatewayToStepFunctions(scope, 'report-api', {
    apiName: 'test-create_report',
    roleName: 'test-APIGateway-StepFunctions',
    stateMachineArn: stateMachine.arn,
    requestSchema: {
      $schema: 'http://json-schema.org/draft-04/schema#',
      title: 'ReportRequest',
      type: 'object',
      additionalProperties: false,
      properties: { note: { type: 'string', maxLength: 500 } },
    },
    modelName: 'ReportRequest',
    invalidBodyMessage: INVALID_BODY,
    authorizer: { userPoolArns: [users.arn] },
  });
  return SynthesizedStack.parse(Testing.synth(scope));
}
