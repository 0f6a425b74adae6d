/**
 * The read API (API key with the `read` scope):
 * - GET /v1/inbound?status=&provider=&message_id=&limit=&cursor=  newest first, keyset cursor
 * - GET /v1/inbound/:id       metadata, status and reason, classification, verdicts, reply, routing
 * - GET /v1/inbound/:id/raw   the stored bytes as message/rfc822 (410 after retention)
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, NotFoundError, ValidationError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import { INBOUND_STATUSES } from '../../../domain/state/inbound-email.js';
import { INBOUND_PROVIDERS } from '../../../inbound/providers/types.js';
import type { InboundEmailsService } from '../../../services/inbound/emails.js';
import type { InboundEmailRow } from '../../../services/inbound/ports.js';
import { registerRoute } from '../../openapi/registry.js';

const listQuery = z
  .object({
    status: z.enum(INBOUND_STATUSES).optional(),
    provider: z.enum(INBOUND_PROVIDERS).optional(),
    message_id: z.string().max(998).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().refine(isUuid, 'must be a cursor from a previous page').optional(),
  })
  .strict();

export function inboundView(r: InboundEmailRow, detail: boolean): Record<string, unknown> {
  const base = {
    id: r.id,
    object: 'inbound_email',
    provider: r.provider,
    provider_event_id: r.providerEventId,
    message_id: r.messageId,
    message_id_synthesized: r.messageIdSynthesized,
    status: r.status,
    reason: r.reason,
    reason_detail: r.reasonDetail,
    from: r.fromAddress,
    subject: r.subject,
    envelope: { from: r.envelopeFrom, to: r.envelopeTo },
    size_bytes: r.sizeBytes,
    sha256: r.sha256,
    attempts: r.attempts,
    received_at: r.receivedAt.toISOString(),
    processed_at: r.processedAt?.toISOString() ?? null,
    raw_available: r.rawDeletedAt === null,
    repaired_fields: r.repairedFields,
  };
  if (!detail) return base;
  return {
    ...base,
    classification: r.classification,
    verdicts: r.verdicts,
    provider_extras: r.extras,
    reply: r.reply,
    routed_to: r.routedTo,
    correlation: r.correlation,
    last_error: r.lastError,
    dead_at: r.deadAt?.toISOString() ?? null,
    rejection_sent_at: r.rejectionSentAt?.toISOString() ?? null,
    raw_deleted_at: r.rawDeletedAt?.toISOString() ?? null,
  };
}

const inboundEmail = z
  .object({ id: z.string(), object: z.literal('inbound_email'), status: z.enum(INBOUND_STATUSES) })
  .loose();

function document(): void {
  const tags = ['inbound'];
  registerRoute({
    method: 'get',
    path: '/v1/inbound',
    summary: 'List inbound emails, newest first (cursor = id of the last item)',
    scope: 'read',
    tags,
    request: { query: listQuery },
    response: {
      200: z.object({
        object: z.literal('list'),
        data: z.array(inboundEmail),
        has_more: z.boolean(),
        next_cursor: z.string().nullable(),
      }),
    },
  });
  registerRoute({
    method: 'get',
    path: '/v1/inbound/:id',
    summary:
      'One inbound email: status and reason, classification, verdicts, extracted reply, routing',
    scope: 'read',
    tags,
    response: { 200: inboundEmail, 404: { description: 'inbound_email_not_found' } },
  });
  registerRoute({
    method: 'get',
    path: '/v1/inbound/:id/raw',
    summary: 'The stored message bytes (410 raw_deleted after retention)',
    scope: 'read',
    tags,
    response: {
      200: { description: 'The message as received', contentType: 'message/rfc822' },
      410: { description: 'raw_deleted' },
    },
  });
}

export interface InboundApiDeps {
  emails: InboundEmailsService;
  authenticate: RequestHandler;
}

async function byId(deps: InboundApiDeps, id: string): Promise<InboundEmailRow> {
  const row = isUuid(id) ? await deps.emails.get(id) : null;
  if (!row) throw new NotFoundError('inbound_email_not_found', 'No such inbound email');
  return row;
}

function listInbound(deps: InboundApiDeps): RequestHandler {
  return async (req, res) => {
    const parsed = listQuery.safeParse(req.query);
    if (!parsed.success)
      throw new ValidationError('Invalid query', parsed.error.issues, 'invalid_query');
    const q = parsed.data;
    const rows = await deps.emails.list({
      status: q.status,
      provider: q.provider,
      messageId: q.message_id?.replace(/^<|>$/g, ''),
      before: q.cursor,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    res.json({
      object: 'list',
      data: page.map((r) => inboundView(r, false)),
      has_more: rows.length > q.limit,
      next_cursor: rows.length > q.limit ? page.at(-1)!.id : null,
    });
  };
}

function getInbound(deps: InboundApiDeps): RequestHandler {
  return async (req, res) => {
    res.json(inboundView(await byId(deps, String(req.params.id)), true));
  };
}

function getRaw(deps: InboundApiDeps): RequestHandler {
  return async (req, res) => {
    const row = await byId(deps, String(req.params.id));
    const raw = row.rawDeletedAt ? null : await deps.emails.loadRaw(row.id);
    if (!raw) throw new AppError(410, 'raw_deleted', 'The raw message was deleted by retention');
    res.setHeader('Content-Type', 'message/rfc822');
    res.setHeader('Content-Disposition', `attachment; filename="${row.id}.eml"`);
    res.send(raw);
  };
}

export function createInboundApiRouter(deps: InboundApiDeps): Router {
  document();
  const router = Router();
  router.get('/v1/inbound', deps.authenticate, listInbound(deps));
  router.get('/v1/inbound/:id', deps.authenticate, getInbound(deps));
  router.get('/v1/inbound/:id/raw', deps.authenticate, getRaw(deps));
  return router;
}
