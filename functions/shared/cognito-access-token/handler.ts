import { Logger } from '@aws-lambda-powertools/logger';
import { CognitoIdentityProviderClient, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { requireEnv } from '../require-env';
import { checkAccessToken, issuerOf, regionOfUserPool, UnauthorizedError } from './access-token';

// Module scope: read and built once per container, reused by every invocation.
const userPoolId = requireEnv('USER_POOL_ID');
// The endpoint comes from AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER when set (the local cognito-idp server).
const endpoint = process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ?? process.env.AWS_ENDPOINT_URL;
const issuer = issuerOf(userPoolId, endpoint);
const logger = new Logger();
// GetUser is authorized by the access token itself: the role needs no Cognito permission.
const cognito = new CognitoIdentityProviderClient({ region: regionOfUserPool(userPoolId) });

/**
 * The dashboard APIs' TOKEN authorizer: lets through a caller whose Cognito access token
 * Cognito still accepts (GetUser), so that signing out (revoking the token) cuts access at
 * once; its result is never cached (TTL 0). The integration receives `{sub, email, username}`.
 */
export async function handler(event: APIGatewayTokenAuthorizerEvent, context: Context): Promise<APIGatewayAuthorizerResult> {
  logger.addContext(context);
  try {
    const caller = await checkAccessToken(event.authorizationToken, {
      issuer,
      getUser: (accessToken) => cognito.send(new GetUserCommand({ AccessToken: accessToken })),
    });
    return {
      principalId: caller.sub,
      policyDocument: {
        Version: '2012-10-17',
        // Only the method asked for: with no caching, each request is decided on its own.
        Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: event.methodArn }],
      },
      context: { ...caller },
    };
  } catch (error) {
    if (error instanceof UnauthorizedError) {
      // Never the token itself: anyone holding it could call the API.
      logger.info('Refused a caller', { why: error.why, methodArn: event.methodArn });
      // The exact message API Gateway turns into a 401.
      throw new Error('Unauthorized');
    }
    logger.error('Could not check the access token with Cognito', { error });
    throw error;
  }
}
