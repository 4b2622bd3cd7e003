import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import { environmentRulesOf } from './stack-environment';

export interface HostedUiUserPoolProps {
  readonly poolName: string;
  /** The region the pool lives in, for the hosted UI's address. */
  readonly region: string;
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

/**
 * A Cognito user pool for people signing in to a browser app through the hosted UI, as
 * seed 003's STEP 8 sets it up: email as the user name, optional TOTP MFA, and the hosted
 * UI's domain. The app's client is made where the app is (constructs/web-app-client.ts, in
 * the dashboard stack), since its callback URL is the app's own address, known only there.
 */
export class HostedUiUserPool extends Construct {
  readonly pool: CognitoUserPool;
  readonly domain: CognitoUserPoolDomain;
  /** The hosted UI's origin, `https://<domain prefix>.auth.<region>.amazoncognito.com`. */
  readonly hostedUiOrigin: string;

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

    this.domain = new CognitoUserPoolDomain(this, 'domain', {
      // Hex cannot spell the words Cognito refuses in a prefix ("aws", "amazon", "cognito").
      domain: `${props.domainPrefixStart}-${Fn.substr(Fn.sha1(this.pool.id), 0, 10)}`,
      userPoolId: this.pool.id,
    });

    this.hostedUiOrigin = `https://${this.domain.domain}.auth.${props.region}.amazoncognito.com`;
  }
}
