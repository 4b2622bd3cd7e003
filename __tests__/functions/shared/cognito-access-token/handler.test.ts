/**
 * The authorizer handler with its own Cognito client, pointed (as the local runtime does,
 * AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER) at a stand-in cognito-idp that answers
 * GetUser: API Gateway's Allow for a current token, "Unauthorized" (a 401) for a revoked
 * one, and the issuer being the endpoint's own address followed by the pool id.
 */
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { captureLogs, type CapturedLogs } from '../../support/captured-logs';
import { startJsonService, type JsonService } from '../../support/json-service';
import { lambdaContext } from '../../support/lambda-events';
import { useLocalAwsEnvironment } from '../../support/local-aws-env';
import { expectStartRefusedWithout } from '../../support/start-refusal';

const HANDLER_MODULE = '../../../../functions/shared/cognito-access-token/handler';
type HandlerModule = typeof import('../../../../functions/shared/cognito-access-token/handler');

const POOL_ID = 'us-east-1_LocalPool1';
const SUB = '4f1c2d3e-0000-4000-8000-000000000001';
const METHOD_ARN = 'arn:aws:execute-api:us-east-1:000000000000:abc123/v1/GET/products';

let cognito: JsonService;
/** Tokens the stand-in refuses, as Cognito refuses those revoked at sign-out. */
const revokedTokens = new Set<string>();
let issuer: string;
let handler: HandlerModule['handler'];
let logs: CapturedLogs;

function token(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part({ iss: issuer, token_use: 'access', sub: SUB, username: SUB, ...claims })}.c2ln`;
}

beforeAll(async () => {
  cognito = await startJsonService((operation, input) => {
    if (operation !== 'GetUser') return { error: 'UnknownOperationException' };
    if (revokedTokens.has(String(input.AccessToken))) return { error: 'NotAuthorizedException', message: 'Access Token has been revoked' };
    return { body: { Username: SUB, UserAttributes: [{ Name: 'sub', Value: SUB }, { Name: 'email', Value: 'staff@example.com' }] } };
  });
  issuer = `${cognito.endpoint}/${POOL_ID}`;
  useLocalAwsEnvironment('InventoryApiAuthorizer', { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint, USER_POOL_ID: POOL_ID, AWS_MAX_ATTEMPTS: '1' });
  ({ handler } = (await import(HANDLER_MODULE)) as HandlerModule);
});
afterAll(() => cognito?.stop());
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs?.restore());

const authorize = (authorizationToken: string) =>
  handler({ type: 'TOKEN', authorizationToken, methodArn: METHOD_ARN } as APIGatewayTokenAuthorizerEvent, lambdaContext('InventoryApiAuthorizer'));

it('allows this method for a current access token, with the caller as principal and context', async () => {
  const current = token({ jti: 'current' });
  await expect(authorize(`Bearer ${current}`)).resolves.toEqual({
    principalId: SUB,
    policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: METHOD_ARN }] },
    context: { sub: SUB, email: 'staff@example.com', username: SUB },
  });
  expect(cognito.calls.at(-1)).toEqual({ operation: 'GetUser', input: { AccessToken: current } });
});

it('answers "Unauthorized" (API Gateway\'s 401) for a token Cognito has revoked, and never logs the token', async () => {
  const revoked = token({ jti: 'signed-out' });
  revokedTokens.add(revoked);
  await expect(authorize(revoked)).rejects.toThrow(/^Unauthorized$/);
  expect(JSON.stringify(['DEBUG', 'INFO', 'WARN', 'ERROR'].flatMap((level) => logs.at(level)))).not.toContain(revoked);
  expect(logs.at('INFO')).toEqual([expect.objectContaining({ message: 'Refused a caller' })]);
});

it("answers \"Unauthorized\" for another pool's token without asking Cognito", async () => {
  const before = cognito.calls.length;
  await expect(authorize(token({ iss: `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}` }))).rejects.toThrow(/^Unauthorized$/);
  expect(cognito.calls.length).toBe(before);
});

it('refuses to start without USER_POOL_ID', async () => {
  await expectStartRefusedWithout(require.resolve(HANDLER_MODULE), 'USER_POOL_ID');
});
