/**
 * The express app factory. It owns cross-cutting middleware (request ids, errors, health);
 * features mount their own routers and their own body parsers, because webhooks must see the
 * raw bytes before anything parses them.
 */
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from '../lib/logger.js';
import { errorHandler, notFoundHandler } from './middleware/errors.js';
import { requestContext } from './middleware/request-id.js';
import { safeUrl } from './middleware/safe-url.js';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface HttpAppOptions {
  log: Logger;
  readiness: ReadinessCheck[];
  /** Called once to add feature routes, before the 404 and error handlers. */
  mount?: (app: Express) => void;
  /** Runs for every request before any route (the metrics' request timer). */
  observe?: RequestHandler;
}

export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestContext(options.log));
  if (options.observe) app.use(options.observe);
  app.use(safeUrl);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      options.readiness.map(async (r) => {
        try {
          await r.check();
          return [r.name, 'ok'] as const;
        } catch (err) {
          return [r.name, err instanceof Error ? err.message : 'failed'] as const;
        }
      }),
    );
    const ready = results.every(([, s]) => s === 'ok');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results) });
  });

  options.mount?.(app);
  app.use(notFoundHandler);
  app.use(errorHandler(options.log));
  return app;
}
