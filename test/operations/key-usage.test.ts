/**
 * Usage per API key: GET /v1/keys/:id/usage (a key reads its own; an admin key any) and the API
 * keys page, with today, the month, each stream and the daily quota; near the quota it warns.
 */
import { jest } from '@jest/globals';
import { startOutboundApp, type OutboundTestApp } from '../outbound/support/outbound-app.js';
import { Browser, signInWithStoredToken } from '../dashboard/support.js';

jest.setTimeout(60_000);

let o: OutboundTestApp;
let limited: { key: string; id: string };
let other: { key: string; id: string };

const as = (key: string, path: string) =>
  fetch(`${o.app.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });

beforeAll(async () => {
  o = await startOutboundApp({ noSmtp: true });
  const a = await o.services.apiKeys.create({ name: 'limited', scopes: ['send'], dailyQuota: 5 });
  const b = await o.services.apiKeys.create({ name: 'other', scopes: ['read'] });
  limited = { key: a.key, id: a.record.id };
  other = { key: b.key, id: b.record.id };
  for (const stream of ['transactional', 'transactional', 'transactional', 'broadcast']) {
    const res = await fetch(`${o.app.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${limited.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        from: 'noreply@example.com',
        to: ['reader@example.org'],
        subject: 'usage',
        text: 'x',
        stream,
      }),
    });
    expect(res.status).toBe(202);
  }
});
afterAll(async () => {
  await o?.stop();
});

test('a key reads its own usage: today, the month, per stream, against its quota', async () => {
  const res = await as(limited.key, `/v1/keys/${limited.id}/usage`);
  // The `send` scope alone does not include `read`.
  expect(res.status).toBe(403);
  const mine = await o.services.apiKeys.create({
    name: 'reader',
    scopes: ['read'],
    dailyQuota: 10,
  });
  const own = await as(mine.key, `/v1/keys/${mine.record.id}/usage`);
  expect(own.status).toBe(200);
  expect(await own.json()).toMatchObject({ key_id: mine.record.id, today: 0, daily_quota: 10 });
});

test('an admin key reads any key; 80 % of the quota is near it', async () => {
  const res = await o.api('GET', `/v1/keys/${limited.id}/usage`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    key_id: limited.id,
    today: 4,
    month: 4,
    daily_quota: 5,
    remaining_today: 1,
    near_quota: true,
    quota_reached: false,
  });
  expect(res.body.by_stream).toEqual([
    { stream: 'broadcast', today: 1, month: 1 },
    { stream: 'transactional', today: 3, month: 3 },
  ]);
  expect(res.body.period.day_start).toMatch(/T00:00:00\.000Z$/);
  expect(res.body.period.month_start).toMatch(/-01T00:00:00\.000Z$/);
});

test("another key's usage is not found for a key without admin; a bad id is a 422", async () => {
  expect((await as(other.key, `/v1/keys/${limited.id}/usage`)).status).toBe(404);
  expect((await o.api('GET', `/v1/keys/not-a-uuid/usage`)).status).toBe(422);
  expect(
    (await o.api('GET', `/v1/keys/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}/usage`)).status,
  ).toBe(404);
});

test('the API keys page shows usage and warns near the quota', async () => {
  const b = new Browser(o.app.baseUrl);
  await signInWithStoredToken(o.app, b, 'ops@example.com');
  const text = await (await b.request('/api-keys')).text();
  const row = new RegExp(`<tr data-key="${limited.id}">([\\s\\S]*?)</tr>`).exec(text)![1]!;
  expect(row).toMatch(/4 \/ 5 <span class="badge warn">near quota<\/span>/);
  expect(row).toContain('broadcast 1, transactional 3');
  const unlimited = new RegExp(`<tr data-key="${other.id}">([\\s\\S]*?)</tr>`).exec(text)![1]!;
  expect(unlimited).toMatch(/0 \/ ∞/);
});
