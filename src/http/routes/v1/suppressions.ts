/** /v1/suppressions: list (filter, keyset by address), add, remove. */
import { jsonBody } from '../../middleware/json-body.js';
import { Router, type Request as Req, type Response as Res } from 'express';
import { z } from 'zod';
import type { OutboundServices } from '../../../services/outbound/index.js';
import { suppressionInputSchema } from '../../../services/outbound/schemas.js';
import type { RequireScope } from '../../middleware/api-key-auth.js';
import type { OpenApiRegistry } from '../../openapi/registry.js';
import { mountRoutes, param, type V1Route } from './route-table.js';
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

const json = jsonBody('100kb');

async function list(s: OutboundServices, req: Req, res: Res) {
  const q = parseOr422(listQuery, req.query, 'query');
  const found = await s.suppressions.list({
    address: q.address,
    reason: q.reason,
    after: q.cursor,
    limit: q.limit + 1,
  });
  const more = found.length > q.limit;
  const page = more ? found.slice(0, q.limit) : found;
  res.json({
    data: page.map(suppressionView),
    next_cursor: more ? page[page.length - 1]!.address : null,
  });
}

async function add(s: OutboundServices, req: Req, res: Res) {
  const body = parseOr422(suppressionInputSchema, req.body, 'suppression');
  const { created } = await s.suppressions.add(body);
  res
    .status(created ? 201 : 200)
    .json({ address: body.address.toLowerCase(), scope: body.scope, created });
}

async function remove(s: OutboundServices, req: Req, res: Res) {
  const q = parseOr422(deleteQuery, req.query, 'query');
  await s.suppressions.remove(param(req.params.address)!, q.scope);
  res.status(204).end();
}

const tags = ['suppressions'];

const routes: Array<V1Route<OutboundServices>> = [
  {
    doc: {
      method: 'get',
      path: '/v1/suppressions',
      summary: 'List suppressed addresses.',
      scope: 'read',
      tags,
      request: { query: listQuery },
      response: { 200: z.object({ data: z.array(view), next_cursor: z.string().nullable() }) },
    },
    handle: list,
  },
  {
    doc: {
      method: 'post',
      path: '/v1/suppressions',
      summary:
        'Suppress an address (reason bounce|complaint|unsubscribe|manual, scope all|broadcast).',
      scope: 'admin',
      tags,
      request: { body: suppressionInputSchema },
      response: { 201: z.object({ address: z.string(), scope: z.string(), created: z.boolean() }) },
    },
    before: [json],
    handle: add,
  },
  {
    doc: {
      method: 'delete',
      path: '/v1/suppressions/:address',
      summary: 'Remove a suppression (?scope= to remove one scope only).',
      scope: 'admin',
      tags,
      request: { query: deleteQuery },
      response: { 204: { description: 'Removed' } },
    },
    handle: remove,
  },
];

export function suppressionsRouter(
  s: OutboundServices,
  requireScope: RequireScope,
  api: OpenApiRegistry,
): Router {
  return mountRoutes(Router(), s, api, requireScope, routes);
}
