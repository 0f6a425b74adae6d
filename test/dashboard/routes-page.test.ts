/**
 * The inbound routes page against the whole app: add a route (and be told why a bad one was
 * refused), see it in order with the default, dry-run an address, disable and delete it.
 */
import type { TestApp } from '../support/app.js';
import { Browser, startSignedInApp } from './support.js';

describe('routes page', () => {
  let app: TestApp;
  let b: Browser;

  beforeAll(async () => {
    ({ app, b } = await startSignedInApp({ INBOUND_DOMAIN: 'in.page.test' }));
  });
  afterAll(() => app?.stop());

  const get = (path: string) => b.page(path);
  const post = async (path: string, form: Record<string, string>) => {
    const html = await get('/routes');
    const res = await b.request(path, {
      method: 'POST',
      form: { _csrf: Browser.csrf(html), ...form },
    });
    expect(res.status).toBe(303);
    return get('/routes');
  };

  test('add, refuse with the reason, dry run, disable, delete', async () => {
    expect(await get('/routes')).toContain('No routes yet');
    const added = await post('/routes', {
      name: 'billing',
      priority: '10',
      recipient: 'billing@in.page.test',
      action: 'forward',
      target: 'accounts@example.net',
    });
    expect(added).toContain('Route added.');
    expect(added).toMatch(/<td>billing<\/td>.*accounts@example\.net/s);
    expect(added).toContain('(built-in)');

    const refused = await post('/routes', { recipient: '/(a+)+$/', action: 'store' });
    expect(refused).toContain('unsafe_regex');

    const tested = await get('/routes?to=billing%40in.page.test');
    expect(tested).toMatch(/id="route-test">[^<]*&quot;decision&quot;: &quot;route&quot;/);

    const id = added.match(/action="\/routes\/([0-9a-f-]{36})\/toggle"/)![1]!;
    expect(await post(`/routes/${id}/toggle`, { enabled: '0' })).toMatch(/badge muted">off/);
    expect(await post('/routes/default', { action: 'store' })).toContain(
      '{&quot;type&quot;:&quot;store&quot;}',
    );
    const gone = await post(`/routes/${id}/delete`, {});
    expect(gone).toContain('No routes yet');
    expect((await app.db.pool.query('SELECT name FROM inbound_routes')).rows).toEqual([
      { name: 'default' },
    ]);
  });
});
