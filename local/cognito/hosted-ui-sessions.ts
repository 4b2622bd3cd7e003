import { randomBytes } from 'node:crypto';
import type { LocalUser } from './local-user-pool';

/** An authorization request the hosted UI has checked and is waiting to complete. */
export interface PendingAuthorization {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly codeChallenge: string;
  readonly state?: string;
  readonly nonce?: string;
}

export interface HostedUiSession {
  readonly user: LocalUser;
  /** When the person typed their password, in seconds: the `auth_time` of every token of the session. */
  readonly authTime: number;
  readonly expiresAt: number;
}

/** Cognito's hosted UI remembers a sign-in for an hour. */
export const SESSION_SECONDS = 3600;
/** How long a sign-in form may stay open before it must be reloaded. */
const FORM_LIFETIME_MS = 15 * 60 * 1000;

interface SignInForm {
  readonly authorization: PendingAuthorization;
  /** The browser's own random value (a cookie), so that a form token works only in the browser it was shown to. */
  readonly browser: string;
  readonly expiresAt: number;
}

/**
 * What the hosted UI remembers between requests: the sign-in forms it has shown (each
 * with a single-use token that the form posts back, tied to the browser that loaded it,
 * which defeats cross-site and login CSRF) and the sessions of people who signed in.
 */
export class HostedUiSessions {
  private readonly forms = new Map<string, SignInForm>();
  private readonly sessions = new Map<string, HostedUiSession>();

  constructor(private readonly now: () => number) {}

  /** A new random value for a browser's binding cookie. */
  static newBrowserValue(): string {
    return randomBytes(24).toString('base64url');
  }

  /** The token of a new form, for `authorization`, usable only from `browser`. */
  openForm(authorization: PendingAuthorization, browser: string): string {
    this.forgetExpired();
    const token = randomBytes(32).toString('base64url');
    this.forms.set(token, { authorization, browser, expiresAt: this.now() + FORM_LIFETIME_MS });
    return token;
  }

  /** The form's authorization request, once: undefined for an unknown, used, expired or foreign form. */
  takeForm(token: string, browser: string | undefined): PendingAuthorization | undefined {
    const form = this.forms.get(token);
    if (form === undefined || browser === undefined || form.browser !== browser || form.expiresAt <= this.now()) return undefined;
    this.forms.delete(token);
    return form.authorization;
  }

  startSession(user: LocalUser): string {
    const id = randomBytes(32).toString('base64url');
    const now = this.now();
    this.sessions.set(id, { user, authTime: Math.floor(now / 1000), expiresAt: now + SESSION_SECONDS * 1000 });
    return id;
  }

  session(id: string | undefined): HostedUiSession | undefined {
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (session === undefined || session.expiresAt <= this.now()) return undefined;
    return session;
  }

  endSession(id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(id);
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [token, form] of this.forms) if (form.expiresAt <= now) this.forms.delete(token);
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id);
  }
}
