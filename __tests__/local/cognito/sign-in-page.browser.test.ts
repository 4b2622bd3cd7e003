/**
 * The local sign-in page in a real browser (Debian's Chromium driven by playwright-core):
 * reachable and usable by keyboard, no accessibility findings of weight, no CSP violation,
 * and the form's redirect to the app's callback (another origin) allowed by its CSP.
 * Screenshots: test-output/dashboard/local-sign-in*.png.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startLocalHostedUi, type RunningLocalHostedUi } from '../../../local/cognito/hosted-ui-server';
import { LocalUserPool, type CreatedUser } from '../../../local/cognito/local-user-pool';
import { findExecutable } from '../../../local/emulators/emulator-process';

const SCREENSHOTS = join(__dirname, '../../../test-output/dashboard');
// The closed network here refuses Chromium's background connections (GUIDE.md).
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

describe('the local sign-in page in Chromium', () => {
  let pool: LocalUserPool;
  let staff: CreatedUser;
  let hostedUi: RunningLocalHostedUi;
  let app: Server;
  let appOrigin: string;
  let browser: Browser;

  beforeAll(async () => {
    // The app the sign-in returns to: another origin, as the dashboard is.
    app = createServer((_request, response) => response.end('<!doctype html><title>Callback</title><h1>Back in the app</h1>'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appOrigin = `http://localhost:${(app.address() as AddressInfo).port}`;
    pool = new LocalUserPool({ pool: 'us-east-1_BrowserTest' });
    pool.registerClient({ clientId: 'web', callbackUrls: [`${appOrigin}/callback`], logoutUrls: [`${appOrigin}/`], allowedScopes: ['openid', 'email'] });
    staff = pool.createUser('staff@example.com');
    hostedUi = await startLocalHostedUi({ pool });
    const executablePath = findExecutable('chromium') ?? findExecutable('chromium-browser');
    if (executablePath === undefined) throw new Error('This test needs Chromium: `apt-get install chromium`');
    // playwright gives the browser a fresh profile of its own.
    browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
  });

  afterAll(async () => {
    await browser?.close();
    await hostedUi?.stop();
    await new Promise((resolve) => app?.close(resolve));
  });

  function authorizeUrl(): string {
    const challenge = createHash('sha256').update(randomBytes(48).toString('base64url')).digest('base64url');
    const query = new URLSearchParams({ client_id: 'web', redirect_uri: `${appOrigin}/callback`, response_type: 'code', scope: 'openid email', state: 'st', code_challenge: challenge, code_challenge_method: 'S256' });
    return `${hostedUi.url}/oauth2/authorize?${query}`;
  }

  async function openPage(): Promise<{ page: Page; violations: string[] }> {
    const page = await browser.newPage({ viewport: { width: 800, height: 700 } });
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    return { page, violations };
  }

  it('signs in by keyboard alone, says why a sign-in failed, and returns to the app with a code', async () => {
    const { page, violations } = await openPage();
    await page.goto(authorizeUrl());

    await expectAccessible(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'local-sign-in.png') });
    // The email field has focus on arrival; Tab moves to the password, Enter submits.
    await page.keyboard.type(staff.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Not-the-password-1');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toBe('Incorrect username or password.');
    expect(await page.getByLabel('Email').inputValue()).toBe(staff.email);
    await expectAccessible(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'local-sign-in-error.png') });

    // After a failure the password field has focus, for the second try.
    await page.keyboard.type(staff.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${appOrigin}/callback?**`);

    const back = new URL(page.url());
    expect(back.searchParams.get('code')).toEqual(expect.any(String));
    expect(back.searchParams.get('state')).toBe('st');
    expect(violations).toEqual([]);
    await page.close();
  });

  it('names its controls: Email, Password, Sign in', async () => {
    const { page } = await openPage();
    await page.goto(authorizeUrl());

    await expect(page.getByLabel('Email').getAttribute('autocomplete')).resolves.toBe('username');
    await expect(page.getByLabel('Password').getAttribute('type')).resolves.toBe('password');
    await expect(page.getByRole('button', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in');
    await page.close();
  });
});

/** axe-core in the page: no serious or critical findings. */
async function expectAccessible(page: Page): Promise<void> {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, which the page's CSP (no script at all) does not govern.
  await page.evaluate(source);
  const findings = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string | null; help: string }[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map(({ id, impact, help }) => ({ id, impact, help }));
  });
  expect(findings.filter(({ impact }) => impact === 'serious' || impact === 'critical')).toEqual([]);
}
