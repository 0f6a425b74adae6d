/**
 * What an `inbound.received` payload links to, opened by an API key (`read`) or by the signed
 * URL in the payload (`?token=`, expiring, valid for that one resource):
 * - GET /v1/inbound/:id/attachments/:n  one attachment, streamed in slices, with its stored type,
 *   `Content-Disposition: attachment` and `X-Content-Type-Options: nosniff` (never rendered
 *   inline by a browser, whatever the sender claimed it was)
 * - GET /v1/inbound/:id/payload  the full JSON payload a thin delivery points at
 */
import type { Request, RequestHandler, Router } from 'express';
import { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import type { InboundEmailsService } from '../../../services/inbound/emails.js';
import { registerRoute } from '../../openapi/registry.js';

interface Deps {
  emails: InboundEmailsService;
  authenticate: RequestHandler;
}

const TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;
const tokenQuery = z.object({ token: z.string().max(2000).optional() }).strict();

function ids(req: Request): { id: string; n: number | null } {
  const id = String(req.params.id);
  const raw = req.params.n === undefined ? null : String(req.params.n);
  const n = raw === null ? null : /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!isUuid(id) || Number.isNaN(n))
    throw new NotFoundError('attachment_not_found', 'No such attachment');
  return { id, n };
}

/** A signed URL's token opens its own resource; without one, an API key is needed. */
function keyOrSignedUrl(deps: Deps): RequestHandler {
  return (req, res, next) => {
    const token = req.query.token;
    if (token === undefined) return deps.authenticate(req, res, next);
    const { id, n } = ids(req);
    if (typeof token !== 'string' || !deps.emails.verifyLink(token, id, n))
      throw new ForbiddenError('invalid_link', 'This link is not valid (or has expired)');
    next();
  };
}

/** `filename="ascii"; filename*=UTF-8''…` so every client gets a safe name. */
function disposition(name: string | null, n: number): string {
  const full = (name ?? `attachment-${n + 1}`).replace(/[\r\n"\\/]/g, '_').slice(0, 200);
  const ascii = full.replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(full)}`;
}

function serveAttachment(deps: Deps): RequestHandler {
  return async (req, res) => {
    const { id, n } = ids(req);
    const a = (await deps.emails.attachments(id)).find((x) => x.n === n);
    if (!a) throw new NotFoundError('attachment_not_found', 'No such attachment');
    res.setHeader(
      'Content-Type',
      TYPE.test(a.contentType) ? a.contentType : 'application/octet-stream',
    );
    res.setHeader('Content-Disposition', disposition(a.filename, a.n));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Length', String(a.size));
    for await (const slice of deps.emails.readAttachment(a)) {
      if (!res.write(slice)) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  };
}

function servePayload(deps: Deps): RequestHandler {
  return async (req, res) => {
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await deps.emails.payload(ids(req).id));
  };
}

function document(): void {
  const tags = ['inbound'];
  registerRoute({
    method: 'get',
    path: '/v1/inbound/:id/attachments/:n',
    summary:
      'One attachment (n from 0), with its stored Content-Type, Content-Disposition: attachment and nosniff. API key (read) or the signed URL from the payload (?token=).',
    scope: 'read',
    tags,
    request: { query: tokenQuery },
    response: {
      200: { description: 'The attachment bytes', contentType: 'application/octet-stream' },
      403: { description: 'invalid_link' },
      404: { description: 'attachment_not_found' },
    },
  });
  registerRoute({
    method: 'get',
    path: '/v1/inbound/:id/payload',
    summary:
      'The full inbound.received payload (what a thin delivery points at). API key (read) or the signed payload_url (?token=). 410 raw_deleted after retention.',
    scope: 'read',
    tags,
    request: { query: tokenQuery },
    response: {
      200: z.object({ type: z.literal('inbound.received') }).loose(),
      403: { description: 'invalid_link' },
      410: { description: 'raw_deleted' },
    },
  });
}

export function mountAttachmentRoutes(router: Router, deps: Deps): void {
  document();
  router.get('/v1/inbound/:id/attachments/:n', keyOrSignedUrl(deps), serveAttachment(deps));
  router.get('/v1/inbound/:id/payload', keyOrSignedUrl(deps), servePayload(deps));
}
