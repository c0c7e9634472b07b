import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, saveScreenshot } from '../support/browser.js';
import { json } from '../support/json-body.js';
import { eventually, type LocalStack, startLocalStack } from '../support/local-stack.js';
import { stageBody } from '../support/stage-body.js';
import { tempDir } from '../support/test-server.js';

// The dashboard in a real browser (Debian's Chromium) against the real local stack: a server on a real
// port with a SQLite file, and the sandbox as Ingo sending real webhooks back. The sandbox runs at
// twice real time, so a happy payout takes a few seconds: long enough to watch it move live.

const readonlyToken = `readonly-${randomBytes(12).toString('hex')}`;
const dir = tempDir('dashboard-browser');
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startLocalStack({
    databaseUrl: `sqlite:${dir.path}/dashboard.db`,
    sandbox: { speed: 2 },
    serverConfig: { readonlyToken },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
  dir.remove();
});

async function openPage(width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(stack.server.url);
  return page;
}

async function signIn(token: string, width?: number): Promise<Page> {
  const page = await openPage(width);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

const badge = (page: Page, status: string) =>
  page.locator('h1 .badge', { hasText: new RegExp(`^${status}$`) }).waitFor({ timeout: 30_000 });

/** Stages through the API (for payouts a test needs but does not stage through the form). */
async function stageByApi(email: string) {
  return json(stack.server.api('/api/v1/disbursements', { method: 'POST', json: stageBody({ email }) }));
}

describe('the dashboard in Chromium', () => {
  it('refuses a wrong token and shows nothing without a session', async () => {
    const page = await openPage();
    await expectAccessible(page, 'sign-in page');
    await page.getByLabel('API token').fill('definitely-not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    const overview = await page.evaluate(async () => (await fetch('/dashboard/overview')).status);
    expect(overview).toBe(401);
    await page.context().close();
  });

  it('stages through the form (API messages beside the fields) and watches it reach funded live', async () => {
    const page = await signIn(stack.server.apiToken);
    await page.getByTestId('live-state').filter({ hasText: 'Live' }).waitFor();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await expectAccessible(page, 'overview');

    await page.getByRole('link', { name: 'Stage a payout' }).click();
    await page.getByLabel('Amount ($)').fill('42.50');
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('Last name').fill('Hopper');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Mobile').fill('5125550100');
    await page.getByLabel('Address').fill('1 Navy Way');
    await page.getByLabel('City').fill('Arlington');
    await page.getByLabel('State').fill('VA');
    await page.getByLabel('ZIP').fill('22202');
    await page.getByLabel('Expected answer').fill('4321');
    await page.getByRole('button', { name: 'Stage payout' }).click();
    const emailError = page.locator('#f-recipient-email-error');
    await emailError.waitFor();
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    expect((await emailError.textContent())?.length).toBeGreaterThan(3);
    await expectAccessible(page, 'stage form with errors');

    await page.getByLabel('Email').fill('grace.hopper@example.com');
    await page.getByRole('button', { name: 'Stage payout' }).click();
    await page.waitForURL(/#\/payouts\/dsb_/);
    // A marker that a reload would wipe: the status must change under it.
    await page.evaluate(() => {
      (globalThis as unknown as { marker: number }).marker = 1;
    });
    const first = await page.locator('h1 .badge').textContent();
    expect(first).not.toBe('funded');
    await badge(page, 'funded');
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(1);
    await page.context().close();
  });

  it('searches for a payout, opens it and reads its timeline, raw JSON included', async () => {
    const page = await signIn(stack.server.apiToken);
    await page.getByRole('link', { name: 'Payouts' }).click();
    // Nothing matches: the empty state says what to do.
    await page.getByLabel('Search', { exact: true }).fill('nobody-by-this-name');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No payouts match these filters').waitFor();
    await page.getByLabel('Search', { exact: true }).fill('Hopper');
    await page.getByRole('button', { name: 'Apply' }).click();
    const row = page.getByRole('link', { name: 'Grace Hopper' });
    await row.waitFor();
    expect(await page.locator('table.list tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: 'funded' }).click();
    await row.waitFor();
    expect(await page.getByRole('button', { name: 'funded' }).getAttribute('aria-pressed')).toBe('true');
    await expectAccessible(page, 'payout list');
    await row.click();
    await badge(page, 'funded');
    const timeline = page.getByTestId('timeline');
    await timeline.getByText('transaction.recipient.payment.status.success').first().waitFor();
    await timeline.getByRole('button', { name: 'Raw JSON' }).last().click();
    expect(await page.locator('pre.raw').textContent()).toContain('"metadata"');
    expect(await page.getByRole('button', { name: 'Cancel payout' }).isDisabled()).toBe(true);
    await expectAccessible(page, 'payout detail');
    await page.context().close();
  });

  it('cancels a +idle payout staged through the form, after confirmation', async () => {
    const page = await signIn(stack.server.apiToken);
    await page.getByRole('link', { name: 'Stage a payout' }).click();
    await page.getByLabel('Amount ($)').fill('19.99');
    await page.getByLabel('First name').fill('Idle');
    await page.getByLabel('Last name').fill('Recipient');
    await page.getByLabel('Email').fill('idle+idle@example.com');
    await page.getByLabel('Mobile').fill('5125550100');
    await page.getByLabel('Expected answer').fill('1234');
    await page.getByRole('button', { name: 'Stage payout' }).click();
    await page.waitForURL(/#\/payouts\/dsb_/);
    await badge(page, 'notified');
    const cancel = page.getByRole('button', { name: 'Cancel payout' });
    expect(await cancel.isEnabled()).toBe(true);
    await cancel.click();
    await page.getByRole('alertdialog').waitFor();
    await expectAccessible(page, 'cancel confirmation');
    await page.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.getByTestId('cancel-outcome').filter({ hasText: 'Canceled' }).waitFor();
    await badge(page, 'canceled');
    await page.context().close();
  });

  it('shows Cancel disabled, with the reason, on a claimed payout', async () => {
    const staged = await stageByApi(`claimed+idle.${randomBytes(3).toString('hex')}@example.com`);
    const d = await eventually(
      () => json(stack.server.api(`/api/v1/disbursements/${staged.id}`)),
      (v) => v.status === 'notified',
    );
    await stack.control.act(d.notification_id, 'open');
    await stack.control.act(d.notification_id, 'authenticate');
    await stack.control.act(d.notification_id, 'choose_payment', { account_type: 'CA' });
    const page = await signIn(stack.server.apiToken);
    await page.goto(`${stack.server.url}/#/payouts/${staged.id}`);
    await badge(page, 'claimed');
    expect(await page.getByRole('button', { name: 'Cancel payout' }).isDisabled()).toBe(true);
    expect(await page.locator('#cancel-why').textContent()).toContain('claimed');
    await page.context().close();
  });

  it('lets the read-only token see everything but act on nothing', async () => {
    const idle = await stageByApi(`ro+idle.${randomBytes(3).toString('hex')}@example.com`);
    await eventually(
      () => json(stack.server.api(`/api/v1/disbursements/${idle.id}`)),
      (v) => v.status === 'notified',
    );
    const page = await signIn(readonlyToken);
    await page.getByText('Read-only', { exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Stage a payout' }).count()).toBe(0);
    await page.goto(`${stack.server.url}/#/payouts/${idle.id}`);
    await badge(page, 'notified');
    expect(await page.getByRole('button', { name: 'Cancel payout' }).isDisabled()).toBe(true);
    expect(await page.locator('#cancel-why').textContent()).toContain('read-only');
    // The server refuses too, whatever the page shows.
    const status = await page.evaluate(async (id) => {
      const session = (await (await fetch('/dashboard/session')).json()) as { csrf_token: string };
      const r = await fetch(`/api/v1/disbursements/${id}/cancel`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrf_token },
        body: '{}',
      });
      return r.status;
    }, idle.id);
    expect(status).toBe(403);
    await page.context().close();
  });

  it('reconnects by itself after the connection drops and misses nothing that happened meanwhile', async () => {
    const idle = await stageByApi(`drop+idle.${randomBytes(3).toString('hex')}@example.com`);
    const d = await eventually(
      () => json(stack.server.api(`/api/v1/disbursements/${idle.id}`)),
      (v) => v.status === 'notified',
    );
    const page = await signIn(stack.server.apiToken);
    await page.goto(`${stack.server.url}/#/payouts/${idle.id}`);
    await badge(page, 'notified');
    await page.getByTestId('live-state').filter({ hasText: 'Live' }).waitFor();
    // Every open connection is cut (the live stream with them); the recipient moves on meanwhile.
    stack.server.server.app.server.closeAllConnections();
    await stack.control.act(d.notification_id, 'open');
    await badge(page, 'viewed');
    await page.getByTestId('live-state').filter({ hasText: 'Live' }).waitFor();
    await page.context().close();
  });

  it('is usable with the keyboard alone: sign in, skip link, navigation, sortable columns', async () => {
    const page = await openPage();
    // The page renders the sign-in form after its session check answers; Tab before that has nothing to reach.
    await page.getByLabel('API token').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('token');
    await page.keyboard.type(stack.server.apiToken);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Payouts');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Payouts' }).waitFor();
    const amount = page.getByRole('button', { name: 'Amount' });
    await amount.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/sort=-amount/);
    await page.locator('th[aria-sort="descending"]', { hasText: 'Amount' }).waitFor();
    await page.context().close();
  });

  it('stays usable at 768 px and keeps the overview, list and detail screenshots current', async () => {
    const narrow = await signIn(stack.server.apiToken, 768);
    await narrow.goto(`${stack.server.url}/#/payouts`);
    await narrow.locator('table.list').waitFor();
    // Evaluated in the page (a string: this file is typed for Node, without the DOM).
    const overflow = await narrow.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await narrow.context().close();

    const page = await signIn(stack.server.apiToken);
    await page.getByRole('heading', { name: 'Needs attention' }).waitFor();
    await saveScreenshot(page, 'overview');
    await page.goto(`${stack.server.url}/#/payouts`);
    await page.locator('table.list').waitFor();
    await saveScreenshot(page, 'payouts');
    await page.getByRole('link', { name: 'Grace Hopper' }).click();
    await badge(page, 'funded');
    await saveScreenshot(page, 'payout-detail');
    await page.context().close();
  });
});
