import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildDashboardSite } from '../../dashboard/build-site';
import { AXE_PATH, StubBackend } from '../support/dashboard/stub-backend';
import { STUB_CLIENT_ID, STUB_EMAIL } from '../support/dashboard/stub-authority';
import { seriousAccessibilityFindings, tabOrder } from '../support/page-checks';
import { launchChromium } from '../support/playwright-chromium';

/**
 * The page in a real browser (Debian's Chromium) against a stub backend: every state a
 * person can meet, with a screenshot of each under test-output/dashboard/.
 */
const SCREENSHOTS = path.resolve(__dirname, '../../test-output/dashboard');
const SEED_INVENTORY = [
  { productId: 'P1001', name: 'Laptop', quantity: 5, price: 1200 },
  { productId: 'P1002', name: 'Mouse', quantity: 50, price: 25 },
];
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

let browser: Browser;
let siteDir: string;
let stub: StubBackend;
let context: BrowserContext;
let page: Page;
/** Dialogs (alert(), confirm()) and CSP or script errors: any of them fails the test. */
let dialogs: string[];
let pageErrors: string[];

beforeAll(async () => {
  siteDir = mkdtempSync(path.join(tmpdir(), 'dashboard-site-'));
  const site = buildDashboardSite(siteDir);
  stub = new StubBackend(site);
  await stub.start();
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stub?.stop();
  rmSync(siteDir, { recursive: true, force: true });
});

beforeEach(async () => {
  stub.apis.products = [
    ...SEED_INVENTORY,
    { productId: 'P1003', name: HOSTILE_NAME, quantity: 2, price: 9.5 },
    ...Array.from({ length: 57 }, (_, index) => ({
      productId: `P2${String(index).padStart(3, '0')}`,
      name: `Coffee beans ${index}`,
      quantity: 10 + index,
      price: 12.5,
    })),
  ];
  stub.apis.productsFailure = undefined;
  stub.apis.nextDecision = { status: 'written' };
  stub.apis.storageRefuses = false;
  stub.authority.accessTokenLifetime = 3600;
  stub.authority.refreshAllowed = true;
  // A fresh context: its own sessionStorage, as a new tab would have.
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  dialogs = [];
  pageErrors = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) pageErrors.push(message.text());
  });
});

afterEach(async () => {
  await context?.close();
  expect(dialogs).toEqual([]);
  expect(pageErrors).toEqual([]);
});

async function shoot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function signIn(): Promise<void> {
  await page.goto(stub.url);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${STUB_EMAIL}`).waitFor();
  await page.getByRole('cell', { name: 'Laptop', exact: true }).waitFor();
}

/** axe-core inside the page: no serious or critical findings. */
async function expectAccessible(): Promise<void> {
  expect(await seriousAccessibilityFindings(page, AXE_PATH)).toEqual([]);
}

function uploadStatus() {
  return page.getByRole('region', { name: 'Upload inventory' }).getByRole('status');
}

function inventoryFile(name: string, content: string | Buffer, mimeType = 'application/json') {
  return page.getByLabel('Inventory file').setInputFiles({ name, mimeType, buffer: Buffer.isBuffer(content) ? content : Buffer.from(content) });
}

test('signed out: a Sign in button, nothing else, and accessible', async () => {
  await page.goto(stub.url);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await expect(page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(0);
  await shoot('01-signed-out');
  await expectAccessible();
});

test('a callback that cannot complete says so, and offers Sign in', async () => {
  await page.goto(`${stub.url}/callback?code=stale&state=unknown`);
  await page.getByRole('alert').getByText(/^Sign-in did not complete: .+\. Sign in again\.$/).waitFor();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  expect(page.url()).toBe(`${stub.url}/`);
});

test('signed in: the code flow with PKCE, products shown as text (a hostile name runs nothing), low stock marked', async () => {
  await signIn();
  expect(page.url()).toBe(`${stub.url}/`);
  // Tokens stay in memory: nothing of them in either storage.
  const stored = (await page.evaluate('JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])')) as string;
  expect(stored).not.toMatch(/eyJ/);

  const table = page.getByRole('table', { name: 'Products' });
  // Accessible names: the sort arrow is aria-hidden.
  for (const name of ['Product ID', 'Name', 'Quantity', 'Price']) {
    await expect(table.getByRole('columnheader', { name, exact: true }).getByRole('button', { name, exact: true }).count()).resolves.toBe(1);
  }
  await expect(table.getByRole('columnheader').count()).resolves.toBe(4);
  await table.getByRole('cell', { name: HOSTILE_NAME, exact: true }).waitFor();
  await expect(table.locator('img').count()).resolves.toBe(0);

  const laptop = table.getByRole('row').filter({ hasText: 'Laptop' });
  await expect(laptop.innerText()).resolves.toContain('Low stock');
  await expect(laptop.getAttribute('class')).resolves.toContain('low-stock');
  await expect(table.getByRole('row').filter({ hasText: 'Mouse' }).innerText()).resolves.not.toContain('Low stock');
  await page.getByText('Page 1 of 3').waitFor();
  await expect(page.getByRole('heading', { name: 'Inventory', exact: true }).count()).resolves.toBe(1);
  await shoot('02-signed-in-products');
  await expectAccessible();
});

test('inventory: sorting by header buttons with aria-sort, paging, and a debounced search', async () => {
  await signIn();
  const table = page.getByRole('table', { name: 'Products' });
  const nameHeader = table.getByRole('columnheader', { name: 'Name' });
  await expect(table.getByRole('columnheader', { name: 'Product ID' }).getAttribute('aria-sort')).resolves.toBe('ascending');

  await nameHeader.getByRole('button', { name: 'Name' }).click();
  await nameHeader.and(page.locator('[aria-sort="ascending"]')).waitFor();
  await table.getByRole('row').nth(1).filter({ hasText: HOSTILE_NAME }).waitFor();
  await nameHeader.getByRole('button', { name: 'Name' }).click();
  await nameHeader.and(page.locator('[aria-sort="descending"]')).waitFor();
  await table.getByRole('row').nth(1).filter({ hasText: 'Mouse' }).waitFor();

  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 2 of 3').waitFor();
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 3 of 3').waitFor();
  await expect(page.getByRole('button', { name: 'Next page' }).isDisabled()).resolves.toBe(true);
  await page.getByRole('button', { name: 'Previous page' }).click();
  await page.getByText('Page 2 of 3').waitFor();

  const searchesBefore = stub.requests.filter((request) => request.includes('search=')).length;
  await page.getByRole('searchbox', { name: 'Search products' }).pressSequentially('mouse');
  await page.getByText('1 product match "mouse"').waitFor();
  await page.getByText('Page 1 of 1').waitFor();
  expect(stub.requests.filter((request) => request.includes('search=')).length - searchesBefore).toBe(1);
  await shoot('03-inventory-search');
});

test('keyboard: Tab reaches every main control, in order', async () => {
  await signIn();
  const { reached, positions } = await tabOrder(page, ['Sign out', 'Inventory file', 'Create report', 'Search products', 'Product ID', 'Name', 'Quantity', 'Price', 'Next page'], 20);
  expect({ reached, positions }).toEqual({ reached, positions: [...positions].sort((a, b) => a - b) });
  expect(positions.every((position) => position >= 0)).toBe(true);
  // The focused control is visibly outlined.
  await page.getByRole('button', { name: 'Create report' }).focus();
  await expect(page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).resolves.toBe('solid');
});

test('upload accepted: drag and drop, the presigned POST with the file last, progress, then the pipeline\'s word', async () => {
  await signIn();
  const content = JSON.stringify([...SEED_INVENTORY, { productId: 'P1004', name: 'Keyboard', quantity: 3, price: 45 }]);
  const dataTransfer = await page.evaluateHandle(
    `(() => { const t = new DataTransfer(); t.items.add(new File([${JSON.stringify(content)}], 'inventory.json', { type: 'application/json' })); return t; })()`,
  );
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
  await uploadStatus().getByText('Accepted: 3 products written').waitFor();
  await expect(page.getByRole('progressbar', { name: 'Upload progress' }).getAttribute('value')).resolves.toBe('100');
  // Cross-origin, as S3 is: a CORS preflight (the progress listener requires one), then the POST.
  expect(stub.storageRequests.slice(-2)).toEqual([`OPTIONS ${stub.url}`, `POST ${stub.url}`]);
  const post = stub.apis.storagePosts.at(-1)!;
  expect(post.fields).toEqual(['bucket', 'X-Amz-Algorithm', 'key', 'Content-Type', 'Policy', 'X-Amz-Signature', 'file']);
  expect(post.fileBytes).toBe(Buffer.byteLength(content));
  // The table reloads and shows the new product.
  await page.getByRole('cell', { name: 'Keyboard', exact: true }).waitFor();
  await shoot('04-upload-accepted');
});

test('a non-JSON file is refused in the browser with its reason, before any request', async () => {
  await signIn();
  const before = stub.requests.length;
  await inventoryFile('inventory.csv', 'productId,name,quantity,price\nP1001,Laptop,5,1200\n', 'text/csv');
  await uploadStatus().getByText('Rejected before upload: The file is not valid JSON').waitFor();
  const reasons = page.getByRole('table', { name: 'Reasons' });
  await expect(reasons.getByRole('cell').last().innerText()).resolves.toMatch(/^the file is not valid JSON: Unexpected token/);
  expect(stub.requests.slice(before)).toEqual([]);
  await shoot('05-refused-not-json');
  await expectAccessible();
});

test('a 12 MiB file is refused before any request', async () => {
  await signIn();
  const before = stub.requests.length;
  // Made in the page: sending 12 MiB through the DevTools protocol would take half a minute.
  await page.evaluate(
    `(() => { const input = document.getElementById('inventory-file'); const t = new DataTransfer(); t.items.add(new File([new Uint8Array(12 * 1024 * 1024)], 'big.json', { type: 'application/json' })); input.files = t.files; input.dispatchEvent(new Event('change', { bubbles: true })); })()`,
  );
  await uploadStatus().getByText('Rejected before upload: The file is too large (12.0 MiB; the limit is 10.0 MiB)').waitFor();
  await page.getByRole('cell', { name: 'the file is 12582912 bytes, over the limit of 10485760 bytes' }).waitFor();
  expect(stub.requests.slice(before)).toEqual([]);
  await shoot('06-refused-too-large');
});

test('upload rejected by the pipeline: its reasons as a table', async () => {
  await signIn();
  stub.apis.nextDecision = {
    status: 'rejected',
    reason: '2 of 2 products are invalid',
    errorCount: 2,
    errors: [
      { item: 0, productId: 'P1001', field: 'price', reason: 'price must be a number of at least 0, got -5' },
      { item: 1, productId: null, field: 'productId', reason: `productId is missing; name was ${HOSTILE_NAME}` },
    ],
  };
  await inventoryFile('inventory.json', JSON.stringify(SEED_INVENTORY));
  await uploadStatus().getByText('Rejected: 2 of 2 products are invalid').waitFor();
  const reasons = page.getByRole('table', { name: 'Reasons' });
  await expect(reasons.getByRole('columnheader').allInnerTexts()).resolves.toEqual(['Item', 'Product ID', 'Field', 'Reason']);
  await expect(reasons.getByRole('row').nth(1).getByRole('cell').allInnerTexts()).resolves.toEqual([
    '0',
    'P1001',
    'price',
    'price must be a number of at least 0, got -5',
  ]);
  await reasons.getByRole('cell', { name: `productId is missing; name was ${HOSTILE_NAME}` }).waitFor();
  await expect(page.locator('img').count()).resolves.toBe(0);
  await shoot('07-upload-rejected');
  await expectAccessible();
});

test('the bucket refusing the presigned POST is said in words (S3 answers XML)', async () => {
  await signIn();
  stub.apis.storageRefuses = true;
  await inventoryFile('inventory.json', JSON.stringify(SEED_INVENTORY));
  await page
    .getByRole('alert')
    .getByText('Upload of inventory.json failed: The upload permission expired before the file was sent. Try the upload again.')
    .waitFor();
  await uploadStatus().getByText('inventory.json was not uploaded.').waitFor();
});

test('an API error is shown in words, never raw JSON or a blank page', async () => {
  await signIn();
  stub.apis.productsFailure = {
    status: 500,
    contentType: 'application/json',
    body: JSON.stringify({ message: 'The inventory table could not be read. Try again in a moment.' }),
  };
  await page.getByRole('searchbox', { name: 'Search products' }).fill('lap');
  const alert = page.getByRole('alert');
  await alert.getByText('The products could not be loaded: The inventory table could not be read. Try again in a moment.').waitFor();

  stub.apis.productsFailure = { status: 502, contentType: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
  await page.getByRole('searchbox', { name: 'Search products' }).fill('mouse');
  await alert.getByText('The products could not be loaded: The server had a problem (502). Try again in a moment.').waitFor();
  // No rows of an earlier answer pass for this one.
  await expect(page.getByRole('table', { name: 'Products' }).getByRole('cell').count()).resolves.toBe(0);
  await expect(page.locator('body').innerText()).resolves.not.toMatch(/\{"message"|<h1>/);
  await shoot('08-api-error');
});

test('an expired session: the alert and a Sign in button that signs in again', async () => {
  await signIn();
  stub.authority.revokeEverything();
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByRole('alert').getByText('Your session has ended. Sign in again.').waitFor();
  await shoot('09-session-ended');
  await expectAccessible();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${STUB_EMAIL}`).waitFor();
});

test('the access token is renewed by refresh token before it expires, and the APIs get the new one', async () => {
  // The page renews 60 s before expiry: a 62 s token renews at once.
  stub.authority.accessTokenLifetime = 62;
  const renewal = stub.authority.nextRenewal();
  await signIn();
  const renewed = await renewal;
  // The page stores the renewed user a moment after the answer leaves the stub: page back and
  // forth until a request carries the new token (a few rounds at most).
  for (let round = 0; round < 10 && stub.apiAuthorizations.at(-1) !== renewed; round++) {
    const target = round % 2 === 0 ? 'Next page' : 'Previous page';
    await page.getByRole('button', { name: target }).click();
    await page.getByText(round % 2 === 0 ? 'Page 2 of 3' : 'Page 1 of 3').waitFor();
  }
  expect(stub.apiAuthorizations.at(-1)).toBe(renewed);
  await expect(page.getByRole('alert').count()).resolves.toBe(0);
});

test('a failed token renewal ends the session in words', async () => {
  // The page renews 60 s before expiry: a 62 s token renews at once, and the refresh is refused.
  stub.authority.accessTokenLifetime = 62;
  stub.authority.refreshAllowed = false;
  await signIn();
  await page.getByRole('alert').getByText('Your session has ended. Sign in again.').waitFor({ timeout: 15_000 });
});

test('a reload signs in again through the hosted UI, and sign-out revokes the refresh token then logs out', async () => {
  await signIn();
  await page.reload();
  await page.getByText(`Signed in as ${STUB_EMAIL}`).waitFor();

  const revocationsBefore = stub.authority.revocations.length;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  expect(stub.authority.revocations.slice(revocationsBefore)).toEqual([{ token: expect.stringMatching(/^[0-9a-f]{48}$/), clientId: STUB_CLIENT_ID }]);
  expect(stub.authority.logouts.at(-1)).toEqual({ clientId: STUB_CLIENT_ID, logoutUri: `${stub.url}/` });
  expect(page.url()).toBe(`${stub.url}/`);
});

test('report SUCCEEDED: the link opens in a new tab, and the email is mentioned', async () => {
  stub.apis.reportAnswers = [
    { status: 'RUNNING' },
    { status: 'SUCCEEDED', reportUrl: 'https://reports.example.test/report-2025.csv?X-Amz-Signature=abc' },
  ];
  await signIn();
  await page.getByRole('button', { name: 'Create report' }).click();
  const link = page.getByRole('link', { name: 'Open report' });
  await link.waitFor();
  await expect(link.getAttribute('href')).resolves.toBe('https://reports.example.test/report-2025.csv?X-Amz-Signature=abc');
  await expect(link.getAttribute('target')).resolves.toBe('_blank');
  await expect(link.getAttribute('rel')).resolves.toBe('noopener');
  await page.getByText('It was also sent by email.').waitFor();
  await shoot('10-report-succeeded');
});

test('report FAILED: says so in words', async () => {
  stub.apis.reportAnswers = [{ status: 'RUNNING' }, { status: 'FAILED', message: 'The orders database did not answer' }];
  await signIn();
  await page.getByRole('button', { name: 'Create report' }).click();
  await page
    .getByRole('region', { name: 'Reports' })
    .getByRole('status')
    .getByText('The report failed. The orders database did not answer. Try again, or ask whoever runs the pipeline.')
    .waitFor();
  await expect(page.getByRole('link', { name: 'Open report' }).count()).resolves.toBe(0);
  await shoot('11-report-failed');
});
