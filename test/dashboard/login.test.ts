import { Browser, startDashboardTestApp, type DashboardTestApp } from './support.js';

describe('dashboard sign-in by magic link', () => {
  let app: DashboardTestApp;
  beforeAll(async () => {
    app = await startDashboardTestApp({ loginRateLimit: 6 });
    await app.auth.createAdmin('ops@example.com');
  });
  afterAll(() => app.close());

  test('an anonymous page view redirects to the login form, keeping where it was going', async () => {
    const res = await new Browser(app.baseUrl).request('/?x=1');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2F%3Fx%3D1');
  });

  test('the mailed link signs in once; the session cookie is httpOnly and SameSite=Lax', async () => {
    const b = new Browser(app.baseUrl);
    const page = await (await b.request('/login')).text();
    const sent = await b.request('/login', {
      method: 'POST',
      form: { _csrf: Browser.csrf(page), email: 'OPS@example.com' },
    });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('a sign-in link is on its way');
    expect(app.mail.at(-1)!.to).toBe('ops@example.com');
    const link = new URL(app.lastLink());
    expect(link.pathname).toBe('/login/verify');

    // Opening the link does not spend it (mail scanners prefetch links).
    const confirm = await b.request(link.pathname + link.search);
    expect(confirm.status).toBe(200);
    const confirmHtml = await confirm.text();
    const token = link.searchParams.get('token')!;
    const done = await b.request('/login/verify', {
      method: 'POST',
      form: { _csrf: Browser.csrf(confirmHtml), token },
    });
    expect(done.status).toBe(303);
    const setCookie = done.headers.getSetCookie().find((c) => c.startsWith('pr_session='))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i);

    const overview = await b.request('/');
    expect(overview.status).toBe(200);
    expect(await overview.text()).toContain('ops@example.com');

    // A second use of the same link fails, in another browser too.
    const other = new Browser(app.baseUrl);
    const again = await other.request(link.pathname + link.search);
    expect(again.status).toBe(410);
    const otherPage = await (await other.request('/login')).text();
    const reuse = await other.request('/login/verify', {
      method: 'POST',
      form: { _csrf: Browser.csrf(otherPage), token },
    });
    expect(reuse.status).toBe(410);
    expect(other.cookie('pr_session')).toBeUndefined();
  });

  test('an unknown address gets the same answer and no mail', async () => {
    const before = app.mail.length;
    const b = new Browser(app.baseUrl);
    const page = await (await b.request('/login')).text();
    const res = await b.request('/login', {
      method: 'POST',
      form: { _csrf: Browser.csrf(page), email: 'nobody@example.com' },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('a sign-in link is on its way');
    expect(app.mail.length).toBe(before);
  });

  test('an expired link does not sign in', async () => {
    const b = new Browser(app.baseUrl);
    const page = await (await b.request('/login')).text();
    await b.request('/login', {
      method: 'POST',
      form: { _csrf: Browser.csrf(page), email: 'ops@example.com' },
    });
    const link = new URL(app.lastLink());
    app.clock.advance(16 * 60_000);
    const res = await b.request('/login/verify', {
      method: 'POST',
      form: { _csrf: Browser.csrf(page), token: link.searchParams.get('token')! },
    });
    expect(res.status).toBe(410);
  });

  test('forms without a valid CSRF token are refused', async () => {
    const b = new Browser(app.baseUrl);
    await b.request('/login');
    const res = await b.request('/login', {
      method: 'POST',
      form: { _csrf: 'forged', email: 'ops@example.com' },
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('csrf_failed');

    await b.signIn(app, 'ops@example.com');
    const logout = await b.request('/logout', { method: 'POST', form: { _csrf: 'forged' } });
    expect(logout.status).toBe(403);
  });

  test('signing out revokes the session server-side', async () => {
    const b = new Browser(app.baseUrl);
    await b.signIn(app, 'ops@example.com');
    const stolen = b.cookie('pr_session')!;
    const page = await (await b.request('/')).text();
    const out = await b.request('/logout', { method: 'POST', form: { _csrf: Browser.csrf(page) } });
    expect(out.status).toBe(303);
    const replay = await fetch(`${app.baseUrl}/`, {
      headers: { cookie: `pr_session=${stolen}`, accept: 'text/html' },
      redirect: 'manual',
    });
    expect(replay.status).toBe(303);
  });

  test('the login form is rate-limited per client', async () => {
    const b = new Browser(app.baseUrl);
    const page = await (await b.request('/login')).text();
    let status = 0;
    for (let i = 0; i < 8 && status !== 429; i++) {
      const res = await b.request('/login', {
        method: 'POST',
        form: { _csrf: Browser.csrf(page), email: 'x@example.com' },
      });
      status = res.status;
      if (status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(status).toBe(429);
  });
});

describe('dashboard cookies under https', () => {
  test('the session cookie is Secure when the public URL is https', async () => {
    const app = await startDashboardTestApp({ publicUrl: 'https://postroom.example' });
    try {
      await app.auth.createAdmin('ops@example.com');
      const b = new Browser(app.baseUrl);
      const page = await (await b.request('/login')).text();
      await b.request('/login', {
        method: 'POST',
        form: { _csrf: Browser.csrf(page), email: 'ops@example.com' },
      });
      const link = new URL(app.lastLink());
      expect(link.origin).toBe('https://postroom.example');
      const res = await b.request('/login/verify', {
        method: 'POST',
        form: { _csrf: Browser.csrf(page), token: link.searchParams.get('token')! },
      });
      expect(res.headers.getSetCookie().find((c) => c.startsWith('pr_session='))).toMatch(
        /;\s*Secure/i,
      );
    } finally {
      await app.close();
    }
  });
});
