/**
 * The pages that drive the outbound engine, against the whole app with the real services:
 * API keys (secret shown once, revoke), suppressions, webhooks, templates (versions, preview),
 * compose from a template, and retry.
 */
import type { DashboardFeature } from '../../src/main/features/dashboard.js';
import type { OutboundFeature } from '../../src/main/features/outbound.js';
import type { TestApp } from '../support/app.js';
import { Browser, startSignedInApp } from './support.js';

describe('outbound admin pages', () => {
  let app: TestApp;
  let b: Browser;
  const outbound = () =>
    (app.container.features.find((f) => f.name === 'outbound') as OutboundFeature).services.all;

  beforeAll(async () => {
    ({ app, b } = await startSignedInApp({ WEBHOOK_ALLOW_PRIVATE: 'true' }));
  });
  afterAll(() => app?.stop());

  const get = (path: string) => b.page(path);
  const post = async (path: string, form: Record<string, string>, from = path) => {
    const html = await get(from);
    return b.request(path, { method: 'POST', form: { _csrf: Browser.csrf(html), ...form } });
  };

  test('an API key secret is shown once, stored hashed, and can be revoked', async () => {
    const res = await post('/api-keys', { name: 'ci', scopes: 'send', daily_quota: '100' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    const key = html.match(/id="new-key">([^<]+)</)![1]!;
    expect((await outbound().apiKeys.authenticate(key)).name).toBe('ci');
    const again = await get('/api-keys');
    expect(again).not.toContain(key);
    expect(again).toContain('>ci<');
    const stored = await app.db.pool.query(`SELECT key_hash FROM api_keys WHERE name = 'ci'`);
    expect(JSON.stringify(stored.rows)).not.toContain(key);
    const id = again.match(/action="\/api-keys\/([0-9a-f-]{36})\/revoke"/)![1]!;
    expect((await post(`/api-keys/${id}/revoke`, {}, '/api-keys')).status).toBe(303);
    await expect(outbound().apiKeys.authenticate(key)).rejects.toMatchObject({ status: 401 });
    expect(await get('/api-keys')).toContain('revoked');
  });

  test('suppressions: add, list, remove', async () => {
    expect(
      (
        await post('/suppressions', {
          address: 'Bounce@Example.com',
          scope: 'all',
          reason: 'manual',
        })
      ).status,
    ).toBe(303);
    expect(await outbound().suppressions.isSuppressed('bounce@example.com', 'transactional')).toBe(
      true,
    );
    expect((await get('/suppressions')).toLowerCase()).toContain('bounce@example.com');
    expect(
      (
        await post(
          '/suppressions/remove',
          { address: 'bounce@example.com', scope: 'all' },
          '/suppressions',
        )
      ).status,
    ).toBe(303);
    expect(await outbound().suppressions.isSuppressed('bounce@example.com', 'transactional')).toBe(
      false,
    );
  });

  test('webhooks: subscribe, see the signing secret and deliveries, delete', async () => {
    const res = await post('/webhooks', { url: 'http://127.0.0.1:9/hook', events: 'message.sent' });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    const html = await get(location);
    expect(html).toContain('whsec_');
    expect(html).toContain('No deliveries yet.');
    expect(await get('/webhooks')).toContain('http://127.0.0.1:9/hook');
    expect((await post(`${location}/delete`, {}, location)).status).toBe(303);
    expect(await get('/webhooks')).not.toContain('http://127.0.0.1:9/hook');
  });

  test('templates: versions, preview with data in the sandbox, compose from a template', async () => {
    const create = await post(
      '/templates',
      { name: 'welcome', subject: 'Hi {{name}}', html: '<p>Hello {{name}}</p>', text: '' },
      '/templates',
    );
    expect(create.status).toBe(303);
    await post(
      '/templates',
      { name: 'welcome', subject: 'Hi {{name}}!', html: '<p>Hello again {{name}}</p>', text: '' },
      '/templates/welcome',
    );
    const page = await get('/templates/welcome');
    expect(page).toContain('v2');
    expect(page).toContain('href="/templates/welcome?version=1"');
    const v1 = await get('/templates/welcome?version=1');
    expect(v1).toContain('&lt;p&gt;Hello {{name}}&lt;/p&gt;');

    const preview = await b.request('/templates/welcome/preview', {
      method: 'POST',
      form: { _csrf: Browser.csrf(page), data: '{"name":"<Ana>"}', version: '2' },
    });
    expect(preview.headers.get('content-security-policy')).toContain('sandbox');
    expect(await preview.text()).toContain('Hello again &lt;Ana&gt;');

    const compose = await get('/compose');
    expect(compose).toContain('<option>welcome</option>');
    const sent = await b.request('/compose', {
      method: 'POST',
      body: (() => {
        const f = new FormData();
        for (const [k, v] of Object.entries({
          _csrf: Browser.csrf(compose),
          to: 'ana@example.com',
          mode: 'template',
          template: 'welcome',
          data: '{"name":"Ana"}',
          when: 'now',
        }))
          f.set(k, v);
        f.set('attachments', new Blob(['report'], { type: 'text/plain' }), 'report.txt');
        return f;
      })(),
    });
    expect(sent.status).toBe(303);
    const detail = await get(sent.headers.get('location')!);
    expect(detail).toContain('Hi Ana!');
    expect(detail).toContain('welcome v2');
    expect(detail).toContain('report.txt');
  });

  test('compose problems are shown next to the form, not lost', async () => {
    const compose = await get('/compose');
    const f = new FormData();
    for (const [k, v] of Object.entries({
      _csrf: Browser.csrf(compose),
      to: 'not-an-address',
      subject: '',
      html: '<p>x</p>',
    }))
      f.set(k, v);
    const res = await b.request('/compose', { method: 'POST', body: f });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('&quot;not-an-address&quot; is not an email address.');
    expect(html).toContain('&lt;p&gt;x&lt;/p&gt;</textarea>');
  });

  test("a message's page lists each recipient's delivery with its own status and reply", async () => {
    const { id } = await outbound().sendMessage({
      to: ['got@example.com'],
      cc: ['later@example.com'],
      subject: 'two',
      text: 't',
    });
    await app.db.pool.query(
      `UPDATE recipient_deliveries SET status = 'deferred', attempts = 1, smtp_code = 451,
              smtp_response = '451 4.2.1 Mailbox busy' WHERE message_id = $1 AND address = $2`,
      [id, 'later@example.com'],
    );
    const html = await get(`/messages/${id}`);
    const table = html.slice(html.indexOf('id="recipients"'), html.indexOf('</table>'));
    const rows = [
      ...table.matchAll(/<tr><td class="mono">([^<]+)<\/td><td><span class="badge[^"]*">(\w+)</g),
    ];
    expect(rows.map((r) => [r[1], r[2]])).toEqual([
      ['got@example.com', 'pending'],
      ['later@example.com', 'deferred'],
    ]);
    expect(table).toContain('451 4.2.1 Mailbox busy');
  });

  test('retry puts a failed message back in line', async () => {
    const { id } = await outbound().sendMessage({ to: ['x@example.com'], subject: 's', text: 't' });
    await app.db.pool.query(
      `UPDATE outbound_messages SET status = 'failed', last_error = 'boom' WHERE id = $1`,
      [id],
    );
    const html = await get(`/messages/${id}`);
    expect(html).toContain('id="retry-message"');
    const res = await b.request(`/messages/${id}/retry`, {
      method: 'POST',
      form: { _csrf: Browser.csrf(html) },
    });
    expect(res.status).toBe(303);
    const row = await app.db.pool.query(`SELECT status FROM outbound_messages WHERE id = $1`, [id]);
    expect(row.rows[0]).toEqual({ status: 'queued' });
    const dashboard = app.container.features.find(
      (f) => f.name === 'dashboard',
    ) as DashboardFeature;
    expect(dashboard.router.routes.some((r) => r.path === '/messages/:id/retry')).toBe(true);
  });
});
