/**
 * The hosted UI's pages: the sign-in form and the page for a request it cannot serve. Plain
 * HTML, no script at all, one stylesheet from the same server, under a CSP that allows
 * nothing else.
 */

export const STYLESHEET_PATH = '/static/sign-in.css';

export interface SignInPageOptions {
  /** The form's single-use token. */
  readonly formToken: string;
  /** What the person typed last time, kept so that they need not type it again. */
  readonly email?: string;
  readonly error?: string;
}

/** Cognito's words for a wrong email or a wrong password: never which of the two. */
export const SIGN_IN_ERROR = 'Incorrect username or password.';

export function signInPage(options: SignInPageOptions): string {
  const error = options.error;
  const describedBy = error === undefined ? '' : ' aria-describedby="sign-in-error" aria-invalid="true"';
  return page(
    'Sign in',
    `<h1>Sign in</h1>
<p class="lead">Sign in with your email and password.</p>
${error === undefined ? '' : `<p id="sign-in-error" class="error" role="alert">${escapeHtml(error)}</p>\n`}<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${escapeHtml(options.formToken)}">
<label for="email">Email</label>
<input id="email" name="username" type="email" autocomplete="username" spellcheck="false" autocapitalize="none" required value="${escapeHtml(options.email ?? '')}"${describedBy}${error === undefined ? ' autofocus' : ''}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${describedBy}${error === undefined ? '' : ' autofocus'}>
<button type="submit">Sign in</button>
</form>
<p class="note">Local sign-in page standing in for the Amazon Cognito hosted UI.</p>`,
  );
}

/** A request the hosted UI refuses before anything else: said in words, sent nowhere. */
export function errorPage(message: string): string {
  return page(
    'Sign-in error',
    `<h1>Something is wrong with this sign-in link</h1>
<p id="error" role="alert">${escapeHtml(message)}</p>
<p>Go back to the app and sign in from there.</p>`,
  );
}

/**
 * The pages' CSP: the stylesheet, nothing else, and the form may post only here (and be
 * redirected only to where the sign-in returns: browsers hold a form's redirects to
 * form-action too).
 */
export function pagePolicy(formTargets: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    `form-action 'self'${formTargets.map((origin) => ` ${origin}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

function page(title: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export const STYLESHEET = `*, *::before, *::after { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; background: #f3f4f6; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; padding: 1rem; }
main { width: 100%; max-width: 24rem; background: #fff; border: 1px solid #d0d5dc; border-radius: 0.5rem; padding: 2rem; }
h1 { font-size: 1.5rem; margin: 0 0 0.5rem; }
.lead { margin: 0 0 1.5rem; color: #4b5563; }
form { display: grid; gap: 0.5rem; }
label { font-weight: 600; margin-top: 0.5rem; }
input { font: inherit; padding: 0.6rem 0.75rem; border: 1px solid #6b7280; border-radius: 0.375rem; }
input[aria-invalid="true"] { border-color: #b91c1c; }
input:focus-visible, button:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
button { font: inherit; font-weight: 600; margin-top: 1rem; padding: 0.7rem; border: 0; border-radius: 0.375rem; background: #1d4ed8; color: #fff; cursor: pointer; }
button:hover { background: #1e40af; }
.error { margin: 0 0 1rem; padding: 0.75rem; border: 1px solid #b91c1c; border-left-width: 0.35rem; border-radius: 0.375rem; background: #fef2f2; color: #991b1b; }
.note { margin: 1.5rem 0 0; font-size: 0.875rem; color: #4b5563; }
`;
