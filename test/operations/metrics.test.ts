/**
 * GET /metrics against the whole app (real PostgreSQL, pg-boss workers, an SMTP sink), parsed by
 * a real Prometheus text parser: the counters move after a send, an inbound message and a failed
 * job; the gauges come from the database; labels never carry an address or an id.
 */
import { jest } from '@jest/globals';
import type { InboundFeature } from '../../src/main/features/inbound.js';
import { simpleMailbox } from '../../src/services/inbound/mailboxes.js';
import { relayRequest } from '../../scripts/providers/sign.js';
import { startOutboundApp, type OutboundTestApp } from '../outbound/support/outbound-app.js';
import { labelSets, observations, scrape, value, type PromFamily } from '../support/prometheus.js';

jest.setTimeout(60_000);

const RELAY = 'relay-token-metrics-test';
let o: OutboundTestApp;
const metrics = () => scrape(`${o.app.baseUrl}/metrics`);

async function until(check: (fs: PromFamily[]) => boolean, ms = 20_000): Promise<PromFamily[]> {
  const end = Date.now() + ms;
  for (;;) {
    const fs = await metrics();
    if (check(fs)) return fs;
    if (Date.now() > end) throw new Error('the metrics never showed what was expected');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function relay(raw: string, token = RELAY) {
  const req = relayRequest(Buffer.from(raw), { token, to: ['reply@in.postroom.test'] });
  return fetch(`${o.app.baseUrl}${req.path}`, {
    method: 'POST',
    headers: req.headers,
    body: req.body,
  });
}

beforeAll(async () => {
  o = await startOutboundApp({
    env: { RELAY_TOKENS: RELAY, INBOUND_DOMAIN: 'in.postroom.test', INBOUND_PROCESS_RETRIES: '0' },
  });
});
afterAll(async () => {
  await o?.stop();
});

test('/metrics is the Prometheus text format, with the gauges read from PostgreSQL', async () => {
  const res = await fetch(`${o.app.baseUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const fs = await metrics();
  expect(value(fs, 'postroom_database_up')).toBe(1);
  // This process is web and worker, and its heartbeat row says so.
  expect(value(fs, 'postroom_processes', { role: 'worker' })).toBe(1);
  expect(value(fs, 'postroom_processes', { role: 'web' })).toBe(1);
  const queues = labelSets(fs, 'postroom_queue_jobs').map((l) => l.queue);
  expect(queues).toEqual(expect.arrayContaining(['outbound.send', 'inbound.process']));
  expect(fs.find((f) => f.name === 'process_cpu_user_seconds_total')).toBeDefined();
});

test('a send moves the transition, SMTP, latency and HTTP metrics', async () => {
  const before = await metrics();
  const sentBefore = value(before, 'postroom_outbound_transitions_total', { to: 'sent' });
  const res = await o.api('POST', '/v1/messages', {
    from: 'Sender <noreply@example.com>',
    to: ['metrics-send@example.org'],
    subject: 'metrics',
    text: 'hello',
  });
  expect(res.status).toBe(202);
  await o.waitForStatus(res.body.id, ['sent']);
  const fs = await until(
    (x) => value(x, 'postroom_outbound_transitions_total', { to: 'sent' }) > sentBefore,
  );
  expect(value(fs, 'postroom_outbound_transitions_total', { from: 'new', to: 'queued' })).toBe(
    value(before, 'postroom_outbound_transitions_total', { from: 'new', to: 'queued' }) + 1,
  );
  expect(
    value(fs, 'postroom_outbound_transitions_total', { from: 'queued', to: 'sending' }),
  ).toBeGreaterThan(0);
  // One recipient, accepted by the server.
  expect(value(fs, 'postroom_outbound_recipient_outcomes_total', { outcome: 'accepted' })).toBe(
    value(before, 'postroom_outbound_recipient_outcomes_total', { outcome: 'accepted' }) + 1,
  );
  expect(value(fs, 'postroom_smtp_replies_total', { transport: 'smtp', class: '2xx' })).toBe(
    value(before, 'postroom_smtp_replies_total', { transport: 'smtp', class: '2xx' }) + 1,
  );
  expect(observations(fs, 'postroom_outbound_accept_to_sent_seconds')).toBeGreaterThan(
    observations(before, 'postroom_outbound_accept_to_sent_seconds'),
  );
  expect(observations(fs, 'postroom_outbound_send_duration_seconds')).toBeGreaterThan(0);
  expect(
    observations(fs, 'postroom_http_request_duration_seconds', {
      method: 'POST',
      route: '/v1/messages',
      status_class: '2xx',
    }),
  ).toBe(1);
  expect(
    observations(fs, 'postroom_job_batch_duration_seconds', { queue: 'outbound.send' }),
  ).toBeGreaterThan(0);
  expect(value(fs, 'postroom_jobs_total', { queue: 'outbound.send', outcome: 'completed' })).toBe(
    value(before, 'postroom_jobs_total', { queue: 'outbound.send', outcome: 'completed' }) + 1,
  );
});

test('an inbound message is counted when received, rejected and processed', async () => {
  const raw =
    'From: Ana <ana@example.org>\r\nTo: reply@in.postroom.test\r\nSubject: hi\r\n' +
    'Message-ID: <metrics-in-1@example.org>\r\n\r\nShipped it.\r\n\r\n-- \r\nAna\r\n';
  expect((await relay(raw)).status).toBe(200);
  expect((await relay(raw)).status).toBe(200);
  expect((await relay(raw, 'wrong-token')).status).toBe(401);
  const fs = await until(
    (x) => value(x, 'postroom_inbound_processed_total', { provider: 'relay' }) >= 1,
  );
  const req = (outcome: string) =>
    value(fs, 'postroom_inbound_requests_total', { provider: 'relay', outcome });
  expect([req('accepted'), req('duplicate'), req('rejected')]).toEqual([1, 1, 1]);
  // No token and no thread: kept as ignored/unroutable, the reply still extracted.
  expect(
    value(fs, 'postroom_inbound_processed_total', {
      provider: 'relay',
      outcome: 'ignored',
      reason: 'unroutable',
    }),
  ).toBe(1);
  expect(value(fs, 'postroom_reply_extractions_total', { signature_cut: 'true' })).toBe(1);
  expect(
    observations(fs, 'postroom_http_request_duration_seconds', {
      route: '/inbound/relay',
      status_class: '4xx',
    }),
  ).toBe(1);
});

test('a failed job is counted as failed for its queue', async () => {
  const inbound = o.app.container.features.find((f) => f.name === 'inbound') as InboundFeature;
  inbound.services.registerMailbox(
    simpleMailbox('test.broken', async () => {
      throw new Error('mailbox broke');
    }),
    { tokenKinds: ['message'] },
  );
  // A reply to one of our messages, by its thread, reaches the broken `message` mailbox.
  const sent = await o.api('POST', '/v1/messages', {
    from: 'noreply@example.com',
    to: ['bo@example.org'],
    subject: 'thread',
    text: 'x',
  });
  const msg = await o.waitForStatus(sent.body.id, ['sent']);
  const before = await metrics();
  const raw =
    `From: bo@example.org\r\nTo: reply@in.postroom.test\r\nSubject: Re: thread\r\n` +
    `Message-ID: <metrics-fail-1@example.org>\r\nIn-Reply-To: ${msg.message_id}\r\n\r\nok\r\n`;
  expect((await relay(raw)).status).toBe(200);
  const failed = (x: PromFamily[]) =>
    value(x, 'postroom_jobs_total', { queue: 'inbound.process', outcome: 'failed' });
  const fs = await until((x) => failed(x) > failed(before));
  expect(failed(fs)).toBe(failed(before) + 1);
  expect(
    value(fs, 'postroom_inbound_processed_total', { provider: 'relay', outcome: 'failed' }),
  ).toBe(1);
});

test('labels carry no address and no id', async () => {
  const text = await (await fetch(`${o.app.baseUrl}/metrics`)).text();
  expect(text).not.toMatch(/@example\.org/);
  expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
});
