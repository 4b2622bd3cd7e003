import { InMemoryWebStorage, UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import { logoutUrl, oidcSettings } from './auth-settings';
import type { DashboardConfig } from './config';

/**
 * Set while a person is signed in, so a reload signs them in again (the hosted UI's own
 * session cookie makes that one redirect). It holds no token: tokens live in memory only.
 */
const SIGNED_IN_MARKER = 'dashboard.signedIn';

export interface Auth {
  readonly manager: UserManager;
  signIn(): Promise<void>;
  /** Finishes the code flow on /callback and returns the signed-in user. */
  completeSignIn(): Promise<User>;
  signOut(): Promise<void>;
  /** Forgets the tokens after the API refused them or renewal failed. */
  forget(): Promise<void>;
  /** True once, right after a reload of a signed-in page: the caller should sign in again. */
  wasSignedIn(): boolean;
}

export function createAuth(config: DashboardConfig, origin: string): Auth {
  const manager = new UserManager({
    ...oidcSettings(config, origin),
    // Tokens never reach localStorage or sessionStorage, where any script could read them later.
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    // The PKCE verifier and state must survive the redirect to the hosted UI; they are not tokens.
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });

  return {
    manager,
    async signIn() {
      await manager.signinRedirect();
    },
    async completeSignIn() {
      const user = await manager.signinRedirectCallback();
      window.sessionStorage.setItem(SIGNED_IN_MARKER, '1');
      return user;
    },
    async signOut() {
      window.sessionStorage.removeItem(SIGNED_IN_MARKER);
      try {
        // Cognito revokes the access tokens issued with this refresh token too: the APIs'
        // authorizer (GetUser) refuses them from now on.
        await manager.revokeTokens(['refresh_token']);
      } catch {
        // Still sign out here and at the hosted UI; the access token expires within the hour.
      }
      await manager.removeUser();
      window.location.assign(logoutUrl(config, origin));
    },
    async forget() {
      window.sessionStorage.removeItem(SIGNED_IN_MARKER);
      await manager.removeUser();
    },
    wasSignedIn() {
      // Removed before redirecting, so a failing sign-in cannot loop.
      const marked = window.sessionStorage.getItem(SIGNED_IN_MARKER) === '1';
      window.sessionStorage.removeItem(SIGNED_IN_MARKER);
      return marked;
    },
  };
}
