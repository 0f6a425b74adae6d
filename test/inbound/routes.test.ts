/**
 * Routes through the whole app as `postroom start` wires it (all features, real SMTP sink):
 * bad routes are 422 with a code; priority, the default and the dry run agree with what
 * processing does; the thin payload above the limit and the full JSON behind its signed URL;
 * forward (attached and inline), reject with a template, and the check-in action.
 */
import { simpleParser } from 'mailparser';
import { relayRequest } from '../../scripts/providers/sign.js';
import { createReplyToken } from '../../src/inbound/reply-token.js';
import { startTestApp, TEST_SECRET, type TestApp } from '../support/app.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { waitUntil } from './support/harness.js';
import type { OutboundFeature } from '../../src/main/features/outbound.js';
import {
  createRouteService,
  ROUTE_CACHE_MS,
  type RouteService,
} from '../../src/services/inbound/routes.js';
import { repositories } from '../../src/storage/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

const DOMAIN = 'in.routes.test';
let app: TestApp;
let sink: SmtpSink;
let key: string;
let n = 0;

async function api(method: string, path: string, body?: unknown, raw?: string) {
  const res = await fetch(app.baseUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined || raw ? { 'content-type': 'application/json' } : {}),
    },
    ...(raw ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Loose };
}

function mail(to: string, opts: { from?: string; subject?: string; body?: string } = {}): Buffer {
  n++;
  return Buffer.from(
    `From: ${opts.from ?? 'Ana <ana@example.org>'}\r\nTo: ${to}\r\nSubject: ${opts.subject ?? `Question ${n}`}\r\nMessage-ID: <q${n}.${Date.now()}@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${opts.body ?? 'Is this the right address?'}\r\n`,
  );
}

async function deliver(raw: Buffer, to: string): Promise<Loose> {
  const res = await fetch(app.baseUrl + '/inbound/relay', {
    ...relayRequest(raw, { token: 'relay', to: [to] }),
    method: 'POST',
  });
  const { id } = (await res.json()) as { id: string };
  const row = async () =>
    (await app.db.pool.query('SELECT * FROM inbound_emails WHERE id = $1', [id])).rows[0] as Loose;
  await waitUntil(async () => ['processed', 'ignored'].includes((await row()).status));
  return row();
}

beforeAll(async () => {
  sink = await startSmtpSink();
  app = await startTestApp({
    env: (port) => ({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SMTP_URL: sink.url,
      SMTP_IGNORE_TLS: 'true',
      MAIL_FROM: 'Postroom <app@postroom.test>',
      INBOUND_DOMAIN: DOMAIN,
      RELAY_TOKENS: 'relay',
      INBOUND_WEBHOOK_MAX_PAYLOAD_BYTES: '4096',
      WEBHOOK_RETRY_SCHEDULE: '3600',
    }),
  });
  const outbound = app.container.features.find((f) => f.name === 'outbound') as OutboundFeature;
  key = (await outbound.services.apiKeys.create({ name: 't', scopes: ['admin'] })).key;
});
afterAll(async () => {
  // Optional calls: a failed start-up should report its own error, not this one.
  await app?.stop();
  await sink?.close();
});

describe('a bad route is a 422 with a code, and leaves nothing behind', () => {
  const ok = { match: { recipient: `x@${DOMAIN}` }, action: { type: 'store' } };
  test.each([
    ['an invalid regex', { ...ok, match: { recipient: { regex: '(' } } }, 'invalid_regex'],
    [
      'a regex that backtracks without bound',
      { ...ok, match: { sender: { regex: '^(a+)+$' } } },
      'unsafe_regex',
    ],
    ['a backreference', { ...ok, match: { recipient: { regex: '(a)\\1' } } }, 'unsafe_regex'],
    [
      'a private webhook URL',
      { ...ok, action: { type: 'webhook', url: 'http://127.0.0.1:9/hook' } },
      'webhook_url_refused',
    ],
    [
      'a link-local webhook URL',
      { ...ok, action: { type: 'webhook', url: 'http://169.254.169.254/latest' } },
      'webhook_url_refused',
    ],
    ['no action', { match: ok.match }, 'action_required'],
    ['no match', { action: ok.action }, 'match_required'],
    ['an empty match', { ...ok, match: {} }, 'match_required'],
    [
      'a pattern outside the grammar',
      { ...ok, match: { recipient: 'a*b@x.test' } },
      'invalid_pattern',
    ],
    [
      'a forward back to us',
      { ...ok, action: { type: 'forward', to: [`loop@${DOMAIN}`] } },
      'forward_loop',
    ],
    [
      'a reject template with an unknown variable',
      { ...ok, action: { type: 'reject', message: 'Hi {{nope}}' } },
      'template_variables_missing',
    ],
    [
      'a team that does not exist',
      { ...ok, action: { type: 'checkins', team_id: '0190f0f0-0000-7000-8000-000000000000' } },
      'team_not_found',
    ],
    [
      'a webhook without a target',
      { ...ok, action: { type: 'webhook' } },
      'webhook_target_required',
    ],
    ['an unknown action', { ...ok, action: { type: 'bounce' } }, 'validation_failed'],
  ])('%s', async (_what, body, code) => {
    const res = await api('POST', '/v1/routes', body);
    expect(res).toMatchObject({ status: 422, body: { error: { code } } });
  });

  test('malformed JSON is a 400, and no refused route created a route or an endpoint', async () => {
    expect((await api('POST', '/v1/routes', undefined, '{"match":')).status).toBe(400);
    expect((await api('GET', '/v1/routes')).body.data).toEqual([]);
    expect((await api('GET', '/v1/webhooks')).body.data).toEqual([]);
  });
});

describe('priority, the default, and the dry run', () => {
  test('the first match by priority wins; unmatched mail takes the default', async () => {
    const catchAll = await api('POST', '/v1/routes', {
      name: 'everything else',
      priority: 100,
      match: { recipient: `*@${DOMAIN}` },
      action: { type: 'store' },
    });
    const sales = await api('POST', '/v1/routes', {
      name: 'sales',
      priority: 10,
      match: { recipient: `sales+*@${DOMAIN}`, subject: { contains: 'quote' } },
      action: {
        type: 'reject',
        subject: 'Re: {{subject}}',
        message: 'Write to {{recipient}} from the portal, please.',
      },
    });
    expect([catchAll.status, sales.status]).toEqual([201, 201]);
    const listed = (await api('GET', '/v1/routes')).body;
    expect(listed.data.map((r: Loose) => r.name)).toEqual(['sales', 'everything else']);
    expect(listed.default).toMatchObject({ built_in: true, action: { type: 'reject' } });

    const test = (body: Loose) => api('POST', '/v1/routes/test', body);
    expect(
      (await test({ to: `sales+eu@${DOMAIN}`, subject: 'A quote please' })).body,
    ).toMatchObject({ decision: 'route', route: { name: 'sales' }, mailbox: 'reject' });
    expect((await test({ to: `sales+eu@${DOMAIN}`, subject: 'Hello' })).body).toMatchObject({
      decision: 'route',
      route: { name: 'everything else' },
    });

    const rejected = await deliver(
      mail(`sales+eu@${DOMAIN}`, { subject: 'A quote please' }),
      `sales+eu@${DOMAIN}`,
    );
    expect(rejected).toMatchObject({
      status: 'ignored',
      reason: 'rejected',
      reason_detail: 'route:sales',
    });
    await waitUntil(async () => sink.messages.some((m) => m.to.includes('ana@example.org')));
    const rejection = await simpleParser(
      sink.messages.find((m) => m.to.includes('ana@example.org'))!.raw,
    );
    expect(rejection.subject).toBe('Re: A quote please');
    expect(rejection.text).toContain(`Write to sales+eu@${DOMAIN} from the portal, please.`);
    expect(rejection.headers.get('auto-submitted')).toBe('auto-replied');

    const stored = await deliver(mail(`info@${DOMAIN}`), `info@${DOMAIN}`);
    expect(stored).toMatchObject({
      status: 'processed',
      routed_to: { action: 'store', route: { name: 'everything else' } },
    });

    expect((await api('PATCH', `/v1/routes/${catchAll.body.id}`, { enabled: false })).status).toBe(
      200,
    );
    const unmatched = await deliver(mail(`info@${DOMAIN}`), `info@${DOMAIN}`);
    expect(unmatched).toMatchObject({
      status: 'ignored',
      reason: 'unroutable',
      reason_detail: 'no_token_or_thread',
    });
    expect((await test({ to: `info@${DOMAIN}` })).body).toMatchObject({
      decision: 'default',
      route: { built_in: true },
    });

    expect((await api('PUT', '/v1/routes/default', { action: { type: 'store' } })).status).toBe(
      200,
    );
    const defaulted = await deliver(mail(`info@${DOMAIN}`), `info@${DOMAIN}`);
    expect(defaulted).toMatchObject({
      status: 'processed',
      routed_to: { action: 'store', route: { name: 'default' } },
    });
    expect(defaulted.correlation).toMatchObject({ via: 'default' });
    expect((await api('DELETE', '/v1/routes/default')).status).toBe(204);
    for (const r of [catchAll, sales])
      expect((await api('DELETE', `/v1/routes/${r.body.id}`)).status).toBe(204);
    expect((await api('GET', `/v1/routes/${sales.body.id}`)).status).toBe(404);
  });

  test('the dry run names reply tokens and threads before routes, and matches senders and headers', async () => {
    const route = await api('POST', '/v1/routes', {
      priority: 1,
      match: { sender: '*@partner.test', headers: [{ name: 'X-Priority', equals: '1' }] },
      action: { type: 'store' },
    });
    const t = (body: Loose) => api('POST', '/v1/routes/test', body);
    expect(
      (await t({ to: `a@${DOMAIN}`, from: 'x@partner.test', headers: { 'X-Priority': '1' } })).body
        .decision,
    ).toBe('route');
    expect(
      (await t({ to: `a@${DOMAIN}`, from: 'x@partner.test', headers: { 'X-Priority': '3' } })).body
        .decision,
    ).toBe('default');
    const id = '0190f0f0-0000-7000-8000-000000000001';
    const exp = new Date(Date.now() + 86_400_000);
    const token = `reply+${createReplyToken(TEST_SECRET, { kind: 'message', id, email: 'a@b.test', exp })}@${DOMAIN}`;
    expect((await t({ to: token })).body).toMatchObject({
      decision: 'reply_token',
      mailbox: 'messages',
      token: { kind: 'message', id },
    });
    const sent = await api('POST', '/v1/messages', {
      to: ['cleo@example.org'],
      subject: 's',
      text: 't',
    });
    expect(
      (await t({ to: `a@${DOMAIN}`, headers: { 'In-Reply-To': sent.body.message_id } })).body,
    ).toMatchObject({ decision: 'thread', thread: { message_id: sent.body.id } });
    expect((await t({ to: 'not an address' })).status).toBe(422);
    await api('DELETE', `/v1/routes/${route.body.id}`);
  });
});

test('above the limit the payload is thin, and its signed payload_url serves the full JSON', async () => {
  const route = await api('POST', '/v1/routes', {
    match: { recipient: `big@${DOMAIN}` },
    action: { type: 'webhook', url: 'https://hooks.postroom.invalid/inbound' },
  });
  expect(route.status).toBe(201);
  const body = 'A long report line.\n'.repeat(400);
  const row = await deliver(mail(`big@${DOMAIN}`, { body }), `big@${DOMAIN}`);
  expect(row.routed_to).toMatchObject({ action: 'webhook', thin: true });
  const { rows } = await app.db.pool.query(
    'SELECT payload FROM webhook_deliveries WHERE inbound_email_id = $1',
    [row.id],
  );
  const thin = rows[0].payload as Loose;
  expect(Buffer.byteLength(JSON.stringify(thin))).toBeLessThan(4096);
  expect(thin.data).toMatchObject({ id: row.id, thin: true, text: null, html: null, reply: null });
  const full = await fetch(thin.data.payload_url);
  expect(full.status).toBe(200);
  const json = (await full.json()) as Loose;
  expect(json.data).toMatchObject({ id: row.id, thin: false, subject: thin.data.subject });
  expect(json.data.text.replace(/\r\n/g, '\n')).toContain(body.trim());
  expect((await fetch(thin.data.payload_url.replace(/token=.*/, 'token=forged'))).status).toBe(403);
  expect((await fetch(thin.data.payload_url.replace(/\?.*/, ''))).status).toBe(401);
  await api('DELETE', `/v1/routes/${route.body.id}`);
});

test('forward re-sends through outbound: the original attached byte for byte, or inline', async () => {
  const attached = await api('POST', '/v1/routes', {
    match: { recipient: `fwd@${DOMAIN}` },
    action: { type: 'forward', to: ['ops@example.net'] },
  });
  const inline = await api('POST', '/v1/routes', {
    match: { recipient: `fwd-inline@${DOMAIN}` },
    action: { type: 'forward', to: ['ops@example.net'], mode: 'inline' },
  });
  const raw = mail(`fwd@${DOMAIN}`, { subject: 'Printer on fire' });
  expect(await deliver(raw, `fwd@${DOMAIN}`)).toMatchObject({
    status: 'processed',
    routed_to: { action: 'forward', to: ['ops@example.net'] },
  });
  await deliver(
    mail(`fwd-inline@${DOMAIN}`, { subject: 'Coffee machine', body: 'It makes tea now.' }),
    `fwd-inline@${DOMAIN}`,
  );
  const toOps = () => sink.messages.filter((m) => m.to.includes('ops@example.net'));
  await waitUntil(async () => toOps().length === 2);
  const parsed = await Promise.all(toOps().map(async (m) => ({ m, p: await simpleParser(m.raw) })));
  const byAttachment = parsed.find((x) => x.p.subject === 'Fwd: Printer on fire')!;
  expect(byAttachment.p.replyTo?.value[0]?.address).toBe('ana@example.org');
  // The original travels as a message/rfc822 part, its bytes unchanged.
  expect(byAttachment.m.raw.toString()).toMatch(
    /Content-Type: message\/rfc822; name=original\.eml/,
  );
  expect(byAttachment.m.raw.includes(raw)).toBe(true);
  const byInline = parsed.find((x) => x.p.subject === 'Fwd: Coffee machine')!.p;
  expect(byInline.text).toContain('---------- Forwarded message ---------');
  expect(byInline.text).toContain('It makes tea now.');
  for (const r of [attached, inline]) await api('DELETE', `/v1/routes/${r.body.id}`);
});

test('the checkins action turns mail to a team address into entries for the sender', async () => {
  const team = await api('POST', '/v1/teams', { name: 'Core', time_zone: 'Europe/Berlin' });
  await api('POST', `/v1/teams/${team.body.id}/members`, { email: 'dev@example.org', name: 'Dev' });
  const route = await api('POST', '/v1/routes', {
    match: { recipient: `standup@${DOMAIN}` },
    action: { type: 'checkins', team_id: team.body.id },
  });
  expect(route.status).toBe(201);
  const row = await deliver(
    mail(`standup@${DOMAIN}`, {
      from: 'Dev <dev@example.org>',
      body: 'Fixed the build\n[] Write the release notes',
    }),
    `standup@${DOMAIN}`,
  );
  expect(row).toMatchObject({
    status: 'processed',
    routed_to: { feature: 'checkins', outcome: 'entries', entries: 2 },
  });
  const stranger = await deliver(
    mail(`standup@${DOMAIN}`, { from: 'eve@example.org' }),
    `standup@${DOMAIN}`,
  );
  expect(stranger).toMatchObject({ status: 'ignored', reason: 'unknown_sender' });
  await api('DELETE', `/v1/routes/${route.body.id}`);
});

test('a route saved through one process is used by every other within ROUTE_CACHE_MS', async () => {
  let now = Date.now();
  const clock = { now: () => new Date(now) };
  const processes = [1, 2].map(() =>
    createRouteService({
      db: app.db.db,
      clock,
      routes: repositories.inboundRoutes,
      targets: { mailboxFor: () => undefined },
      settings: { inboundDomain: DOMAIN },
    }),
  );
  const [writer, other] = processes as [RouteService, RouteService];
  const ids = async (s: RouteService) => (await s.current()).routes.map((r) => r.id);
  const before = await ids(other);
  const saved = await writer.create({
    match: { recipient: `seen@${DOMAIN}` },
    action: { type: 'store' },
  });
  expect(await ids(writer)).toContain(saved.route.id);
  expect(await ids(other)).toEqual(before);
  now += ROUTE_CACHE_MS;
  expect(await ids(other)).toContain(saved.route.id);
  await writer.remove(saved.route.id);
});

describe('text PostgreSQL cannot store is refused or cleaned, never a 5xx', () => {
  // The code is the API's one for such text (issue 14): 422 `invalid_characters` naming the field.
  test('a NUL or a lone surrogate in a route or a dry run is a 422 invalid_characters', async () => {
    const refused = (field: string) => ({
      status: 422,
      body: { error: { code: 'invalid_characters', details: { field } } },
    });
    const match = { recipient: `nul@${DOMAIN}` };
    const nul = await api('POST', '/v1/routes', {
      name: 'a\u0000b',
      match,
      action: { type: 'store' },
    });
    expect(nul).toMatchObject(refused('name'));
    const raw = `{"match":{"recipient":{"regex":"\\ud800x"}},"action":{"type":"store"}}`;
    expect(await api('POST', '/v1/routes', undefined, raw)).toMatchObject(
      refused('match.recipient.regex'),
    );
    const dry = await api('POST', '/v1/routes/test', {
      to: `a@${DOMAIN}`,
      headers: { 'In-Reply-To': '<a\u0000b@x>' },
    });
    expect(dry).toMatchObject(refused('headers.In-Reply-To'));
  });

  test('mail with NUL in its body still reaches its webhook, cleaned', async () => {
    const route = await api('POST', '/v1/routes', {
      match: { recipient: `nul@${DOMAIN}` },
      action: { type: 'webhook', url: 'https://hooks.postroom.invalid/inbound' },
    });
    const row = await deliver(
      mail(`nul@${DOMAIN}`, { body: 'before\u0000after' }),
      `nul@${DOMAIN}`,
    );
    expect(row.status).toBe('processed');
    const { rows } = await app.db.pool.query(
      'SELECT payload FROM webhook_deliveries WHERE inbound_email_id = $1',
      [row.id],
    );
    expect(rows[0].payload.data.text).toContain('beforeafter');
    await api('DELETE', `/v1/routes/${route.body.id}`);
  });
});

test('the OpenAPI document has the routes, the attachment and replies paths, and the inbound.received webhook', async () => {
  const doc = (await (await fetch(`${app.baseUrl}/v1/openapi.json`)).json()) as Loose;
  for (const path of [
    '/v1/routes',
    '/v1/routes/{id}',
    '/v1/routes/test',
    '/v1/routes/default',
    '/v1/inbound/{id}/attachments/{n}',
    '/v1/inbound/{id}/payload',
    '/v1/messages/{id}/replies',
  ]) {
    expect(Object.keys(doc.paths)).toContain(path);
  }
  const hook = doc.webhooks['inbound.received'].post;
  expect(hook.parameters.map((p: Loose) => p.name)).toEqual([
    'webhook-id',
    'webhook-timestamp',
    'webhook-signature',
  ]);
  expect(
    hook.requestBody.content['application/json'].schema.properties.data.properties,
  ).toHaveProperty('thread');
});
