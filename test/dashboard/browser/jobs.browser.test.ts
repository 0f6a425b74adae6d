/**
 * The job monitor in Chromium against the whole app: an inbound message whose handler breaks
 * fails its `inbound.process` job; the failure shows on the queues page, the job page shows the
 * error with its stack and the message it names, and once the handler is mended a click on
 * Retry runs the job again to completion; "retry all failed" waits for its confirmation box.
 */
import { jest } from '@jest/globals';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { InboundFeature } from '../../../src/main/features/inbound.js';
import type { OutboundFeature } from '../../../src/main/features/outbound.js';
import { simpleMailbox } from '../../../src/services/inbound/mailboxes.js';
import { relayRequest } from '../../../scripts/providers/sign.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { storedLoginToken } from '../support.js';
import { launchChromium, screenshotDir } from './chromium.js';

jest.setTimeout(90_000);

const RELAY = 'relay-token-job-monitor';
let app: TestApp;
let browser: Browser;
let page: Page;
let broken = true;
const url = (path: string) => `${app.baseUrl}${path}`;
const shot = (name: string) =>
  page.screenshot({ path: join(screenshotDir(), `${name}.png`), fullPage: true });

/** A session for ops@example.com, through the sign-in page with a stored login token. */
async function signIn(): Promise<void> {
  const token = await storedLoginToken(app.db.db, 'ops@example.com');
  await page.goto(url(`/login/verify?token=${token}`));
  await page.click('#confirm-login');
  await page.waitForURL(url('/'));
}

/** A reply, by its thread, to a message we sent: it reaches the `message` mailbox. */
async function replyToOurMessage(n: number): Promise<string> {
  const outbound = app.container.features.find((f) => f.name === 'outbound') as OutboundFeature;
  const sent = await outbound.services.sendMessage({
    from: 'noreply@postroom.test',
    to: ['bo@example.org'],
    subject: `Thread ${n}`,
    text: 'x',
  });
  const { message } = await outbound.services.all.messages.get(sent.id);
  const raw =
    `From: bo@example.org\r\nTo: x@in.postroom.test\r\nSubject: Re: Thread ${n}\r\n` +
    `Message-ID: <job-monitor-${n}@example.org>\r\nIn-Reply-To: ${message.messageIdHeader}\r\n\r\nDone.\r\n`;
  const req = relayRequest(Buffer.from(raw), { token: RELAY, to: ['x@in.postroom.test'] });
  const res = await fetch(url(req.path), { method: 'POST', headers: req.headers, body: req.body });
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  browser = await launchChromium();
  app = await startTestApp({
    env: { RELAY_TOKENS: RELAY, INBOUND_DOMAIN: 'in.postroom.test', INBOUND_PROCESS_RETRIES: '0' },
  });
  const inbound = app.container.features.find((f) => f.name === 'inbound') as InboundFeature;
  inbound.services.registerMailbox(
    simpleMailbox('test.sometimes-broken', async () => {
      if (broken) throw new Error('the handler is broken today');
      return { status: 'processed', routedTo: { test: true } };
    }),
    { tokenKinds: ['message'] },
  );
  page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  page.on('dialog', (d) => void d.accept());
  await signIn();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function reloadUntil(selector: string, text: string, tries = 60): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (((await page.locator(selector).textContent()) ?? '').includes(text)) return;
    await new Promise((r) => setTimeout(r, 250));
    await page.reload();
  }
  throw new Error(`${selector} never showed "${text}"`);
}

test('a failed job shows on the queues page, is retried from its page, and completes', async () => {
  const inboundEmailId = await replyToOurMessage(1);
  await page.goto(url('/queues'));
  const failedCell = '#queues tr[data-queue="inbound.process"] td[data-state="failed"]';
  await reloadUntil(failedCell, '1');
  await shot('queues');
  await page.click(`${failedCell} a`);
  await page.waitForURL(url('/queues/inbound.process?state=failed'));
  await page.click('#jobs tbody tr a');
  await page.waitForURL(/\/queues\/inbound\.process\/jobs\/[0-9a-f-]{36}$/);
  expect(await page.locator('#job-state').textContent()).toBe('failed');
  expect(await page.locator('#job-error').textContent()).toBe('the handler is broken today');
  // The stack's first lines: the error, then where it was thrown.
  const stack = (await page.locator('#job-stack').textContent())!.split('\n');
  expect(stack[0]).toBe('Error: the handler is broken today');
  expect(stack[1]).toMatch(/^\s+at /);
  expect(await page.locator('#linked').textContent()).toContain(inboundEmailId);
  expect(await page.locator('#payload').textContent()).toContain(inboundEmailId);
  await shot('job');

  broken = false;
  await page.click('#retry-job');
  await page.waitForSelector('.flash');
  expect(await page.locator('.flash').textContent()).toBe('Job queued for another attempt.');
  await reloadUntil('#job-state', 'completed');
  const row = await app.db.pool.query('SELECT status FROM inbound_emails WHERE id = $1', [
    inboundEmailId,
  ]);
  expect(row.rows[0].status).toBe('processed');
  await page.goto(url('/queues'));
  expect(await page.locator(failedCell).textContent()).toBe('0');
});

test('retry all failed needs its confirmation box, then retries every failed job', async () => {
  broken = true;
  await replyToOurMessage(2);
  await page.goto(url('/queues/inbound.process?state=failed'));
  await reloadUntil('nav.tabs', 'failed 1');
  broken = false;
  // Without the box ticked, the form does not submit (and the server would refuse it too).
  await page.click('#retry-all');
  expect(page.url()).toBe(url('/queues/inbound.process?state=failed'));
  await page.check('#confirm-retry-all');
  await page.click('#retry-all');
  await page.waitForSelector('.flash');
  expect(await page.locator('.flash').textContent()).toBe(
    '1 failed job queued for another attempt.',
  );
  await page.goto(url('/queues/inbound.process?state=completed'));
  await reloadUntil('nav.tabs', 'failed 0');
});
