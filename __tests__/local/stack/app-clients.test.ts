import { LocalUserPool } from '../../../local/cognito/local-user-pool';
import { appClients, registerAppClients } from '../../../local/stack/app-clients';
import { userPools } from '../../../local/stack/user-pools';
import { REMOTE_STATE, SynthesizedStack, type StackJson } from '../../../local/stack/synthesized-stack';
import { InventoryPipelineStack } from '../../../stacks/inventory-pipeline';
import { synthDashboard } from '../../support/dashboard-app';
import { synthStack } from '../../support/synth';

const POOL_ID = 'us-east-1_LocalPool';
// As the local runtime resolves them (see local/provision/provisioned-stack.ts).
// The dashboard's client names the inventory pool by a cross-stack reference: its id here.
const resolve = (stack: SynthesizedStack) => (value: string) =>
  stack.resolve(value, (type, name, attribute) =>
    type === REMOTE_STATE ? POOL_ID : ((type === 'aws_cognito_user_pool' ? { id: POOL_ID, arn: `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${POOL_ID}` }[attribute] : `local-client-${name}`) ?? ''),
  );

describe("the stack's user pools and app clients, as a local pool takes them", () => {
  const { stack } = synthStack(InventoryPipelineStack, 'inventory-pipeline');
  // The web client is the dashboard stack's, on the inventory pool.
  const { stack: dashboard } = synthDashboard();

  it("reads the inventory pool's password policy", () => {
    expect(userPools(stack, resolve(stack))).toEqual([
      expect.objectContaining({
        passwordPolicy: { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true },
      }),
    ]);
  });

  it("reads the web client's URLs, scopes and token lifetimes in seconds", () => {
    const [client] = appClients(dashboard, resolve(dashboard));

    expect(client).toEqual({
      clientId: expect.stringMatching(/^local-client-/),
      userPoolId: POOL_ID,
      callbackUrls: expect.arrayContaining([expect.stringMatching(/^https?:\/\/.+\/callback$/)]),
      logoutUrls: expect.any(Array),
      allowedScopes: expect.arrayContaining(['openid', 'email']),
      accessTokenValiditySeconds: 3600,
      idTokenValiditySeconds: 3600,
      refreshTokenValiditySeconds: 30 * 86_400,
    });
  });

  it('registers only the clients of the given pool', () => {
    const pool = new LocalUserPool({ pool: POOL_ID });
    const elsewhere = { ...appClients(dashboard, resolve(dashboard))[0], clientId: 'other', userPoolId: 'us-east-1_Other' };

    const registered = registerAppClients(pool, [...appClients(dashboard, resolve(dashboard)), elsewhere]);

    expect(registered.map(({ clientId }) => clientId)).toEqual([expect.stringMatching(/^local-client-/)]);
    expect(pool.appClient(registered[0].clientId)).toEqual(registered[0]);
    expect(pool.appClient('other')).toBeUndefined();
  });

  it("uses Terraform's units and defaults when the client leaves them out", () => {
    const json: StackJson = {
      resource: {
        aws_cognito_user_pool: { pool: {} },
        aws_cognito_user_pool_client: {
          hours: { user_pool_id: '${aws_cognito_user_pool.pool.id}', access_token_validity: 2, refresh_token_validity: 1 },
          bare: { user_pool_id: '${aws_cognito_user_pool.pool.id}', id_token_validity: 5, token_validity_units: { id_token: 'minutes' } },
        },
      },
    };
    const bare = new SynthesizedStack(json);

    const [hours, minutes] = appClients(bare, resolve(bare));
    expect(hours).toMatchObject({ accessTokenValiditySeconds: 7200, idTokenValiditySeconds: 3600, refreshTokenValiditySeconds: 86_400, callbackUrls: [], allowedScopes: [] });
    expect(minutes).toMatchObject({ idTokenValiditySeconds: 300 });
    expect(userPools(bare, resolve(bare))[0].passwordPolicy).toEqual({ minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true });
  });
});
