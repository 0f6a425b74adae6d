/**
 * Every route must refuse an anonymous request, except the public ones. The list comes from
 * express's own route table of the whole app (every feature wired, as `postroom start` does),
 * so a new page cannot forget its guard.
 */
import type { DashboardFeature } from '../../src/main/features/dashboard.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { concretePath, walkRoutes } from './route-walk.js';

/**
 * Public by design: sign-in, the stylesheet and script, health, the member pages (their signed
 * token is the credential), the check-in preferences/unsubscribe pages (signed links) and, outside
 * production, /metrics.
 * Provider webhooks and the /v1 API are not dashboard routes; they authenticate by signature
 * or API key and must still refuse this anonymous, unsigned request (any 4xx).
 */
const PUBLIC: RegExp[] = [
  /^get \/login$/,
  /^post \/login$/,
  /^get \/login\/verify$/,
  /^post \/login\/verify$/,
  /^get \/assets\/dashboard\.(css|js)$/,
  /^get \/(healthz|readyz)$/,
  /^(get|post) \/m\/:token(\/.*)?$/,
  /^(get|post) \/preferences(\/.*)?$/,
  /^(get|post) \/unsubscribe(\/.*)?$/,
  /^(get|post) \/u\/:token$/,
  /^get \/(v1\/)?(openapi\.json|docs)(\/.*)?$/,
  // Prometheus metrics: open outside production; in production only with METRICS_TOKEN
  // (test/operations/metrics-access.test.ts) or on METRICS_PORT.
  /^get \/metrics$/,
];

describe('route authorisation', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      roles: { web: true, worker: false },
      env: {
        RELAY_TOKENS: 'relay-secret',
        MAILGUN_SIGNING_KEYS: 'mailgun-key',
        MAILGUN_WEBHOOK_SIGNING_KEYS: 'mailgun-hook-key',
      },
    });
  });
  afterAll(() => app?.stop());

  const dashboard = () =>
    app.container.features.find((f) => f.name === 'dashboard') as DashboardFeature;

  test('the walked route table contains every declared dashboard route', () => {
    const walked = walkRoutes(app.container.app).map((r) => `${r.method} ${r.path}`);
    const declared = dashboard().router.routes;
    for (const d of declared) expect(walked).toContain(`${d.method} ${d.path}`);
    // Every page is wired in the real app, not just the overview.
    for (const p of [
      '/messages/:id',
      '/compose',
      '/inbound/:id',
      '/teams/:id/search',
      '/api-keys',
      '/webhooks/:id',
      '/templates/:name',
      '/suppressions',
    ]) {
      expect(declared.map((d) => d.path)).toContain(p);
    }
  });

  test('a declared dashboard route is either admin-only or on the public list', () => {
    for (const d of dashboard().router.routes) {
      if (d.access !== 'admin')
        expect(PUBLIC.some((p) => p.test(`${d.method} ${d.path}`))).toBe(true);
    }
  });

  test('every non-public route of the app rejects an anonymous request', async () => {
    const failures: string[] = [];
    const checked: string[] = [];
    const ours = new Set(dashboard().router.routes.map((d) => `${d.method} ${d.path}`));
    for (const r of walkRoutes(app.container.app)) {
      const key = `${r.method} ${r.path}`;
      if (PUBLIC.some((p) => p.test(key))) continue;
      for (const accept of ['text/html', 'application/json']) {
        const res = await fetch(`${app.baseUrl}${concretePath(r.path)}`, {
          method: r.method.toUpperCase(),
          headers: { accept, 'content-type': 'application/x-www-form-urlencoded' },
          body: r.method === 'get' || r.method === 'head' ? undefined : '_csrf=x',
          redirect: 'manual',
        });
        const location = res.headers.get('location') ?? '';
        await res.arrayBuffer();
        const authRefusal =
          res.status === 401 ||
          res.status === 403 ||
          (res.status === 303 && location.startsWith('/login'));
        // Provider webhooks answer their provider's contract (Mailgun: 406 for a bad signature,
        // 404 endpoint_disabled when unconfigured): any 4xx refuses; the rows check below
        // proves nothing was accepted.
        const refused = ours.has(key)
          ? authRefusal
          : authRefusal || (res.status >= 400 && res.status < 500);
        if (!refused) failures.push(`${key} (${accept}) answered ${res.status}`);
      }
      checked.push(key);
    }
    expect(failures).toEqual([]);
    const stored = await app.db.pool.query(
      `SELECT (SELECT count(*) FROM inbound_emails)::int AS inbound, (SELECT count(*) FROM outbound_messages)::int AS outbound`,
    );
    expect(stored.rows[0]).toEqual({ inbound: 0, outbound: 0 });
    expect(checked).toEqual(
      expect.arrayContaining(['get /', 'get /messages', 'post /compose', 'post /api-keys']),
    );
  });
});
