/**
 * GET /metrics in the Prometheus text format. With METRICS_TOKEN set, only a request carrying
 * `Authorization: Bearer <token>` gets it (compared in constant time); others get a 401.
 * `createMetricsApp` is the same endpoint alone, for METRICS_PORT.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import { UnauthorizedError } from '../../lib/errors.js';
import { bearerToken } from '../middleware/api-key-auth.js';
import { errorHandler, notFoundHandler } from '../middleware/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { OpenApiRegistry } from '../openapi/registry.js';

export interface MetricsSource {
  contentType: string;
  render(): Promise<string>;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function tokenMatches(expected: string, given: string | undefined): boolean {
  return given !== undefined && timingSafeEqual(digest(expected), digest(given));
}

export function metricsHandler(source: MetricsSource, token: string | undefined): RequestHandler {
  return async (req, res) => {
    if (token !== undefined && !tokenMatches(token, bearerToken(req.header('authorization')))) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedError('invalid_metrics_token', 'Send METRICS_TOKEN as a Bearer token');
    }
    const body = await source.render();
    res.setHeader('Cache-Control', 'no-store');
    res.type(source.contentType).send(body);
  };
}

export function createMetricsApp(
  source: MetricsSource,
  token: string | undefined,
  log: Logger,
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(source, token));
  app.use(notFoundHandler);
  app.use(errorHandler(log));
  return app;
}

/** GET /metrics on the main app, documented (public unless METRICS_TOKEN is set). */
export function mountMetrics(
  app: Express,
  source: MetricsSource,
  token: string | undefined,
  api: OpenApiRegistry,
): void {
  api.registerRoute({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics of this process (Bearer METRICS_TOKEN when it is set).',
    scope: null,
    tags: ['operations'],
    response: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } },
  });
  app.get('/metrics', metricsHandler(source, token));
}
