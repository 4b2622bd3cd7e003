import { html } from 'htm/preact';
import type { User } from 'oidc-client-ts';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Session } from '../api-client';
import type { Auth } from '../auth';
import { CALLBACK_PATH } from '../auth-settings';
import type { DashboardConfig } from '../config';
import { messageOf } from '../messages';
import { InventoryPanel } from './inventory-panel';
import { ReportsPanel } from './reports-panel';
import { UploadPanel } from './upload-panel';

type Screen =
  | { readonly kind: 'starting' }
  | { readonly kind: 'signedOut'; readonly problem?: string }
  | { readonly kind: 'signedIn'; readonly user: User }
  | { readonly kind: 'sessionEnded' };

export const SESSION_ENDED = 'Your session has ended. Sign in again.';

export function App({ config, auth }: { config: DashboardConfig; auth: Auth }) {
  const [screen, setScreen] = useState<Screen>({ kind: 'starting' });
  const [refreshKey, setRefreshKey] = useState(0);
  const user = useRef<User | null>(null);

  function endSession() {
    if (user.current === null) return;
    user.current = null;
    void auth.forget();
    setScreen({ kind: 'sessionEnded' });
  }

  const session = useMemo<Session>(
    () => ({
      accessToken: () => (user.current === null || user.current.expired === true ? undefined : user.current.access_token),
      ended: endSession,
    }),
    [],
  );

  useEffect(() => {
    const events = auth.manager.events;
    const renewed = (renewedUser: User) => {
      if (user.current === null) return;
      user.current = renewedUser;
      setScreen({ kind: 'signedIn', user: renewedUser });
    };
    events.addUserLoaded(renewed);
    events.addSilentRenewError(endSession);
    events.addAccessTokenExpired(endSession);
    void start();
    return () => {
      events.removeUserLoaded(renewed);
      events.removeSilentRenewError(endSession);
      events.removeAccessTokenExpired(endSession);
    };
  }, []);

  async function start() {
    if (window.location.pathname === CALLBACK_PATH) {
      try {
        const signedIn = await auth.completeSignIn();
        user.current = signedIn;
        setScreen({ kind: 'signedIn', user: signedIn });
      } catch (error) {
        setScreen({ kind: 'signedOut', problem: `Sign-in did not complete: ${messageOf(error)}. Sign in again.` });
      }
      // The code is spent: a reload of /callback would only fail.
      window.history.replaceState(null, '', '/');
      return;
    }
    if (auth.wasSignedIn()) {
      await signIn();
      return;
    }
    setScreen({ kind: 'signedOut' });
  }

  async function signIn() {
    try {
      await auth.signIn();
    } catch (error) {
      setScreen({ kind: 'signedOut', problem: `The sign-in page could not be reached: ${messageOf(error)}` });
    }
  }

  switch (screen.kind) {
    case 'starting':
      return html`<main class="centered"><p>Loading...</p></main>`;
    case 'signedOut':
      return html`
        <main class="centered">
          <h1>Café dashboard</h1>
          <p>Sign in to upload inventory, browse stock and ask for reports.</p>
          ${screen.problem === undefined ? null : html`<p role="alert" class="error">${screen.problem}</p>`}
          <button type="button" class="primary" onClick=${() => void signIn()}>Sign in</button>
        </main>
      `;
    case 'sessionEnded':
      return html`
        <main class="centered">
          <h1>Café dashboard</h1>
          <div role="alert" class="error">
            <p>${SESSION_ENDED}</p>
          </div>
          <button type="button" class="primary" onClick=${() => void signIn()}>Sign in</button>
        </main>
      `;
    case 'signedIn':
      return html`
        <header class="top">
          <h1>Café dashboard</h1>
          <p class="who">Signed in as <strong>${emailOf(screen.user)}</strong></p>
          <button type="button" onClick=${() => void auth.signOut()}>Sign out</button>
        </header>
        <main class="panels">
          <${UploadPanel} config=${config} session=${session} onWritten=${() => setRefreshKey((key) => key + 1)} />
          <${ReportsPanel} config=${config} session=${session} />
          <${InventoryPanel} config=${config} session=${session} refreshKey=${refreshKey} />
        </main>
      `;
  }
}

function emailOf(user: User): string {
  const { email, 'cognito:username': username } = user.profile as { email?: unknown; 'cognito:username'?: unknown };
  if (typeof email === 'string') return email;
  return typeof username === 'string' ? username : user.profile.sub;
}
