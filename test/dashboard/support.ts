/**
 * A dashboard-only app for the HTTP tests: the real router, the real admin repository on a fresh
 * test database, and a mail port that records login links (the outbound path itself is
 * covered end to end by the browser tests, through the SMTP sink).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createHttpApp } from '../../src/http/app.js';
import { createDashboardRouter, type DashboardRouter } from '../../src/http/dashboard/router.js';
import type { DashboardServices } from '../../src/http/dashboard/services.js';
import { ManualClock } from '../../src/lib/clock.js';
import { createLogger, silentLogger } from '../../src/lib/logger.js';
import { createAuthService, type AuthService } from '../../src/services/dashboard/auth.js';
import type { LoginLinkMail } from '../../src/services/dashboard/ports/index.js';
import { createReadModels, repositories } from '../../src/storage/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { randomBytes } from 'node:crypto';
import { newId } from '../../src/lib/ids.js';
import { hashToken } from '../../src/services/dashboard/auth.js';
import type { Executor } from '../../src/services/ports.js';
import { startTestApp, type TestApp } from '../support/app.js';

/** DASHBOARD_TEST_LOG=1 shows server errors while debugging a test. */
const testLog = process.env.DASHBOARD_TEST_LOG
  ? createLogger({ level: 'error', pretty: false })
  : silentLogger;

export const SECRET = 'test-secret-key-0123456789abcdef0123456789';

export interface DashboardTestApp {
  baseUrl: string;
  app: Express;
  dashboard: DashboardRouter;
  t: TestDatabase;
  clock: ManualClock;
  auth: AuthService;
  mail: LoginLinkMail[];
  /** The login link from the latest mail. */
  lastLink(): string;
  close(): Promise<void>;
}

export async function startDashboardTestApp(
  options: {
    publicUrl?: string;
    loginRateLimit?: number;
    pageSize?: number;
    extra?: (s: DashboardServices, t: TestDatabase, clock: ManualClock) => DashboardServices;
  } = {},
): Promise<DashboardTestApp> {
  const t = await createTestDatabase();
  const clock = new ManualClock('2026-11-24T08:00:00Z');
  const mail: LoginLinkMail[] = [];
  let baseUrl = 'http://127.0.0.1:0';
  const auth = createAuthService({
    db: t.db,
    admins: repositories.admins,
    mailer: {
      async send(m) {
        mail.push(m);
        return { messageId: `m${mail.length}` };
      },
    },
    clock,
    log: silentLogger,
    settings: {
      get publicUrl() {
        return options.publicUrl ?? baseUrl;
      },
      secretKey: SECRET,
      loginTokenTtlMinutes: 15,
      sessionTtlHours: 24,
      maxLinksPerAddress: 3,
      logLoginLinks: false,
    },
  });
  const { overview } = createReadModels(t.db, { bossSchema: 'pgboss' });
  const base: DashboardServices = { auth, overview };
  const services = options.extra ? options.extra(base, t, clock) : base;
  const dashboard = createDashboardRouter({
    services,
    log: testLog,
    clock,
    cookies: { secure: (options.publicUrl ?? '').startsWith('https:') },
    loginRateLimit: options.loginRateLimit ?? 100,
    loginTtlMinutes: 15,
    pageSize: options.pageSize ?? 20,
  });
  const app = createHttpApp({ log: testLog, readiness: [], mount: (a) => a.use(dashboard.router) });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    app,
    dashboard,
    t,
    clock,
    auth,
    mail,
    lastLink() {
      const m = mail.at(-1);
      const link = m?.text.match(/https?:\/\/\S+/)?.[0];
      if (!link) throw new Error('no login mail captured');
      return link;
    },
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await t.close();
    },
  };
}

/** A tiny cookie jar over fetch, enough to act as one browser. */
export class Browser {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly baseUrl: string) {}

  /** GETs a page that must render (200) and returns its HTML. */
  async page(path: string): Promise<string> {
    const res = await this.request(path);
    expect(res.status).toBe(200);
    return res.text();
  }

  async request(
    path: string,
    init: RequestInit & { form?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers = new Headers(init.headers);
    if (!headers.has('accept')) headers.set('accept', 'text/html');
    if (this.cookies.size > 0)
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    let body = init.body;
    if (init.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(new URL(path, this.baseUrl), {
      ...init,
      headers,
      body,
      redirect: 'manual',
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Reads the CSRF token from a page's form. */
  static csrf(html: string): string {
    const m = html.match(/name="_csrf" value="([^"]+)"/);
    if (!m) throw new Error('no CSRF field on the page');
    return m[1]!;
  }

  /** Signs in through the login form and the mailed link. */
  async signIn(app: DashboardTestApp, email: string): Promise<void> {
    const page = await (await this.request('/login')).text();
    await this.request('/login', { method: 'POST', form: { _csrf: Browser.csrf(page), email } });
    const link = new URL(app.lastLink());
    const confirm = await (await this.request(link.pathname + link.search)).text();
    const res = await this.request('/login/verify', {
      method: 'POST',
      form: { _csrf: Browser.csrf(confirm), token: link.searchParams.get('token')! },
    });
    if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  }
}

/** A login token for `email` written straight to the database (creating the admin); returns it. */
export async function storedLoginToken(db: Executor, email: string): Promise<string> {
  const { admins } = repositories;
  const { user } = await admins.createUser(db, { id: newId(), email, createdAt: new Date() });
  const token = randomBytes(32).toString('base64url');
  await admins.insertLoginToken(db, {
    id: newId(),
    adminUserId: user.id,
    tokenHash: hashToken(token),
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + 60_000),
    requestedIp: null,
  });
  return token;
}

/** Signs in with a login token written straight to the database (mail delivery is the browser suite's job). */
export async function signInWithStoredToken(
  app: { db: { db: Executor } },
  b: Browser,
  email: string,
): Promise<void> {
  const token = await storedLoginToken(app.db.db, email);
  const confirm = await (await b.request(`/login/verify?token=${token}`)).text();
  const res = await b.request('/login/verify', {
    method: 'POST',
    form: { _csrf: Browser.csrf(confirm), token },
  });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
}

/** The whole app, web role only, with an administrator signed in: for the admin pages' tests. */
export async function startSignedInApp(
  env: Record<string, string>,
): Promise<{ app: TestApp; b: Browser }> {
  const app = await startTestApp({
    roles: { web: true, worker: false },
    env: { MAIL_FROM: 'Postroom <postroom@postroom.test>', ...env },
  });
  const b = new Browser(app.baseUrl);
  await signInWithStoredToken(app, b, 'ops@example.com');
  return { app, b };
}
