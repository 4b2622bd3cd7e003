import { Construct } from 'constructs';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';

export interface WebAppClientProps {
  readonly clientName: string;
  readonly userPoolId: string;
  /** Where the hosted UI may send a person after sign-in: the app's own callback first. */
  readonly callbackUrls: string[];
  /** Where the hosted UI may send a person after sign-out. */
  readonly logoutUrls: string[];
}

/**
 * What the dashboard asks for: who the person is, and `aws.cognito.signin.user.admin`, without
 * which Cognito refuses the access token at GetUser, the call the APIs' authorizer makes to
 * learn that a token has not been revoked by sign-out.
 */
export const WEB_APP_SCOPES = ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'];

/**
 * The app client of a browser app signing in through a pool's hosted UI: public, without a
 * secret (a browser cannot keep one), authorization code flow (PKCE is the page's part),
 * tokens revocable, so that sign-out revokes the refresh token and the access tokens issued
 * with it.
 */
export class WebAppClient extends Construct {
  readonly client: CognitoUserPoolClient;

  constructor(scope: Construct, id: string, props: WebAppClientProps) {
    super(scope, id);
    this.client = new CognitoUserPoolClient(this, 'client', {
      name: props.clientName,
      userPoolId: props.userPoolId,
      generateSecret: false,
      explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      allowedOauthFlowsUserPoolClient: true,
      allowedOauthFlows: ['code'],
      allowedOauthScopes: WEB_APP_SCOPES,
      supportedIdentityProviders: ['COGNITO'],
      callbackUrls: props.callbackUrls,
      logoutUrls: props.logoutUrls,
      // "Incorrect user name or password" whether or not the account exists.
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
      accessTokenValidity: 60,
      idTokenValidity: 60,
      refreshTokenValidity: 30,
      tokenValidityUnits: [{ accessToken: 'minutes', idToken: 'minutes', refreshToken: 'days' }],
    });
  }

  get id(): string {
    return this.client.id;
  }
}
