/**
 * Every dashboard route is declared through this table with its access level, so guards are
 * attached per route. (A `router.use` guard would also run for other features' routes, since
 * the dashboard is mounted at the root.) The list of declared routes is kept for the
 * authorisation test and for docs.
 */
import { randomBytes } from 'node:crypto';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors.js';
import type { AuthService } from '../../services/dashboard/auth.js';
import type { AdminSession } from '../../services/dashboard/ports/index.js';
import { readCookie, setCookie, type CookieFlags } from './cookies.js';

/** `public`: anyone (login, assets); `member`: carries its own signed token; `admin`: a session. */
export type Access = 'public' | 'member' | 'admin';

export interface DeclaredRoute {
  method: 'get' | 'post';
  path: string;
  access: Access;
}

export const SESSION_COOKIE = 'pr_session';
export const FORM_COOKIE = 'pr_form';

declare module 'express-serve-static-core' {
  interface Locals {
    admin?: AdminSession;
    sessionToken?: string;
    csrf?: string;
  }
}

export interface RouteTableDeps {
  auth: AuthService;
  cookies: CookieFlags;
}

export type BodyKind = 'none' | 'form' | 'multipart';

const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "frame-src 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

export function securityHeaders(csp: string = STRICT_CSP): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Magic-link tokens sit in URLs; never leak them through Referer.
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

export class RouteTable {
  readonly declared: DeclaredRoute[] = [];
  private readonly session: RequestHandler;

  constructor(
    readonly router: Router,
    private readonly deps: RouteTableDeps,
    private readonly multipart: RequestHandler | null,
  ) {
    this.session = loadSession(deps.auth);
  }

  get(path: string, access: Access, ...handlers: RequestHandler[]): void {
    this.declared.push({ method: 'get', path, access });
    this.router.get(
      path,
      securityHeaders(),
      this.session,
      guard(access, 'get'),
      formBinding(this.deps, access),
      ...handlers,
    );
  }

  /** A GET whose response sets its own headers (sandboxed previews, raw downloads). */
  getRaw(path: string, access: Access, ...handlers: RequestHandler[]): void {
    this.declared.push({ method: 'get', path, access });
    this.router.get(path, this.session, guard(access, 'get'), ...handlers);
  }

  post(path: string, access: Access, body: BodyKind, ...handlers: RequestHandler[]): void {
    this.declared.push({ method: 'post', path, access });
    this.router.post(
      path,
      securityHeaders(),
      this.session,
      guard(access, 'post'),
      ...bodyParsers(body, this.multipart),
      checkCsrf(this.deps.auth, access),
      ...handlers,
    );
  }
}

/** Puts the signed-in admin, their token and their CSRF token on `res.locals`. */
function loadSession(auth: AuthService): RequestHandler {
  return async (req, res, next) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token && token.length <= 100) {
      const session = await auth.resolveSession(token);
      if (session) {
        res.locals.admin = session;
        res.locals.sessionToken = token;
        res.locals.csrf = auth.csrfToken(session.id);
      }
    }
    next();
  };
}

/** Admin routes: a browser is sent to sign in (and back); any other client gets a 401. */
function guard(access: Access, method: 'get' | 'post'): RequestHandler {
  return (req, res, next) => {
    if (access !== 'admin' || res.locals.admin) return next();
    if (method === 'get' && req.accepts(['html', 'json']) === 'html') {
      const nextPath =
        req.originalUrl.startsWith('/') && !req.originalUrl.startsWith('//')
          ? req.originalUrl
          : '/';
      res.redirect(303, `/login?next=${encodeURIComponent(nextPath)}`);
      return;
    }
    next(new UnauthorizedError('not_signed_in', 'Sign in to the dashboard first'));
  };
}

/** Forms on pages without a session are bound to a random per-browser cookie instead. */
function formBinding(deps: RouteTableDeps, access: Access): RequestHandler {
  return (req, res, next) => {
    if (access === 'admin' || res.locals.admin) return next();
    let binding = readCookie(req, FORM_COOKIE);
    if (!binding || !/^[A-Za-z0-9_-]{20,64}$/.test(binding)) {
      binding = randomBytes(18).toString('base64url');
      setCookie(res, deps.cookies, FORM_COOKIE, binding, { maxAgeSeconds: 86_400 });
    }
    res.locals.csrf = deps.auth.csrfToken(`form:${binding}`);
    next();
  };
}

function bodyParsers(body: BodyKind, multipart: RequestHandler | null): RequestHandler[] {
  if (body === 'form') return [express.urlencoded({ extended: false, limit: '2mb' })];
  if (body === 'multipart') {
    if (!multipart) throw new Error('multipart routes need a multipart parser');
    return [multipart];
  }
  return [];
}

function checkCsrf(auth: AuthService, access: Access): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = (req.body as Record<string, unknown> | undefined)?._csrf;
    let binding: string | undefined;
    if (access === 'admin' || res.locals.admin) binding = res.locals.admin?.id;
    else {
      const cookie = readCookie(req, FORM_COOKIE);
      binding = cookie ? `form:${cookie}` : undefined;
    }
    if (!binding || !auth.checkCsrf(binding, given)) {
      next(
        new ForbiddenError(
          'csrf_failed',
          'The form expired or came from another site; reload the page and try again',
        ),
      );
      return;
    }
    next();
  };
}
