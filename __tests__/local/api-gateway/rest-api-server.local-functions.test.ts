import { join } from 'node:path';
import { startRestApi, type RunningRestApi } from '../../../local/api-gateway/rest-api-server';
import { functionNameOf } from '../../../local/lambda/function-arn';
import { LocalFunction } from '../../../local/lambda/local-function';
import { lambdaApiResolver, synthesizeLambdaApi } from './lambda-api';
import { call } from './support';

/**
 * The same API with its functions run by the local Lambda runtime (worker threads, as
 * the local pipeline runs them): the proxy event and the authorizer's answer make the
 * round trip through real handlers.
 */
const stack = synthesizeLambdaApi();
const CODE = join(__dirname, 'fixtures', 'proxy-functions', 'index.js');

describe('Lambda proxy integrations and a TOKEN authorizer with local functions', () => {
  let api: RunningRestApi;
  const functions = new Map<string, LocalFunction>();
  const start = (name: string, exportName: string) =>
    functions.set(name, new LocalFunction({ functionName: name, codePath: CODE, handler: `index.${exportName}`, timeoutSeconds: 5, memoryMb: 128, environment: {} }));

  beforeAll(async () => {
    start('items', 'echo');
    start('users-authorizer', 'authorize');
    api = await startRestApi({
      stack,
      resolve: lambdaApiResolver(stack),
      backends: {},
      lambda: async (functionArn, event) => {
        const fn = functions.get(functionNameOf(functionArn));
        if (!fn) throw new Error(`Function not found: ${functionArn}`);
        return fn.invoke(event);
      },
      onExecutionLog: () => {},
    });
  });

  afterAll(async () => {
    await api?.stop();
    await Promise.all([...functions.values()].map((fn) => fn.stop()));
  });

  it('lets an allowed token through to the function, with the authorizer context in the event', async () => {
    const answer = await call(`${api.url}/mine/42`, { headers: { Authorization: 'Bearer good-ana' } });

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      path: '/mine/42',
      pathParameters: { id: '42' },
      authorizer: { email: 'ana@example.com', principalId: 'ana', integrationLatency: expect.any(Number) },
    });
  });

  it('answers 401 when the authorizer says Unauthorized', async () => {
    const answer = await call(`${api.url}/mine/42`, { headers: { Authorization: 'Bearer bad' } });

    expect(answer).toMatchObject({ status: 401, json: { message: 'Unauthorized' } });
  });
});
