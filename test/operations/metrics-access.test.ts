/**
 * Who may read /metrics, and where: the Bearer token when METRICS_TOKEN is set, nothing on the
 * main port in production without one, METRICS_PORT as a listener of its own. And the series
 * count stays put after 1,000 sends to 1,000 different addresses.
 */
import { jest } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/app.js';
import { startOutboundApp } from '../outbound/support/outbound-app.js';
import { parseMetrics, scrape, seriesCount, value } from '../support/prometheus.js';

jest.setTimeout(120_000);

const TOKEN = 'metrics-token-0123456789';

describe('with METRICS_TOKEN', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  test('no token, or a wrong one: 401 with a Bearer challenge', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789' }]) {
      const res = await fetch(`${app.baseUrl}/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'invalid_metrics_token',
      );
    }
  });

  test('the token: 200 and metrics a Prometheus parser reads', async () => {
    const fs = await scrape(`${app.baseUrl}/metrics`, TOKEN);
    expect(value(fs, 'postroom_database_up')).toBe(1);
  });
});

test('production without METRICS_TOKEN: no /metrics on the main port', async () => {
  const app = await startTestApp({ env: { NODE_ENV: 'production' } });
  try {
    expect((await fetch(`${app.baseUrl}/metrics`)).status).toBe(404);
    expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
  } finally {
    await app.stop();
  }
});

test('METRICS_PORT: metrics on their own listener, not on the main port', async () => {
  const app = await startTestApp({
    env: { NODE_ENV: 'production', METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' },
  });
  try {
    const port = app.container.operations.metricsPort();
    expect(port).toBeGreaterThan(0);
    expect(port).not.toBe(app.port);
    expect((await fetch(`${app.baseUrl}/metrics`)).status).toBe(404);
    const fs = await scrape(`http://127.0.0.1:${port}/metrics`);
    expect(value(fs, 'postroom_processes', { role: 'web' })).toBe(1);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
  } finally {
    await app.stop();
  }
  // The listener closed with the process.
  await expect(
    fetch(`http://127.0.0.1:${app.container.operations.metricsPort() ?? 1}/metrics`),
  ).rejects.toThrow();
});

test('the series count does not grow with 1,000 sends to distinct addresses', async () => {
  // No minutely tick: a series that appears with the clock would blur what the sends add.
  const o = await startOutboundApp({ noSmtp: true, env: { CHECKINS_TICK_ENABLED: 'false' } });
  try {
    const batch = (from: number, n: number) =>
      o.api('POST', '/v1/messages/batch', {
        messages: Array.from({ length: n }, (_, i) => ({
          from: 'noreply@example.com',
          to: [`user${from + i}@example${(from + i) % 97}.org`],
          subject: `Report ${from + i}`,
          text: 'hi',
        })),
      });
    const sentCount = async () =>
      Number(
        (await o.app.db.pool.query(`SELECT count(*) FROM outbound_messages WHERE status = 'sent'`))
          .rows[0].count,
      );
    const waitSent = async (n: number) => {
      const end = Date.now() + 90_000;
      while ((await sentCount()) < n) {
        if (Date.now() > end) throw new Error(`only ${await sentCount()} of ${n} sent`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    expect((await batch(0, 10)).status).toBe(202);
    await waitSent(10);
    const text = async () => (await fetch(`${o.app.baseUrl}/metrics`)).text();
    // Warm up: the sweeper has run once, and /metrics has timed itself once.
    while (
      value(parseMetrics(await text()), 'postroom_jobs_total', { queue: 'outbound.sweep' }) < 1
    )
      await new Promise((r) => setTimeout(r, 200));
    const warm = parseMetrics(await text());
    expect((await batch(10, 1000)).status).toBe(202);
    await waitSent(1010);
    const body = await text();
    const after = parseMetrics(body);
    expect(value(after, 'postroom_outbound_transitions_total', { to: 'sent' })).toBe(1010);
    expect(seriesCount(after, 'postroom_')).toBe(seriesCount(warm, 'postroom_'));
    expect(seriesCount(after, 'postroom_')).toBeLessThan(400);
    expect(body).not.toMatch(/user\d+@|example\d+\.org/);
  } finally {
    await o.stop();
  }
});
