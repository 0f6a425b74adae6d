/**
 * The dashboard's express router: HTML pages for operators (admin session) and team members
 * (signed link), mounted at the site root. Reading works without JavaScript; the one script
 * only enhances. Pages whose data source is not wired are simply not registered.
 */
import express, { type ErrorRequestHandler, type Router } from 'express';
import multer from 'multer';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { setRetryAfter, toAppError } from '../middleware/errors.js';
import { multipartBody } from '../middleware/multipart-body.js';
import type { CookieFlags } from './cookies.js';
import type { DashboardServices } from './services.js';
import { createPageKit } from './page-kit.js';
import { registerAssets } from './pages/assets.js';
import { registerAuthPages } from './pages/auth.js';
import { registerPages } from './pages/index.js';
import { createRateLimiter } from './rate-limit.js';
import { createRenderer, type Renderer } from './render.js';
import { RouteTable, securityHeaders, type DeclaredRoute } from './route-table.js';

export interface DashboardRouterOptions {
  services: DashboardServices;
  log: Logger;
  clock: Clock;
  cookies: CookieFlags;
  loginRateLimit: number;
  loginTtlMinutes: number;
  pageSize: number;
  /** Largest compose upload, all attachments together. */
  maxUploadBytes?: number;
  renderer?: Renderer;
}

export interface DashboardRouter {
  router: Router;
  routes: readonly DeclaredRoute[];
}

export function createDashboardRouter(o: DashboardRouterOptions): DashboardRouter {
  const router = express.Router();
  const renderer = o.renderer ?? createRenderer();
  const kit = createPageKit(renderer, o.cookies);
  const upload = multipartBody(
    multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: o.maxUploadBytes ?? 10 * 1024 * 1024, files: 10, fields: 50 },
    }).array('attachments', 10),
  );
  const table = new RouteTable(router, { auth: o.services.auth, cookies: o.cookies }, upload);

  registerAssets(table);
  registerAuthPages(table, {
    auth: o.services.auth,
    kit,
    cookies: o.cookies,
    loginLimiter: createRateLimiter(o.loginRateLimit, 15 * 60_000, o.clock),
    loginTtlMinutes: o.loginTtlMinutes,
  });
  registerPages(table, { services: o.services, kit, pageSize: o.pageSize, clock: o.clock });

  // Errors raised by dashboard routes become an HTML page; JSON clients keep the JSON shape.
  const htmlErrors: ErrorRequestHandler = (raw, req, res, next) => {
    if (res.headersSent) return next(raw);
    const err = toAppError(raw);
    if (err.status >= 500) (req.log ?? o.log).error({ err: raw }, 'dashboard request failed');
    if (req.accepts(['html', 'json']) !== 'html') return next(raw instanceof AppError ? raw : err);
    setRetryAfter(res, err);
    res.status(err.status);
    // Raw routes (previews, downloads) set their own headers; an error page gets the page policy.
    securityHeaders()(req, res, () => {});
    kit.render(
      req,
      res,
      'error',
      { title: 'Error', nav: 'none' },
      {
        heading:
          err.status === 404
            ? 'Not found'
            : err.status >= 500
              ? 'Something went wrong'
              : 'That did not work',
        message: err.status >= 500 ? 'The error was logged.' : err.message,
        code: err.code,
      },
    );
  };
  router.use(htmlErrors);
  return { router, routes: table.declared };
}
