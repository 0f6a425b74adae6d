/**
 * /v1/webhooks: register ({url, events[]}; the signing secret is shown once), list (with the
 * disabled state), delete, re-enable, recent deliveries with every attempt, manual redelivery.
 */
import { jsonBody } from '../../middleware/json-body.js';
import { Router, type Request as Req, type Response as Res } from 'express';
import { z } from 'zod';
import type { WebhookDelivery } from '../../../domain/outbound/message.js';
import type { OutboundServices } from '../../../services/outbound/index.js';
import { webhookInputSchema } from '../../../services/outbound/schemas.js';
import type { RequireScope } from '../../middleware/api-key-auth.js';
import type { OpenApiRegistry } from '../../openapi/registry.js';
import { mountRoutes, uuidParam, type V1Route } from './route-table.js';
import { parseOr422 } from './validate.js';
import { webhookView } from './views.js';

const view = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  consecutive_failures: z.number(),
  disabled_reason: z.string().nullable(),
  disabled_at: z.string().nullable(),
  created_at: z.string().nullable(),
  secret: z.string().optional(),
});

const json = jsonBody('100kb');
const endpointId = (req: Req) => uuidParam(req.params.id);

function deliveryView(d: WebhookDelivery & { attemptLog: unknown[] }) {
  return {
    id: d.id,
    event_type: d.eventType,
    message_id: d.messageId,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.nextAttemptAt?.toISOString() ?? null,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    created_at: d.createdAt.toISOString(),
    delivered_at: d.deliveredAt?.toISOString() ?? null,
    attempt_log: d.attemptLog,
  };
}

async function register(s: OutboundServices, req: Req, res: Res) {
  const body = parseOr422(webhookInputSchema, req.body, 'webhook');
  res.status(201).json(webhookView(await s.webhooks.create(body), true));
}

async function list(s: OutboundServices, _req: Req, res: Res) {
  res.json({ data: (await s.webhooks.list()).map((w) => webhookView(w)) });
}

async function remove(s: OutboundServices, req: Req, res: Res) {
  await s.webhooks.remove(endpointId(req));
  res.status(204).end();
}

async function enable(s: OutboundServices, req: Req, res: Res) {
  await s.webhooks.enable(endpointId(req));
  res.status(204).end();
}

async function deliveries(s: OutboundServices, req: Req, res: Res) {
  const list = await s.webhooks.deliveries(endpointId(req), 100);
  res.json({ data: list.map(deliveryView) });
}

async function redeliver(s: OutboundServices, req: Req, res: Res) {
  await s.webhooks.redeliver(endpointId(req), uuidParam(req.params.deliveryId));
  res.status(202).json({ status: 'queued' });
}

const tags = ['webhooks'];

const routes: Array<V1Route<OutboundServices>> = [
  {
    doc: {
      method: 'post',
      path: '/v1/webhooks',
      summary:
        'Register a webhook endpoint; deliveries are signed per Standard Webhooks with the returned secret.',
      scope: 'admin',
      tags,
      request: { body: webhookInputSchema },
      response: { 201: view },
    },
    before: [json],
    handle: register,
  },
  {
    doc: {
      method: 'get',
      path: '/v1/webhooks',
      summary: 'List webhook endpoints (disabled ones say why).',
      scope: 'admin',
      tags,
      response: { 200: z.object({ data: z.array(view) }) },
    },
    handle: list,
  },
  {
    doc: {
      method: 'delete',
      path: '/v1/webhooks/:id',
      summary: 'Delete a webhook endpoint.',
      scope: 'admin',
      tags,
      response: { 204: { description: 'Deleted' } },
    },
    handle: remove,
  },
  {
    doc: {
      method: 'post',
      path: '/v1/webhooks/:id/enable',
      summary: 'Re-enable an endpoint that was switched off after repeated failures.',
      scope: 'admin',
      tags,
      response: { 204: { description: 'Enabled' } },
    },
    handle: enable,
  },
  {
    doc: {
      method: 'get',
      path: '/v1/webhooks/:id/deliveries',
      summary: 'Recent deliveries of an endpoint, each with every attempt.',
      scope: 'admin',
      tags,
      response: { 200: z.object({ data: z.array(z.unknown()) }) },
    },
    handle: deliveries,
  },
  {
    doc: {
      method: 'post',
      path: '/v1/webhooks/:id/deliveries/:deliveryId/retry',
      summary: 'Deliver again now.',
      scope: 'admin',
      tags,
      response: { 202: { description: 'Queued' } },
    },
    handle: redeliver,
  },
];

export function webhooksRouter(
  s: OutboundServices,
  requireScope: RequireScope,
  api: OpenApiRegistry,
): Router {
  return mountRoutes(Router(), s, api, requireScope, routes);
}
