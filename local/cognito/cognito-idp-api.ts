/**
 * The cognito-idp JSON API (`POST /`, AWS JSON 1.1, `X-Amz-Target`) as far as the dashboard's
 * authorizer uses it: `GetUser` with an access token, refused in Cognito's words for a
 * revoked, expired or invalid token, so that `@aws-sdk/client-cognito-identity-provider`
 * pointed here (`AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`) works unchanged.
 */
import { randomUUID } from 'node:crypto';
import type { HttpExchange } from './http-exchange';
import type { AccessTokenCheck, LocalUserPool } from './local-user-pool';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** `GetUser` needs an access token with this scope, as in AWS. */
const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

const REFUSALS: Record<Exclude<AccessTokenCheck, { valid: true }>['refusal'], readonly [string, string]> = {
  invalid: ['NotAuthorizedException', 'Invalid Access Token'],
  expired: ['NotAuthorizedException', 'Access Token has expired'],
  revoked: ['NotAuthorizedException', 'Access Token has been revoked'],
  'unknown-user': ['UserNotFoundException', 'User does not exist.'],
};

export async function cognitoIdpApi(exchange: HttpExchange, pool: LocalUserPool, log: (line: string) => void): Promise<void> {
  exchange.setHeader('x-amzn-RequestId', randomUUID());
  const fail = (type: string, message: string, reason?: string): void => {
    log(`cognito-idp ${exchange.header('x-amz-target') ?? '(no X-Amz-Target)'}: ${type}: ${reason ?? message}`);
    exchange.setHeader('x-amzn-ErrorType', `${type}:http://internal.amazon.com/coral/com.amazonaws.swbup.service/`);
    exchange.json(400, { __type: type, message }, CONTENT_TYPE);
  };
  const operation = exchange.header('x-amz-target')?.startsWith(TARGET_PREFIX) ? exchange.header('x-amz-target')?.slice(TARGET_PREFIX.length) : undefined;
  if (operation !== 'GetUser') {
    return fail('UnknownOperationException', `The local cognito-idp endpoint answers GetUser only, not ${operation ?? 'a request without X-Amz-Target'}`);
  }
  let input: unknown;
  try {
    input = JSON.parse(await exchange.body());
  } catch {
    return fail('SerializationException', 'The request body is not JSON');
  }
  const accessToken = (input as { AccessToken?: unknown } | null)?.AccessToken;
  if (typeof accessToken !== 'string' || accessToken === '') {
    return fail('InvalidParameterException', "1 validation error detected: Value null at 'accessToken' failed to satisfy constraint: Member must not be null");
  }
  const checked = await pool.verifyAccessToken(accessToken);
  if (!checked.valid) return fail(...REFUSALS[checked.refusal], checked.reason);
  if (!checked.claims.scope.split(' ').includes(ADMIN_SCOPE)) return fail('NotAuthorizedException', 'Access Token does not have required scopes');
  const { user } = checked;
  exchange.json(
    200,
    {
      UserAttributes: [
        { Name: 'sub', Value: user.sub },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'email', Value: user.email },
      ],
      Username: user.username,
    },
    CONTENT_TYPE,
  );
}
