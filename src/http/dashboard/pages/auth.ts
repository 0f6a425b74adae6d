/** Sign-in by magic link, sign-out. The login POST is rate-limited per client IP. */
import { TooManyRequestsError } from '../../../lib/errors.js';
import { isPlausibleEmail, type AuthService } from '../../../services/dashboard/auth.js';
import { clearCookie, setCookie, type CookieFlags } from '../cookies.js';
import { safeNext, str, type PageKit } from '../page-kit.js';
import type { RateLimiter } from '../rate-limit.js';
import { SESSION_COOKIE, type RouteTable } from '../route-table.js';

export function registerAuthPages(
  t: RouteTable,
  deps: {
    auth: AuthService;
    kit: PageKit;
    cookies: CookieFlags;
    loginLimiter: RateLimiter;
    loginTtlMinutes: number;
  },
): void {
  const { auth, kit, cookies } = deps;

  t.get('/login', 'public', (req, res) => {
    if (res.locals.admin) return res.redirect(303, safeNext(req.query.next));
    kit.render(
      req,
      res,
      'login',
      { title: 'Sign in', nav: null },
      { next: safeNext(req.query.next), email: '' },
    );
  });

  t.post('/login', 'public', 'form', async (req, res) => {
    const wait = deps.loginLimiter.hit(req.ip ?? 'unknown');
    if (wait > 0)
      throw new TooManyRequestsError(
        'login_rate_limited',
        'Too many sign-in attempts; try again later',
        wait,
      );
    const email = str(req.body.email).trim();
    if (!isPlausibleEmail(email)) {
      res.status(422);
      return kit.render(
        req,
        res,
        'login',
        { title: 'Sign in', nav: null },
        { next: safeNext(req.body.next), email },
      );
    }
    const outcome = await auth.requestLoginLink(email, req.ip ?? null, safeNext(req.body.next));
    req.log.info({ outcome }, 'dashboard login requested');
    kit.render(
      req,
      res,
      'login',
      { title: 'Sign in', nav: null },
      {
        sent: true,
        email,
        next: safeNext(req.body.next),
        ttlMinutes: deps.loginTtlMinutes,
      },
    );
  });

  // GET only shows a button: mail scanners that prefetch links must not spend them.
  t.get('/login/verify', 'public', async (req, res) => {
    const token = str(req.query.token);
    const usable = token.length > 0 && token.length < 100 && (await auth.isLoginLinkUsable(token));
    if (!usable) res.status(410);
    kit.render(
      req,
      res,
      'login-verify',
      { title: 'Sign in', nav: null },
      { usable, token, next: safeNext(req.query.next) },
    );
  });

  t.post('/login/verify', 'public', 'form', async (req, res) => {
    const token = str(req.body.token);
    const done =
      token.length > 0 && token.length < 100
        ? await auth.completeLogin(token, req.get('user-agent') ?? null)
        : null;
    if (!done) {
      res.status(410);
      return kit.render(
        req,
        res,
        'login-verify',
        { title: 'Sign in', nav: null },
        { usable: false },
      );
    }
    setCookie(res, cookies, SESSION_COOKIE, done.sessionToken, { expires: done.expiresAt });
    res.redirect(303, safeNext(req.body.next));
  });

  t.post('/logout', 'admin', 'form', async (req, res) => {
    if (res.locals.sessionToken) await auth.logout(res.locals.sessionToken);
    clearCookie(res, cookies, SESSION_COOKIE);
    res.redirect(303, '/login');
  });
}
