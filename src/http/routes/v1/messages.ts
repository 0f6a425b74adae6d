/**
 * /v1/messages: send (JSON or multipart with files), batch and bulk, read with the event
 * timeline, raw MIME, list with keyset cursor, cancel, retry, and resend-failed for a batch.
 */
import { jsonBody } from '../../middleware/json-body.js';
import express, { Router } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { ValidationError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import type { OutboundServices } from '../../../services/outbound/index.js';
import {
  batchResultSchema,
  batchSchema,
  eventViewSchema,
  listMessagesQuery,
  messageViewSchema,
  sendMessageSchema,
  sendResultSchema,
} from '../../../services/outbound/schemas.js';
import type { RequireScope } from '../../middleware/api-key-auth.js';
import type { OpenApiRegistry } from '../../openapi/registry.js';
import { parseOr422 } from './validate.js';
import { eventView, messageView } from './views.js';

const JSON_LIMIT = '40mb';

export function messagesRouter(
  s: OutboundServices,
  requireScope: RequireScope,
  api: OpenApiRegistry,
): Router {
  const r = Router();
  const json = jsonBody(JSON_LIMIT);
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: 25 * 1024 * 1024, files: 20, fields: 50 },
  });
  const idParam = (id: string | string[] | undefined): string => {
    const v = Array.isArray(id) ? id[0] : id;
    if (!v || !isUuid(v)) throw new ValidationError('Not a message id', { id: v }, 'invalid_id');
    return v;
  };

  /** multipart: a `message` field with the JSON body, files as attachments. */
  const multipartBody = (req: express.Request): unknown => {
    const field = (req.body as Record<string, unknown> | undefined)?.message;
    if (typeof field !== 'string') {
      throw new ValidationError(
        'multipart requests need a "message" field holding the JSON body',
        undefined,
        'missing_message_field',
      );
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(field) as Record<string, unknown>;
    } catch {
      throw new ValidationError(
        'The "message" field is not valid JSON',
        undefined,
        'malformed_json',
      );
    }
    const files = (req.files as Express.Multer.File[] | undefined) ?? [];
    if (files.length > 0) {
      body.attachments = [
        ...((body.attachments as unknown[]) ?? []),
        ...files.map((f) => ({
          filename: f.originalname,
          content: f.buffer.toString('base64'),
          content_type: f.mimetype || 'application/octet-stream',
        })),
      ];
    }
    return body;
  };

  api.registerRoute({
    method: 'post',
    path: '/v1/messages',
    summary:
      'Send a message (202). Idempotency-Key header supported. Also accepts multipart/form-data with a "message" JSON field and files.',
    scope: 'send',
    tags: ['messages'],
    request: { body: sendMessageSchema },
    response: { 202: sendResultSchema },
  });
  r.post(
    '/v1/messages',
    requireScope('send'),
    (req, res, next) =>
      req.is('multipart/form-data') ? upload.any()(req, res, next) : json(req, res, next),
    async (req, res) => {
      const body = req.is('multipart/form-data') ? multipartBody(req) : req.body;
      const input = parseOr422(sendMessageSchema, body, 'message');
      const result = await s.sendMessage(input, {
        apiKey: req.apiKey ?? null,
        internal: false,
        idempotencyKey: req.header('idempotency-key') ?? undefined,
      });
      res.status(202).json(result);
    },
  );

  api.registerRoute({
    method: 'post',
    path: '/v1/messages/batch',
    summary:
      'Send up to 1,000 messages, or one template to up to 1,000 recipients. Invalid items are reported by index.',
    scope: 'send',
    tags: ['messages'],
    request: { body: batchSchema },
    response: { 202: batchResultSchema },
  });
  r.post('/v1/messages/batch', requireScope('send'), json, async (req, res) => {
    const result = await s.sendBatch(req.body, {
      apiKey: req.apiKey ?? null,
      internal: false,
      idempotencyKey: req.header('idempotency-key') ?? undefined,
    });
    if (result.accepted.length === 0) {
      throw new ValidationError(
        'No message of the batch was valid',
        { errors: result.errors },
        'batch_rejected',
      );
    }
    res.status(202).json(result);
  });

  api.registerRoute({
    method: 'get',
    path: '/v1/messages',
    summary:
      'List messages, newest first; filter by status, tag, to, since, batch_id; page with cursor.',
    scope: 'read',
    tags: ['messages'],
    request: { query: listMessagesQuery },
    response: {
      200: z.object({ data: z.array(messageViewSchema), next_cursor: z.string().nullable() }),
    },
  });
  r.get('/v1/messages', requireScope('read'), async (req, res) => {
    const q = parseOr422(listMessagesQuery, req.query, 'query');
    const { messages, nextCursor } = await s.messages.list({
      status: q.status,
      tag: q.tag,
      to: q.to,
      since: q.since ? new Date(q.since) : undefined,
      batchId: q.batch_id,
      before: q.cursor,
      limit: q.limit,
    });
    res.json({ data: messages.map(messageView), next_cursor: nextCursor });
  });

  api.registerRoute({
    method: 'get',
    path: '/v1/messages/:id',
    summary: 'A message with its status, attempts and event timeline.',
    scope: 'read',
    tags: ['messages'],
    response: { 200: messageViewSchema.extend({ events: z.array(eventViewSchema) }) },
  });
  r.get('/v1/messages/:id', requireScope('read'), async (req, res) => {
    const { message, events } = await s.messages.get(idParam(req.params.id));
    res.json({ ...messageView(message), events: events.map(eventView) });
  });

  api.registerRoute({
    method: 'get',
    path: '/v1/messages/:id/raw',
    summary: 'The MIME message as sent (message/rfc822).',
    scope: 'read',
    tags: ['messages'],
    response: { 200: { description: 'RFC 5322 message', contentType: 'message/rfc822' } },
  });
  r.get('/v1/messages/:id/raw', requireScope('read'), async (req, res) => {
    const raw = await s.messages.raw(idParam(req.params.id));
    res.type('message/rfc822').send(raw);
  });

  api.registerRoute({
    method: 'post',
    path: '/v1/messages/:id/cancel',
    summary: 'Cancel a scheduled, queued or deferred message (409 otherwise).',
    scope: 'send',
    tags: ['messages'],
    response: { 200: sendResultSchema },
  });
  r.post('/v1/messages/:id/cancel', requireScope('send'), async (req, res) => {
    res.json(await s.messages.cancel(idParam(req.params.id)));
  });

  api.registerRoute({
    method: 'post',
    path: '/v1/messages/:id/retry',
    summary: 'Re-queue a failed or expired message with a new attempt series.',
    scope: 'send',
    tags: ['messages'],
    response: { 202: sendResultSchema },
  });
  r.post('/v1/messages/:id/retry', requireScope('send'), async (req, res) => {
    res.status(202).json(await s.messages.retry(idParam(req.params.id)));
  });

  api.registerRoute({
    method: 'post',
    path: '/v1/batches/:id/resend-failed',
    summary:
      'Re-queue exactly the failed and expired messages of a batch. List them first with GET /v1/messages?batch_id=…&status=failed,expired.',
    scope: 'send',
    tags: ['messages'],
    response: { 202: z.object({ batch_id: z.string(), requeued: z.array(z.string()) }) },
  });
  r.post('/v1/batches/:id/resend-failed', requireScope('send'), async (req, res) => {
    res.status(202).json(await s.messages.resendFailed(idParam(req.params.id)));
  });

  return r;
}
