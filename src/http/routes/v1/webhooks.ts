/**
 * /v1/webhooks: register ({url, events[]}; the signing secret is shown once), list (with the
 * disabled state), delete, re-enable, recent deliveries with every attempt, manual redelivery.
 */
import { jsonBody } from '../../middleware/json-body.js';
import { Router } from 'express';
import { z } from 'zod';
import { ValidationError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import type { OutboundServices } from '../../../services/outbound/index.js';
import { webhookInputSchema } from '../../../services/outbound/schemas.js';
import type { RequireScope } from '../../middleware/api-key-auth.js';
import type { OpenApiRegistry } from '../../openapi/registry.js';
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

export function webhooksRouter(
  s: OutboundServices,
  requireScope: RequireScope,
  api: OpenApiRegistry,
): Router {
  const r = Router();
  const json = jsonBody('100kb');
  const id = (v: string | string[] | undefined) => {
    const x = Array.isArray(v) ? v[0] : v;
    if (!x || !isUuid(x)) throw new ValidationError('Not an id', { id: x }, 'invalid_id');
    return x;
  };

  api.registerRoute({
    method: 'post',
    path: '/v1/webhooks',
    summary:
      'Register a webhook endpoint; deliveries are signed per Standard Webhooks with the returned secret.',
    scope: 'admin',
    tags: ['webhooks'],
    request: { body: webhookInputSchema },
    response: { 201: view },
  });
  r.post('/v1/webhooks', requireScope('admin'), json, async (req, res) => {
    const body = parseOr422(webhookInputSchema, req.body, 'webhook');
    res.status(201).json(webhookView(await s.webhooks.create(body), true));
  });

  api.registerRoute({
    method: 'get',
    path: '/v1/webhooks',
    summary: 'List webhook endpoints (disabled ones say why).',
    scope: 'admin',
    tags: ['webhooks'],
    response: { 200: z.object({ data: z.array(view) }) },
  });
  r.get('/v1/webhooks', requireScope('admin'), async (_req, res) => {
    res.json({ data: (await s.webhooks.list()).map((w) => webhookView(w)) });
  });

  api.registerRoute({
    method: 'delete',
    path: '/v1/webhooks/:id',
    summary: 'Delete a webhook endpoint.',
    scope: 'admin',
    tags: ['webhooks'],
    response: { 204: { description: 'Deleted' } },
  });
  r.delete('/v1/webhooks/:id', requireScope('admin'), async (req, res) => {
    await s.webhooks.remove(id(req.params.id));
    res.status(204).end();
  });

  api.registerRoute({
    method: 'post',
    path: '/v1/webhooks/:id/enable',
    summary: 'Re-enable an endpoint that was switched off after repeated failures.',
    scope: 'admin',
    tags: ['webhooks'],
    response: { 204: { description: 'Enabled' } },
  });
  r.post('/v1/webhooks/:id/enable', requireScope('admin'), async (req, res) => {
    await s.webhooks.enable(id(req.params.id));
    res.status(204).end();
  });

  api.registerRoute({
    method: 'get',
    path: '/v1/webhooks/:id/deliveries',
    summary: 'Recent deliveries of an endpoint, each with every attempt.',
    scope: 'admin',
    tags: ['webhooks'],
    response: { 200: z.object({ data: z.array(z.unknown()) }) },
  });
  r.get('/v1/webhooks/:id/deliveries', requireScope('admin'), async (req, res) => {
    const list = await s.webhooks.deliveries(id(req.params.id), 100);
    res.json({
      data: list.map((d) => ({
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
      })),
    });
  });

  api.registerRoute({
    method: 'post',
    path: '/v1/webhooks/:id/deliveries/:deliveryId/retry',
    summary: 'Deliver again now.',
    scope: 'admin',
    tags: ['webhooks'],
    response: { 202: { description: 'Queued' } },
  });
  r.post(
    '/v1/webhooks/:id/deliveries/:deliveryId/retry',
    requireScope('admin'),
    async (req, res) => {
      await s.webhooks.redeliver(id(req.params.id), id(req.params.deliveryId));
      res.status(202).json({ status: 'queued' });
    },
  );
  return r;
}
