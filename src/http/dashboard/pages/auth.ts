/** Sign-in by magic link, sign-out. The login POST is rate-limited per client IP. */
import type { Request, Response } from 'express';
import { TooManyRequestsError } from '../../../lib/errors.js';
import { isPlausibleEmail, type AuthService } from '../../../services/dashboard/auth.js';
import { clearCookie, setCookie, type CookieFlags } from '../cookies.js';
import { safeNext, str, type PageKit } from '../page-kit.js';
import type { RateLimiter } from '../rate-limit.js';
import { SESSION_COOKIE, type RouteTable } from '../route-table.js';

export interface AuthPages {
  auth: AuthService;
  kit: PageKit;
  cookies: CookieFlags;
  loginLimiter: RateLimiter;
  loginTtlMinutes: number;
}

const SIGN_IN = { title: 'Sign in', nav: null };

export function registerAuthPages(t: RouteTable, p: AuthPages): void {
  t.get('/login', 'public', (req, res) => loginForm(p, req, res));
  t.post('/login', 'public', 'form', (req, res) => requestLink(p, req, res));
  // GET only shows a button: mail scanners that prefetch links must not spend them.
  t.get('/login/verify', 'public', (req, res) => confirmLink(p, req, res));
  t.post('/login/verify', 'public', 'form', (req, res) => useLink(p, req, res));
  t.post('/logout', 'admin', 'form', (req, res) => logout(p, req, res));
}

/** Link tokens are 43 characters; anything far longer is not worth a database round trip. */
const plausibleToken = (token: string): boolean => token.length > 0 && token.length < 100;

function loginForm(p: AuthPages, req: Request, res: Response): void {
  if (res.locals.admin) return res.redirect(303, safeNext(req.query.next));
  p.kit.render(req, res, 'login', SIGN_IN, { next: safeNext(req.query.next), email: '' });
}

async function requestLink(p: AuthPages, req: Request, res: Response): Promise<void> {
  const wait = p.loginLimiter.hit(req.ip ?? 'unknown');
  if (wait > 0)
    throw new TooManyRequestsError(
      'login_rate_limited',
      'Too many sign-in attempts; try again later',
      wait,
    );
  const email = str(req.body.email).trim();
  const next = safeNext(req.body.next);
  if (!isPlausibleEmail(email)) {
    res.status(422);
    return p.kit.render(req, res, 'login', SIGN_IN, { next, email });
  }
  const outcome = await p.auth.requestLoginLink(email, req.ip ?? null, next);
  req.log.info({ outcome }, 'dashboard login requested');
  p.kit.render(req, res, 'login', SIGN_IN, {
    sent: true,
    email,
    next,
    ttlMinutes: p.loginTtlMinutes,
  });
}

async function confirmLink(p: AuthPages, req: Request, res: Response): Promise<void> {
  const token = str(req.query.token);
  const usable = plausibleToken(token) && (await p.auth.isLoginLinkUsable(token));
  if (!usable) res.status(410);
  p.kit.render(req, res, 'login-verify', SIGN_IN, {
    usable,
    token,
    next: safeNext(req.query.next),
  });
}

async function useLink(p: AuthPages, req: Request, res: Response): Promise<void> {
  const token = str(req.body.token);
  const done = plausibleToken(token)
    ? await p.auth.completeLogin(token, req.get('user-agent') ?? null)
    : null;
  if (!done) {
    res.status(410);
    return p.kit.render(req, res, 'login-verify', SIGN_IN, { usable: false });
  }
  setCookie(res, p.cookies, SESSION_COOKIE, done.sessionToken, { expires: done.expiresAt });
  res.redirect(303, safeNext(req.body.next));
}

async function logout(p: AuthPages, _req: Request, res: Response): Promise<void> {
  if (res.locals.sessionToken) await p.auth.logout(res.locals.sessionToken);
  clearCookie(res, p.cookies, SESSION_COOKIE);
  res.redirect(303, '/login');
}
