import type { DashboardConfig } from './config';

/** The scopes the web app client allows; `aws.cognito.signin.user.admin` lets the authorizer call GetUser. */
export const SCOPE = 'openid email profile aws.cognito.signin.user.admin';
export const CALLBACK_PATH = '/callback';

/** oidc-client-ts settings that do not depend on the browser's storage. */
export function oidcSettings(config: DashboardConfig, origin: string) {
  return {
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: `${origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: SCOPE,
    // Renewal uses the refresh token (no iframe: the CSP forbids framing and Cognito has no prompt=none).
    automaticSilentRenew: true,
    loadUserInfo: false,
    monitorSession: false,
    // Cognito's discovery document names no revocation endpoint; the hosted UI has one.
    metadataSeed: { revocation_endpoint: `${config.hostedUiUrl}/oauth2/revoke` },
    revokeTokenTypes: ['refresh_token' as const],
  };
}

/** Cognito's logout is not an OIDC end_session_endpoint: it takes client_id and logout_uri. */
export function logoutUrl(config: DashboardConfig, origin: string): string {
  const params = new URLSearchParams({ client_id: config.clientId, logout_uri: `${origin}/` });
  return `${config.hostedUiUrl}/logout?${params.toString()}`;
}
