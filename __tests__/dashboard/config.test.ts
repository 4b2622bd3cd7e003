import { logoutUrl, oidcSettings, SCOPE } from '../../dashboard/src/auth-settings';
import { parseConfig } from '../../dashboard/src/config';

const CONFIG = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_abc',
  clientId: 'client123',
  authority: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
  hostedUiUrl: 'https://cafe-dev.auth.eu-west-1.amazoncognito.com/',
  inventoryApi: '/api/inventory',
  reportApi: '/api/reports/',
  maxUploadBytes: 10485760,
  lowStockThreshold: 5,
};

describe('config.json', () => {
  test('is read as the stack writes it, trailing slashes dropped', () => {
    expect(parseConfig(CONFIG)).toEqual({
      ...CONFIG,
      hostedUiUrl: 'https://cafe-dev.auth.eu-west-1.amazoncognito.com',
      reportApi: '/api/reports',
    });
  });

  test('a missing or wrong field is named', () => {
    const withoutClient: Partial<typeof CONFIG> = { ...CONFIG };
    delete withoutClient.clientId;
    expect(() => parseConfig({ ...withoutClient, maxUploadBytes: '10' })).toThrow(
      'The dashboard configuration (config.json) lacks clientId, maxUploadBytes.',
    );
    expect(() => parseConfig([])).toThrow('is not a JSON object');
  });
});

describe('sign-in settings', () => {
  const config = parseConfig(CONFIG);

  test('code flow back to /callback, the client\'s scopes, revocation at the hosted UI', () => {
    expect(oidcSettings(config, 'https://d111.cloudfront.net')).toMatchObject({
      authority: CONFIG.authority,
      client_id: 'client123',
      redirect_uri: 'https://d111.cloudfront.net/callback',
      response_type: 'code',
      scope: SCOPE,
      automaticSilentRenew: true,
      metadataSeed: { revocation_endpoint: 'https://cafe-dev.auth.eu-west-1.amazoncognito.com/oauth2/revoke' },
      revokeTokenTypes: ['refresh_token'],
    });
    expect(SCOPE).toBe('openid email profile aws.cognito.signin.user.admin');
  });

  test('Cognito\'s logout URL takes client_id and logout_uri', () => {
    const url = new URL(logoutUrl(config, 'http://localhost:8080'));
    expect(url.origin + url.pathname).toBe('https://cafe-dev.auth.eu-west-1.amazoncognito.com/logout');
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'client123', logout_uri: 'http://localhost:8080/' });
  });
});
