/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against the
 * whole app on an ephemeral port with real Postgres, pg-boss workers and an SMTP sink:
 * sign-in through the mailed link, compose and send, schedule and cancel, inbound reprocess,
 * archive search, and a member adding an entry through their signed link. Screenshots of the
 * main pages go to a temp dir, or to docs/screenshots/ for the README with UPDATE_SCREENSHOTS=1
 * (so a test run leaves the checkout clean).
 */
import { jest } from '@jest/globals';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import type { DashboardFeature } from '../../../src/main/features/dashboard.js';
import { runAdmin } from '../../../src/main/commands/admin.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { seedTeam } from '../seed.js';
import { launchChromium, screenshotDir } from './chromium.js';

const SHOTS = screenshotDir();
const RELAY_TOKEN = 'relay-token-for-browser-tests';

jest.setTimeout(60_000);

describe('dashboard in Chromium', () => {
  let sink: SmtpSink;
  let app: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Launch first: without Chromium the suite fails here, with the install command.
    browser = await launchChromium();
    sink = await startSmtpSink();
    app = await startTestApp({
      env: {
        SMTP_URL: sink.url,
        SMTP_IGNORE_TLS: 'true',
        // The outbound engine refuses a From at localhost (its default), so tests name a domain.
        MAIL_FROM: 'Postroom <postroom@postroom.test>',
        RELAY_TOKENS: RELAY_TOKEN,
        INBOUND_DOMAIN: 'in.postroom.test',
      },
    });
    const out: string[] = [];
    const code = await runAdmin(['create', '--email', 'ops@example.com'], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      withDb: (fn) => fn(app.db.db),
    });
    expect(code).toBe(0);
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await sink?.close();
  });

  const url = (path: string) => `${app.baseUrl}${path}`;
  /** Links in mail use PUBLIC_URL; the test app listens on an ephemeral port instead. */
  const local = (link: string) => {
    const u = new URL(link);
    return url(u.pathname + u.search);
  };
  const shot = (name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  /** Reloads until the element's text is one of `wanted` (the page also refreshes itself). */
  async function waitForText(selector: string, wanted: string[], tries = 60): Promise<string> {
    let text = '';
    for (let i = 0; i < tries; i++) {
      text = ((await page.locator(selector).textContent()) ?? '').trim();
      if (wanted.includes(text)) return text;
      await new Promise((r) => setTimeout(r, 500));
      await page.reload();
    }
    throw new Error(`${selector} stayed "${text}", wanted ${wanted.join(' or ')}`);
  }

  test('an admin signs in through the magic link captured at the SMTP sink', async () => {
    await page.goto(url('/messages'));
    expect(new URL(page.url()).pathname).toBe('/login');
    await shot('login');
    await page.fill('input[name=email]', 'ops@example.com');
    await page.click('form[action="/login"] button[type=submit]');
    await page.waitForSelector('#login-sent');
    const [mail] = await sink.waitFor(1, 20_000);
    expect(mail!.to).toContain('ops@example.com');
    const parsed = await simpleParser(mail!.raw);
    const link = parsed.text!.match(/https?:\/\/\S+\/login\/verify\?token=\S+/)![0];
    await page.goto(local(link));
    await page.click('#confirm-login');
    await page.waitForURL(url('/messages'));
    expect(await page.locator('.signout .who').textContent()).toBe('ops@example.com');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'pr_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
  });

  test('compose and send a message; it reaches sent', async () => {
    sink.clear();
    await page.goto(url('/compose'));
    await page.fill('#to', 'reader@example.com');
    await page.fill('#subject', 'Hello from the dashboard');
    await page.fill('#html', '<h1>Hello</h1><p>Sent from a real browser.</p>');
    // The live preview re-renders into the sandboxed iframe as the HTML changes.
    const preview = page.frame({ name: 'preview-frame' })!;
    await preview.waitForSelector('h1');
    expect(await preview.locator('h1').textContent()).toBe('Hello');
    await shot('compose');
    await page.click('#send');
    await page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    expect(await waitForText('#message-status', ['sent'])).toBe('sent');
    const [mail] = await sink.waitFor(1, 20_000);
    expect((await simpleParser(mail!.raw)).subject).toBe('Hello from the dashboard');
    await page.reload();
    expect(await page.locator('#timeline').textContent()).toContain('sent');
    await shot('message');
  });

  test('schedule a message, then cancel it', async () => {
    await page.goto(url('/compose'));
    await page.fill('#to', 'later@example.com');
    await page.fill('#subject', 'Tomorrow');
    await page.fill('#html', '<p>Later</p>');
    await page.check('#when-schedule');
    const at = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 16);
    await page.fill('#send-at', at);
    await page.click('#send');
    await page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    expect(await waitForText('#message-status', ['scheduled'])).toBe('scheduled');
    const id = page.url().split('/').pop()!;
    await page.click('#cancel-message');
    expect(await waitForText('#message-status', ['canceled'])).toBe('canceled');
    const row = await app.db.pool.query<{ status: string }>(
      `SELECT status FROM outbound_messages WHERE id = $1`,
      [id],
    );
    expect(row.rows[0]!.status).toBe('canceled');
    await page.goto(url('/messages'));
    await shot('messages');
  });

  test('open an inbound message and reprocess it', async () => {
    const raw = [
      'From: Ana <ana@example.com>',
      'To: support@in.postroom.test',
      'Subject: Question about invoices',
      'Message-ID: <browser-test-1@example.com>',
      'Date: Tue, 24 Nov 2026 07:00:00 +0000',
      '',
      "Where do I find last month's invoice?",
      '',
      'Thanks,',
      'Ana',
      '',
      'Sent from my iPhone',
      '',
      'On Mon, Nov 23, 2026 at 9:00 AM Postroom wrote:',
      '> An earlier message',
      '',
    ].join('\r\n');
    const res = await fetch(url('/inbound/relay'), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${RELAY_TOKEN}`,
        'content-type': 'message/rfc822',
        'x-envelope-to': 'support@in.postroom.test',
      },
      body: raw,
    });
    expect(res.status).toBeLessThan(300);
    const found = await app.db.pool.query<{ id: string }>(
      `SELECT id FROM inbound_emails ORDER BY id DESC LIMIT 1`,
    );
    const id = found.rows[0]!.id;
    await page.goto(url('/inbound'));
    await page.click(`a[href="/inbound/${id}"]`);
    const settled = await waitForText('#inbound-status', ['processed', 'ignored', 'failed']);
    expect(await page.locator('#raw').textContent()).toContain('Subject: Question about invoices');
    // The reply's three parts: what Ana wrote, her sign-off and footer, the quoted history.
    expect(await page.locator('#reply').textContent()).toBe(
      "Where do I find last month's invoice?",
    );
    expect(await page.locator('#reply-signature').textContent()).toBe(
      'Thanks,\nAna\n\nSent from my iPhone',
    );
    await shot('inbound');
    const before = await app.db.pool.query<{ updated_at: Date }>(
      `SELECT updated_at FROM inbound_emails WHERE id = $1`,
      [id],
    );
    await page.click('#reprocess');
    await page.waitForSelector('.flash');
    expect(await page.locator('.flash').textContent()).toContain('Queued for processing again');
    expect(await waitForText('#inbound-status', [settled])).toBe(settled);
    const after = await app.db.pool.query<{ updated_at: Date }>(
      `SELECT updated_at FROM inbound_emails WHERE id = $1`,
      [id],
    );
    expect(after.rows[0]!.updated_at.getTime()).toBeGreaterThan(
      before.rows[0]!.updated_at.getTime(),
    );
  });

  test('search the team archive for a tag', async () => {
    const team = await seedTeam(app.db.pool, undefined, false);
    await page.goto(url(`/teams/${team.teamId}`));
    await shot('team');
    await page.goto(url(`/teams/${team.teamId}/archive?month=2026-11`));
    await shot('archive');
    await page.fill('#archive-q', '#billing');
    await page.click('form[role=search] button[type=submit]');
    await page.waitForSelector('#result-count');
    expect(await page.locator('#result-count').textContent()).toContain('2 entries');
    const rows = await page.locator('#results tbody tr').allTextContents();
    expect(rows.join('\n')).toContain('Shipped the #billing export');
    expect(rows.join('\n')).toContain('Tuned the #billing queries');
    await shot('archive-search');
  });

  test('a member adds an entry through their magic link', async () => {
    const team = await seedTeam(app.db.pool, undefined, false);
    const dashboard = app.container.features.find(
      (f) => f.name === 'dashboard',
    ) as DashboardFeature;
    const member = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const mp = await member.newPage();
    await mp.goto(local(dashboard.memberPageUrl(team.bo, new Date())));
    await mp.fill('#member-date', '2026-11-23');
    await mp.click('form.filters button[type=submit]');
    await mp.waitForURL(/date=2026-11-23/);
    await mp.fill('#entry-lines', 'Paired with @ana on the #billing export');
    await mp.click('#add-entry');
    await mp.waitForSelector('.flash');
    expect(
      await mp
        .locator('input[name=line]')
        .evaluateAll((els) => els.map((e) => (e as { value: string }).value)),
    ).toContain('Paired with @ana on the #billing export');
    const rows = await app.db.pool.query<{ tags: string[]; mentions: string[] }>(
      `SELECT tags, mentions FROM entries WHERE member_id = $1 AND local_date = '2026-11-23' AND text LIKE 'Paired%'`,
      [team.bo],
    );
    expect(rows.rows).toEqual([{ tags: ['billing'], mentions: ['ana'] }]);
    await mp.screenshot({ path: join(SHOTS, 'member.png'), fullPage: true });
    await member.close();
  });

  test('overview after the run', async () => {
    await page.goto(url('/'));
    expect(await page.locator('#outbound-total').textContent()).not.toBe('0');
    await shot('overview');
    // Narrow screens: the same page reflows into one column (no horizontal page scroll).
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(url('/'));
    const overflow = await page.evaluate(() => {
      const d = (
        globalThis as unknown as {
          document: { documentElement: { scrollWidth: number; clientWidth: number } };
        }
      ).document;
      return d.documentElement.scrollWidth - d.documentElement.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('overview-mobile');
  });
});
