/**
 * Outgoing webhooks: signed per Standard Webhooks (verified here by an independent
 * implementation), retried after a 500 with every attempt recorded, refused for private targets.
 */
import { startOutboundApp, type OutboundTestApp } from './support/outbound-app.js';
import { receiver, until, verifyStandardWebhook } from './support/webhook-receiver.js';

describe('webhooks out (private targets allowed for the local receiver)', () => {
  let t: OutboundTestApp;
  beforeAll(async () => {
    t = await startOutboundApp({
      env: {
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_RETRY_SCHEDULE: '1,1,1',
        WEBHOOK_DISABLE_AFTER: '3',
      },
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  test('deliveries are signed, verify independently, and are retried after a 500', async () => {
    const r = await receiver([500]);
    try {
      const created = await t.api('POST', '/v1/webhooks', {
        url: r.url,
        events: ['message.sent', 'message.failed'],
      });
      expect(created.status).toBe(201);
      const secret: string = created.body.secret;
      expect(secret).toMatch(/^whsec_/);
      const msg = await t.api('POST', '/v1/messages', {
        to: ['hook@example.org'],
        subject: 'h',
        text: 'x',
        tags: ['w'],
      });
      await until(() => r.hits.length >= 2);
      const [first, second] = r.hits;
      expect(first!.status).toBe(500);
      expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
      for (const hit of [first!, second!]) {
        expect(
          verifyStandardWebhook(secret, hit.headers, hit.body, Math.floor(Date.now() / 1000)),
        ).toBe(true);
        expect(
          verifyStandardWebhook(
            secret,
            hit.headers,
            hit.body.replace('sent', 'tent'),
            Math.floor(Date.now() / 1000),
          ),
        ).toBe(false);
      }
      const payload = JSON.parse(second!.body);
      expect(payload).toMatchObject({
        type: 'message.sent',
        data: { message_id: msg.body.id, status: 'sent', previous_status: 'sending', tags: ['w'] },
      });

      await until(
        async () =>
          (await t.api('GET', `/v1/webhooks/${created.body.id}/deliveries`)).body.data[0]
            ?.status === 'delivered',
      );
      const deliveries = (await t.api('GET', `/v1/webhooks/${created.body.id}/deliveries`)).body
        .data;
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0].attempt_log.map((a: { statusCode: number }) => a.statusCode)).toEqual([
        500, 200,
      ]);

      // Manual redelivery of a recent delivery.
      expect(
        (
          await t.api(
            'POST',
            `/v1/webhooks/${created.body.id}/deliveries/${deliveries[0].id}/retry`,
          )
        ).status,
      ).toBe(202);
      await until(() => r.hits.length >= 3);
      expect(r.hits[2]!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
      await t.api('DELETE', `/v1/webhooks/${created.body.id}`);
    } finally {
      await r.close();
    }
  });

  test('an endpoint failing N times in a row is switched off and says so', async () => {
    const r = await receiver([500, 500, 500, 500, 500, 500]);
    try {
      const created = await t.api('POST', '/v1/webhooks', { url: r.url, events: ['message.sent'] });
      await t.api('POST', '/v1/messages', { to: ['off@example.org'], subject: 'o', text: 'x' });
      await until(
        async () =>
          (await t.api('GET', '/v1/webhooks')).body.data.find(
            (w: { id: string }) => w.id === created.body.id,
          )?.enabled === false,
      );
      const w = (await t.api('GET', '/v1/webhooks')).body.data.find(
        (x: { id: string }) => x.id === created.body.id,
      );
      expect(w.disabled_reason).toMatch(/3 consecutive failed deliveries/);
      expect(r.hits).toHaveLength(3);
      expect((await t.api('POST', `/v1/webhooks/${created.body.id}/enable`)).status).toBe(204);
    } finally {
      await r.close();
    }
  });
});

describe('webhook SSRF guard (default config)', () => {
  test('private, loopback and link-local targets are refused at registration and at delivery', async () => {
    const t = await startOutboundApp({ noSmtp: true });
    try {
      for (const url of [
        'http://127.0.0.1:9/x',
        'http://169.254.169.254/latest/meta-data',
        'http://10.0.0.5/hook',
        'http://[::1]/x',
        'http://localhost/x',
        'ftp://example.com/x',
      ]) {
        const res = await t.api('POST', '/v1/webhooks', { url, events: ['message.sent'] });
        expect([res.status, url]).toEqual([422, url]);
      }
      // An endpoint stored before the rules tightened (or whose DNS changed) is refused when delivering.
      const hook = await t.services.webhooks.create({
        url: 'https://hooks.example.com/x',
        events: ['message.sent'],
      });
      await t.app.container.pool.query(
        `UPDATE webhook_endpoints SET url = 'http://127.0.0.1:9/x' WHERE id = $1`,
        [hook.id],
      );
      const m = await t.api('POST', '/v1/messages', {
        to: ['s@example.org'],
        subject: 's',
        text: 'x',
      });
      await t.waitForStatus(m.body.id, ['sent']);
      await until(
        async () => (await t.services.webhooks.deliveries(hook.id, 10))[0]?.status === 'failed',
      );
      const d = (await t.services.webhooks.deliveries(hook.id, 10))[0]!;
      expect(d.lastError).toMatch(/refused: 127\.0\.0\.1 is a private address/);
      expect(d.attempts).toBe(1);
    } finally {
      await t.stop();
    }
  });
});
