/**
 * The job monitor over HTTP, against the whole app: the queues page from pg-boss's counts and
 * policies, keyset pages of one state, a job page with its secrets redacted, the actions behind
 * CSRF and in the log with the admin's address, and the confirmation "retry all" needs.
 */
import { jest } from '@jest/globals';
import { pino } from 'pino';
import { startTestApp, type TestApp } from '../support/app.js';
import { Browser, signInWithStoredToken } from '../dashboard/support.js';

jest.setTimeout(60_000);

let app: TestApp;
let b: Browser;
const logged: Array<Record<string, unknown>> = [];
const later = () => new Date(Date.now() + 3_600_000);

beforeAll(async () => {
  const log = pino({ level: 'info' }, { write: (l: string) => void logged.push(JSON.parse(l)) });
  app = await startTestApp({ env: { LOG_LEVEL: 'info', DASHBOARD_PAGE_SIZE: '5' }, log });
  b = new Browser(app.baseUrl);
  await signInWithStoredToken(app, b, 'ops@example.com');
});
afterAll(async () => {
  await app?.stop();
});

const html = async (path: string) => {
  const res = await b.request(path);
  return { status: res.status, text: await res.text() };
};

test('the queues page: every queue, its counts by state and its policy', async () => {
  const { status, text } = await html('/queues');
  expect(status).toBe(200);
  for (const q of ['outbound.send', 'inbound.process', 'checkins.tick', 'system.ping'])
    expect(text).toContain(`data-queue="${q}"`);
  for (const s of ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'])
    expect(text).toContain(`<th class="num">${s}</th>`);
  // inbound.process: its registry policy and worker settings.
  expect(text).toMatch(/standard policy; 5 retries, 5 s apart, exponential backoff up to 15 min/);
  expect(text).toMatch(/batch 20 × 2 loops per worker; own partition; woken by NOTIFY/);
});

test('jobs of one state, newest first, in keyset pages', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 7; i++)
    ids.push(
      (await app.container.queue.send('system.ping', { note: `p${i}` }, { startAfter: later() }))!,
    );
  const first = await html('/queues/system.ping?state=created');
  expect(first.status).toBe(200);
  const listed = (t: string) => [...t.matchAll(/jobs\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
  expect(listed(first.text)).toEqual(ids.slice(2).reverse());
  const next = /href="([^"]+)" rel="next"/
    .exec(first.text)![1]!
    .replaceAll('&amp;', '&')
    .replaceAll('&#x3D;', '=');
  const second = await html(next);
  expect(listed(second.text)).toEqual(ids.slice(0, 2).reverse());
  expect(second.text).not.toContain('rel="next"');
  expect((await html('/queues/nope.queue')).status).toBe(404);
  expect((await html('/queues/system.ping?state=bogus')).status).toBe(422);
});

test('a job page redacts secrets; cancel is CSRF-checked and logged with the admin', async () => {
  const id = (await app.container.queue.send(
    'inbound.sns-confirm',
    {
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:t',
      subscribeUrl: 'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=s3cr3t',
      messageId: 'm-1',
    },
    { startAfter: later() },
  ))!;
  const path = `/queues/inbound.sns-confirm/jobs/${id}`;
  const page = await html(path);
  expect(page.status).toBe(200);
  expect(page.text).toContain('Token&#x3D;[redacted]');
  expect(page.text).not.toContain('s3cr3t');
  expect(page.text).toContain('id="cancel-job"');

  const noCsrf = await b.request(`${path}/cancel`, { method: 'POST', form: {} });
  expect(noCsrf.status).toBe(403);
  const res = await b.request(`${path}/cancel`, {
    method: 'POST',
    form: { _csrf: Browser.csrf(page.text) },
  });
  expect(res.status).toBe(303);
  expect((await html(path)).text).toContain(
    '<span class="badge bad" id="job-state">cancelled</span>',
  );
  expect(logged).toContainEqual(
    expect.objectContaining({ audit: 'job.cancel', admin: 'ops@example.com', jobId: id, moved: 1 }),
  );
  // A second cancel finds nothing waiting, and says so.
  const again = await b.request(`${path}/cancel`, {
    method: 'POST',
    form: { _csrf: Browser.csrf(page.text) },
  });
  expect(again.status).toBe(303);
  const flash = JSON.parse(Buffer.from(b.cookie('pr_flash')!, 'base64url').toString()) as object;
  expect(flash).toEqual({
    k: 'error',
    t: 'The job is no longer waiting; it was not cancelled.',
  });
});

test('retry all failed refuses a POST without its confirmation', async () => {
  const page = await html('/queues/system.ping?state=failed');
  const res = await b.request('/queues/system.ping/retry-failed', {
    method: 'POST',
    form: { _csrf: Browser.csrf(page.text) },
  });
  expect(res.status).toBe(422);
  const ok = await b.request('/queues/system.ping/retry-failed', {
    method: 'POST',
    form: { _csrf: Browser.csrf(page.text), confirm: 'yes' },
  });
  expect(ok.status).toBe(303);
  expect(logged).toContainEqual(
    expect.objectContaining({ audit: 'job.retry_all_failed', queue: 'system.ping', moved: 0 }),
  );
});

test('without a session the pages send a browser to sign in, and refuse a POST', async () => {
  const anon = new Browser(app.baseUrl);
  expect((await anon.request('/queues')).status).toBe(303);
  expect((await anon.request('/workers')).status).toBe(303);
  const post = await anon.request('/queues/system.ping/retry-failed', {
    method: 'POST',
    form: { confirm: 'yes' },
  });
  expect(post.status).toBe(401);
});
