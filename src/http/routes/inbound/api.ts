/**
 * The read API (API key with the `read` scope):
 * - GET /v1/inbound?status=&provider=&message_id=&limit=&cursor=  newest first, keyset cursor
 * - GET /v1/inbound/:id       metadata, status and reason, classification, verdicts, reply,
 *                             routing, attachments (each with a signed URL)
 * - GET /v1/inbound/:id/raw   the stored bytes as message/rfc822 (410 after retention)
 * - GET /v1/messages/:id/replies  the inbound replies to one of our messages, oldest first
 * Attachments and the full payload (API key or signed URL) are in attachments.ts.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, NotFoundError, ValidationError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import { INBOUND_STATUSES } from '../../../domain/state/inbound-email.js';
import { INBOUND_PROVIDERS } from '../../../inbound/providers/types.js';
import type { InboundEmailsService } from '../../../services/inbound/emails.js';
import type { InboundAttachmentRow, InboundEmailRow } from '../../../services/inbound/ports.js';
import { registerRoute } from '../../openapi/registry.js';
import { attachmentJson } from '../../../services/inbound/payload.js';
import { mountAttachmentRoutes } from './attachments.js';

const listQuery = z
  .object({
    status: z.enum(INBOUND_STATUSES).optional(),
    provider: z.enum(INBOUND_PROVIDERS).optional(),
    message_id: z.string().max(998).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().refine(isUuid, 'must be a cursor from a previous page').optional(),
  })
  .strict();

/** The extracted reply as the API shows it: what the person wrote, and what was cut from it. */
export function replyView(stored: unknown): Record<string, unknown> | null {
  if (!stored || typeof stored !== 'object') return null;
  const r = stored as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    text: str(r.text),
    signature: str(r.signature),
    quoted: str(r.quoted),
    method: str(r.method),
    flags: Array.isArray(r.flags) ? r.flags.filter((f) => typeof f === 'string') : [],
  };
}

/** The documented shape of `reply` (null until processed, and for bounces and auto-replies). */
const replySchema = z
  .object({
    text: z.string().describe('What the person wrote: the text entries are made from'),
    signature: z.string().describe('Signature, sign-off, mobile footer and disclaimer lines cut'),
    quoted: z.string().describe('Quoted history and pasted copies of our own messages cut'),
    method: z.string().describe('The rule that decided: plain, parent, marker, quote-header, …'),
    flags: z.array(z.string()).describe('Every decision taken (signature, sender-name, parent, …)'),
  })
  .nullable();

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
    reply: replyView(r.reply),
    routed_to: r.routedTo,
    correlation: r.correlation,
    last_error: r.lastError,
    dead_at: r.deadAt?.toISOString() ?? null,
    rejection_sent_at: r.rejectionSentAt?.toISOString() ?? null,
    raw_deleted_at: r.rawDeletedAt?.toISOString() ?? null,
  };
}

export const attachmentView = (a: InboundAttachmentRow, url: string) => ({
  n: a.n,
  ...attachmentJson(a, url),
});

const inboundEmail = z
  .object({ id: z.string(), object: z.literal('inbound_email'), status: z.enum(INBOUND_STATUSES) })
  .loose();
const inboundEmailDetail = inboundEmail.extend({ reply: replySchema });

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
    response: { 200: inboundEmailDetail, 404: { description: 'inbound_email_not_found' } },
  });
  registerRoute({
    method: 'get',
    path: '/v1/messages/:id/replies',
    summary:
      'Inbound replies to one of our messages (by reply token, In-Reply-To or References), oldest first',
    scope: 'read',
    tags,
    request: { query: repliesQuery },
    response: {
      200: z.object({ object: z.literal('list'), data: z.array(inboundEmail) }),
      404: { description: 'message_not_found' },
    },
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
  /** API-key middleware for the `read` scope. */
  authenticate: RequestHandler;
}

const repliesQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(500).default(100) })
  .strict();

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
    const row = await byId(deps, String(req.params.id));
    const attachments = await deps.emails.attachments(row.id);
    res.json({
      ...inboundView(row, true),
      attachments: attachments.map((a) =>
        attachmentView(a, deps.emails.attachmentUrl(row.id, a.n)),
      ),
    });
  };
}

function listReplies(deps: InboundApiDeps): RequestHandler {
  return async (req, res) => {
    const id = String(req.params.id);
    if (!isUuid(id)) throw new NotFoundError('message_not_found', 'No such message');
    const q = repliesQuery.safeParse(req.query);
    if (!q.success) throw new ValidationError('Invalid query', q.error.issues, 'invalid_query');
    const rows = await deps.emails.replies(id, q.data.limit);
    res.json({ object: 'list', data: rows.map((r) => inboundView(r, true)) });
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
  router.get('/v1/messages/:id/replies', deps.authenticate, listReplies(deps));
  mountAttachmentRoutes(router, deps);
  return router;
}
