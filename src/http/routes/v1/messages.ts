/**
 * /v1/messages: send (JSON or multipart with files), batch and bulk, read with the event
 * timeline, raw MIME, list with keyset cursor, cancel, retry, and resend-failed for a batch.
 */
import { checkJson, jsonBody } from '../../middleware/json-body.js';
import { multipartBody as readMultipart } from '../../middleware/multipart-body.js';
import express, { Router, type RequestHandler } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { ValidationError } from '../../../lib/errors.js';
import type { OutboundServices } from '../../../services/outbound/index.js';
import {
  batchResultSchema,
  batchSchema,
  deliveryViewSchema,
  eventViewSchema,
  listMessagesQuery,
  messageViewSchema,
  parseMessageInput,
  sendMessageSchema,
  sendResultSchema,
  type SendMessageInput,
} from '../../../services/outbound/schemas.js';
import type { RequireScope } from '../../middleware/api-key-auth.js';
import type { OpenApiRegistry } from '../../openapi/registry.js';
import { mountRoutes, uuidParam, type V1Route } from './route-table.js';
import { parseOr422 } from './validate.js';
import { recipientDeliveryView } from '../../../services/outbound/webhook-deliveries.js';
import { eventView, messageView } from './views.js';

type Req = express.Request;
type Res = express.Response;

const json = jsonBody('40mb');
const upload = readMultipart(
  multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: 25 * 1024 * 1024, files: 20, fields: 50 },
  }).any(),
);
const isMultipart = (req: Req) => !!req.is('multipart/form-data');

/** JSON, or multipart/form-data with the JSON in a `message` field and files as attachments. */
const sendBody: RequestHandler = (req, res, next) =>
  isMultipart(req) ? upload(req, res, next) : json(req, res, next);

const messageId = (req: Req) => uuidParam(req.params.id, 'a message id');

/** What the caller asked for; API callers never send as `internal`. */
const acceptOptions = (req: Req) => ({
  apiKey: req.apiKey ?? null,
  internal: false,
  idempotencyKey: req.header('idempotency-key') ?? undefined,
});

/** multipart: a `message` field with the JSON body, files as attachments. */
function multipartBody(req: Req): unknown {
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
    throw new ValidationError('The "message" field is not valid JSON', undefined, 'malformed_json');
  }
  checkJson(body, req);
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
}

async function sendMessage(s: OutboundServices, req: Req, res: Res) {
  const body = isMultipart(req) ? multipartBody(req) : req.body;
  const parsed = parseMessageInput(body, false);
  if (!parsed.ok) throw parsed.error;
  res.status(202).json(await s.sendMessage(body as SendMessageInput, acceptOptions(req)));
}

async function sendBatch(s: OutboundServices, req: Req, res: Res) {
  const result = await s.sendBatch(req.body, acceptOptions(req));
  if (result.accepted.length === 0) {
    throw new ValidationError(
      'No message of the batch was valid',
      { errors: result.errors },
      'batch_rejected',
    );
  }
  res.status(202).json(result);
}

async function listMessages(s: OutboundServices, req: Req, res: Res) {
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
}

async function getMessage(s: OutboundServices, req: Req, res: Res) {
  const { message, deliveries, events } = await s.messages.get(messageId(req));
  res.json({
    ...messageView(message),
    deliveries: deliveries.map(recipientDeliveryView),
    events: events.map(eventView),
  });
}

async function getRaw(s: OutboundServices, req: Req, res: Res) {
  res.type('message/rfc822').send(await s.messages.raw(messageId(req)));
}

async function cancel(s: OutboundServices, req: Req, res: Res) {
  res.json(await s.messages.cancel(messageId(req)));
}

async function retry(s: OutboundServices, req: Req, res: Res) {
  res.status(202).json(await s.messages.retry(messageId(req)));
}

async function resendFailed(s: OutboundServices, req: Req, res: Res) {
  res.status(202).json(await s.messages.resendFailed(messageId(req)));
}

const tags = ['messages'];

const routes: Array<V1Route<OutboundServices>> = [
  {
    doc: {
      method: 'post',
      path: '/v1/messages',
      summary:
        'Send a message (202). Idempotency-Key header supported. Also accepts multipart/form-data with a "message" JSON field and files.',
      scope: 'send',
      tags,
      request: { body: sendMessageSchema },
      response: { 202: sendResultSchema },
    },
    before: [sendBody],
    handle: sendMessage,
  },
  {
    doc: {
      method: 'post',
      path: '/v1/messages/batch',
      summary:
        'Send up to 1,000 messages, or one template to up to 1,000 recipients. Invalid items are reported by index.',
      scope: 'send',
      tags,
      request: { body: batchSchema },
      response: { 202: batchResultSchema },
    },
    before: [json],
    handle: sendBatch,
  },
  {
    doc: {
      method: 'get',
      path: '/v1/messages',
      summary:
        'List messages, newest first; filter by status, tag, to, since, batch_id; page with cursor.',
      scope: 'read',
      tags,
      request: { query: listMessagesQuery },
      response: {
        200: z.object({ data: z.array(messageViewSchema), next_cursor: z.string().nullable() }),
      },
    },
    handle: listMessages,
  },
  {
    doc: {
      method: 'get',
      path: '/v1/messages/:id',
      summary:
        "A message with its status, each recipient's delivery (accepted, deferred with its reply, bounced, suppressed, …) and the event timeline.",
      scope: 'read',
      tags,
      response: {
        200: messageViewSchema.extend({
          deliveries: z.array(deliveryViewSchema),
          events: z.array(eventViewSchema),
        }),
      },
    },
    handle: getMessage,
  },
  {
    doc: {
      method: 'get',
      path: '/v1/messages/:id/raw',
      summary: 'The MIME message as sent (message/rfc822).',
      scope: 'read',
      tags,
      response: { 200: { description: 'RFC 5322 message', contentType: 'message/rfc822' } },
    },
    handle: getRaw,
  },
  {
    doc: {
      method: 'post',
      path: '/v1/messages/:id/cancel',
      summary: 'Cancel a scheduled, queued or deferred message (409 otherwise).',
      scope: 'send',
      tags,
      response: { 200: sendResultSchema },
    },
    handle: cancel,
  },
  {
    doc: {
      method: 'post',
      path: '/v1/messages/:id/retry',
      summary:
        'Re-queue a failed, expired, bounced or partially sent message with a new attempt series, for the recipients that did not get it.',
      scope: 'send',
      tags,
      response: { 202: sendResultSchema },
    },
    handle: retry,
  },
  {
    doc: {
      method: 'post',
      path: '/v1/batches/:id/resend-failed',
      summary:
        'Re-queue exactly the failed, expired and partially sent messages of a batch (only their recipients that did not get it). List them first with GET /v1/messages?batch_id=…&status=failed,expired,partially_sent.',
      scope: 'send',
      tags,
      response: { 202: z.object({ batch_id: z.string(), requeued: z.array(z.string()) }) },
    },
    handle: resendFailed,
  },
];

export function messagesRouter(
  s: OutboundServices,
  requireScope: RequireScope,
  api: OpenApiRegistry,
): Router {
  return mountRoutes(Router(), s, api, requireScope, routes);
}
