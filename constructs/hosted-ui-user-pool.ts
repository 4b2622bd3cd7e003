import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import { environmentRulesOf } from './stack-environment';

export interface HostedUiUserPoolProps {
  readonly poolName: string;
  /** The region the pool lives in, for the hosted UI's address. */
  readonly region: string;
  /** Where the hosted UI may send a person after sign-in; the first is used in `hostedUiUrl`. */
  readonly callbackUrls: string[];
  /** Where the hosted UI may send a person after sign-out. */
  readonly logoutUrls: string[];
  /**
   * Start of the hosted UI's domain prefix. Domain prefixes are unique per region across
   * all accounts, so a short hash of the pool id is appended.
   */
  readonly domainPrefixStart: string;
  /**
   * Lets anyone with an email address create an account.
   * @default false: an administrator creates the users (`aws cognito-idp admin-create-user`)
   */
  readonly selfSignUp?: boolean;
}

/** What the dashboard asks for: who the person is, nothing more. */
const OAUTH_SCOPES = ['openid', 'email', 'profile'];

/**
 * A Cognito user pool for people signing in to a browser app through the hosted UI, as
 * seed 003's STEP 8 sets it up: email as the user name, optional TOTP MFA, and a public
 * app client without a secret (a browser cannot keep one) using the authorization code
 * flow (with PKCE, which the hosted UI supports for public clients).
 */
export class HostedUiUserPool extends Construct {
  readonly pool: CognitoUserPool;
  readonly client: CognitoUserPoolClient;
  readonly domain: CognitoUserPoolDomain;
  /** The hosted UI's sign-in page for this client, returning to the first callback URL. */
  readonly hostedUiUrl: string;

  constructor(scope: Construct, id: string, props: HostedUiUserPoolProps) {
    super(scope, id);
    this.pool = new CognitoUserPool(this, 'pool', {
      name: props.poolName,
      usernameAttributes: ['email'],
      autoVerifiedAttributes: ['email'],
      mfaConfiguration: 'OPTIONAL',
      softwareTokenMfaConfiguration: { enabled: true },
      passwordPolicy: {
        minimumLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
        temporaryPasswordValidityDays: 3,
      },
      accountRecoverySetting: { recoveryMechanism: [{ name: 'verified_email', priority: 1 }] },
      adminCreateUserConfig: { allowAdminCreateUserOnly: !(props.selfSignUp ?? false) },
      // Off so that `cdktf destroy` cleans up, as for the stacks' tables.
      deletionProtection: environmentRulesOf(this).protectData ? 'ACTIVE' : 'INACTIVE',
    });

    this.client = new CognitoUserPoolClient(this, 'client', {
      name: `${props.poolName}-web`,
      userPoolId: this.pool.id,
      generateSecret: false,
      explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      allowedOauthFlowsUserPoolClient: true,
      allowedOauthFlows: ['code'],
      allowedOauthScopes: OAUTH_SCOPES,
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

    this.domain = new CognitoUserPoolDomain(this, 'domain', {
      // Hex cannot spell the words Cognito refuses in a prefix ("aws", "amazon", "cognito").
      domain: `${props.domainPrefixStart}-${Fn.substr(Fn.sha1(this.pool.id), 0, 10)}`,
      userPoolId: this.pool.id,
    });

    const query = [
      `client_id=${this.client.id}`,
      'response_type=code',
      `scope=${OAUTH_SCOPES.join('+')}`,
      `redirect_uri=${encodeURIComponent(props.callbackUrls[0])}`,
    ].join('&');
    this.hostedUiUrl = `https://${this.domain.domain}.auth.${props.region}.amazoncognito.com/login?${query}`;
  }
}
