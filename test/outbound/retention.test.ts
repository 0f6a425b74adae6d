/**
 * Outbound retention (issue 14): every growing outbound table is pruned by the daily schedule,
 * by age and only once nothing will read it again. The MIME and the timeline of settled messages
 * go; mail still waiting to be sent keeps everything; the message rows and their recipients'
 * deliveries stay; finished webhook deliveries (with attempts), expired idempotency keys and old
 * provider reports go.
 */
import type { InboundFeature } from '../../src/main/features/inbound.js';
import { startOutboundApp, type OutboundTestApp } from './support/outbound-app.js';
import { receiver, until } from './support/webhook-receiver.js';

describe('outbound retention', () => {
  let t: OutboundTestApp;
  let hook: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    hook = await receiver([]);
    t = await startOutboundApp({
      env: {
        WEBHOOK_ALLOW_PRIVATE: 'true',
        OUTBOUND_RETENTION_RAW_DAYS: '30',
        OUTBOUND_RETENTION_EVENTS_DAYS: '90',
        WEBHOOK_RETENTION_DAYS: '30',
        INBOUND_RETENTION_PROVIDER_EVENTS_DAYS: '60',
      },
    });
  });
  afterAll(async () => {
    await t.stop();
    await hook.close();
  });

  const sql = (text: string, values: unknown[] = []) => t.app.container.pool.query(text, values);
  const count = async (table: string) =>
    (await sql(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

  test('the daily schedule runs it', async () => {
    const { rows } = await sql(
      `SELECT name, cron FROM pgboss.schedule WHERE name IN ('outbound.retention', 'inbound.retention') ORDER BY name`,
    );
    expect(rows).toEqual([
      { name: 'inbound.retention', cron: '17 3 * * *' },
      { name: 'outbound.retention', cron: '17 3 * * *' },
    ]);
  });

  test('prunes by age what nothing will read again, and nothing else', async () => {
    await t.api('POST', '/v1/webhooks', { url: hook.url, events: ['message.sent'] });
    const old = await t.api(
      'POST',
      '/v1/messages',
      { to: ['old@example.org'], subject: 'old', text: 'x' },
      { 'idempotency-key': 'retention-1' },
    );
    const recent = await t.api('POST', '/v1/messages', {
      to: ['recent@example.org'],
      subject: 'recent',
      text: 'x',
    });
    const waiting = await t.api('POST', '/v1/messages', {
      to: ['waiting@example.org'],
      subject: 'later',
      text: 'x',
      send_at: new Date(Date.now() + 7 * 86400_000).toISOString(),
    });
    await t.waitForStatus(old.body.id, ['sent']);
    await t.waitForStatus(recent.body.id, ['sent']);
    await until(() => hook.hits.length === 2);
    await until(
      async () =>
        (await sql(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'delivered'`))
          .rows[0].n === 2,
    );
    // Age everything of `old` and `waiting` by 100 days; `recent` stays fresh.
    const aged = [old.body.id, waiting.body.id];
    await sql(
      `UPDATE outbound_message_raw SET created_at = created_at - interval '100 days' WHERE message_id = ANY($1)`,
      [aged],
    );
    await sql(
      `UPDATE message_events SET at = at - interval '100 days' WHERE message_id = ANY($1)`,
      [aged],
    );
    await sql(
      `UPDATE webhook_deliveries SET created_at = created_at - interval '100 days' WHERE message_id = $1`,
      [old.body.id],
    );
    await sql(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second'`);
    const before = {
      attempts: await count('webhook_attempts'),
      keys: await count('idempotency_keys'),
    };
    expect(before.keys).toBe(1);

    const r = await t.services.retention.run(2);
    expect(r).toEqual({ raw: 1, events: 3, webhookDeliveries: 1, idempotencyKeys: 1 });
    expect(await count('webhook_attempts')).toBe(before.attempts - 1);

    // The old message is still there, with its status and recipients; its MIME and timeline went.
    const gone = await t.api('GET', `/v1/messages/${old.body.id}`);
    expect(gone.body).toMatchObject({ status: 'sent', events: [] });
    expect(gone.body.deliveries).toMatchObject([
      { address: 'old@example.org', status: 'accepted' },
    ]);
    expect((await t.api('GET', `/v1/messages/${old.body.id}/raw`)).body.error.code).toBe(
      'raw_not_available',
    );
    // Fresh and waiting mail keep everything.
    expect((await t.api('GET', `/v1/messages/${recent.body.id}/raw`)).status).toBe(200);
    expect((await t.api('GET', `/v1/messages/${recent.body.id}`)).body.events).toHaveLength(3);
    expect((await t.api('GET', `/v1/messages/${waiting.body.id}`)).body.events).toHaveLength(1);
    expect(await t.services.retention.run()).toEqual({
      raw: 0,
      events: 0,
      webhookDeliveries: 0,
      idempotencyKeys: 0,
    });
  });

  test('provider reports go after INBOUND_RETENTION_PROVIDER_EVENTS_DAYS', async () => {
    for (const [id, days] of [
      ['01900000-0000-7000-8000-000000000001', 61],
      ['01900000-0000-7000-8000-000000000002', 59],
    ] as const) {
      await sql(
        `INSERT INTO provider_events (id, provider, event_id, type, occurred_at, received_at)
         VALUES ($1::uuid, 'sendgrid', $2::text, 'delivered', now(), now() - make_interval(days => $3::int))`,
        [id, id, days],
      );
    }
    const inbound = t.app.container.features.find((f) => f.name === 'inbound') as InboundFeature;
    expect(await inbound.services.retention.run()).toMatchObject({ providerEvents: 1 });
    expect((await sql(`SELECT id FROM provider_events`)).rows).toEqual([
      { id: '01900000-0000-7000-8000-000000000002' },
    ]);
  });
});
