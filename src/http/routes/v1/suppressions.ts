/** /v1/suppressions: list (filter, keyset by address), add, remove. */
import { jsonBody } from '../../middleware/json-body.js';
import { Router } from 'express';
import { z } from 'zod';
import type { OutboundServices } from '../../../services/outbound/index.js';
import { suppressionInputSchema } from '../../../services/outbound/schemas.js';
import type { RequireScope } from '../../middleware/api-key-auth.js';
import type { OpenApiRegistry } from '../../openapi/registry.js';
import { parseOr422 } from './validate.js';
import { suppressionView } from './views.js';

const listQuery = z
  .object({
    address: z.string().max(320).optional(),
    reason: z.enum(['bounce', 'complaint', 'unsubscribe', 'manual']).optional(),
    cursor: z.string().max(320).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();
const view = z.object({
  address: z.string(),
  scope: z.string(),
  reason: z.string(),
  source_message_id: z.string().nullable(),
  detail: z.string().nullable(),
  created_at: z.string(),
});
const deleteQuery = z.object({ scope: z.enum(['all', 'broadcast']).optional() }).strict();

export function suppressionsRouter(
  s: OutboundServices,
  requireScope: RequireScope,
  api: OpenApiRegistry,
): Router {
  const r = Router();
  const json = jsonBody('100kb');

  api.registerRoute({
    method: 'get',
    path: '/v1/suppressions',
    summary: 'List suppressed addresses.',
    scope: 'read',
    tags: ['suppressions'],
    request: { query: listQuery },
    response: { 200: z.object({ data: z.array(view), next_cursor: z.string().nullable() }) },
  });
  r.get('/v1/suppressions', requireScope('read'), async (req, res) => {
    const q = parseOr422(listQuery, req.query, 'query');
    const list = await s.suppressions.list({
      address: q.address,
      reason: q.reason,
      after: q.cursor,
      limit: q.limit + 1,
    });
    const more = list.length > q.limit;
    const page = more ? list.slice(0, q.limit) : list;
    res.json({
      data: page.map(suppressionView),
      next_cursor: more ? page[page.length - 1]!.address : null,
    });
  });

  api.registerRoute({
    method: 'post',
    path: '/v1/suppressions',
    summary:
      'Suppress an address (reason bounce|complaint|unsubscribe|manual, scope all|broadcast).',
    scope: 'admin',
    tags: ['suppressions'],
    request: { body: suppressionInputSchema },
    response: { 201: z.object({ address: z.string(), scope: z.string(), created: z.boolean() }) },
  });
  r.post('/v1/suppressions', requireScope('admin'), json, async (req, res) => {
    const body = parseOr422(suppressionInputSchema, req.body, 'suppression');
    const { created } = await s.suppressions.add(body);
    res
      .status(created ? 201 : 200)
      .json({ address: body.address.toLowerCase(), scope: body.scope, created });
  });

  api.registerRoute({
    method: 'delete',
    path: '/v1/suppressions/:address',
    summary: 'Remove a suppression (?scope= to remove one scope only).',
    scope: 'admin',
    tags: ['suppressions'],
    request: { query: deleteQuery },
    response: { 204: { description: 'Removed' } },
  });
  r.delete('/v1/suppressions/:address', requireScope('admin'), async (req, res) => {
    const q = parseOr422(deleteQuery, req.query, 'query');
    const address = Array.isArray(req.params.address)
      ? req.params.address[0]!
      : req.params.address!;
    await s.suppressions.remove(address, q.scope);
    res.status(204).end();
  });
  return r;
}
