/**
 * Times every request for the metrics, labelled by the route template that matched
 * (`/v1/messages/:id`), never by the path itself, so ids in URLs cannot multiply the series.
 * A request no route matched is `unmatched`.
 */
import type { Request, RequestHandler } from 'express';
import type { Telemetry } from '../../services/telemetry.js';

export function routeTemplate(req: Request): string {
  const path: unknown = req.route?.path;
  if (typeof path !== 'string') return 'unmatched';
  return `${req.baseUrl}${path}` || '/';
}

export function observeRequests(telemetry: Pick<Telemetry, 'httpRequest'>): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      telemetry.httpRequest(req.method, routeTemplate(req), res.statusCode, seconds);
    });
    next();
  };
}

const PROVIDERS = new Set(['sendgrid', 'mailgun', 'postmark', 'ses', 'relay']);

/**
 * Mounted on /inbound: a provider's mail that got a 4xx (bad credentials, malformed, too large,
 * the endpoint off) counts as rejected. Accepted and duplicate are counted at receipt.
 */
export function countInboundRejections(t: Pick<Telemetry, 'inboundRequest'>): RequestHandler {
  return (req, res, next) => {
    const provider = req.path.split('/')[1] ?? '';
    if (req.method === 'POST' && PROVIDERS.has(provider)) {
      res.on('finish', () => {
        if (res.statusCode >= 400 && res.statusCode < 500) t.inboundRequest(provider, 'rejected');
      });
    }
    next();
  };
}
