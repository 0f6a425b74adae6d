/**
 * GET /v1/keys/:id/usage: sends today, this month and per stream against the key's daily
 * quota. A key may read its own usage with the read scope; any key's needs admin.
 */
import { Router, type Request as Req, type Response as Res } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../../../lib/errors.js';
import type { OutboundServices } from '../../../services/outbound/index.js';
import type { ApiKeyUsage } from '../../../services/outbound/key-usage.js';
import type { RequireScope } from '../../middleware/api-key-auth.js';
import type { OpenApiRegistry } from '../../openapi/registry.js';
import { mountRoutes, uuidParam, type V1Route } from './route-table.js';

const usageView = z.object({
  key_id: z.string(),
  today: z.number().int(),
  month: z.number().int(),
  by_stream: z.array(z.object({ stream: z.string(), today: z.number(), month: z.number() })),
  daily_quota: z.number().int().nullable(),
  remaining_today: z.number().int().nullable(),
  near_quota: z.boolean(),
  quota_reached: z.boolean(),
  period: z.object({ day_start: z.string(), month_start: z.string() }),
});

export function keyUsageView(u: ApiKeyUsage): z.infer<typeof usageView> {
  return {
    key_id: u.keyId,
    today: u.today,
    month: u.month,
    by_stream: u.byStream,
    daily_quota: u.dailyQuota,
    remaining_today: u.remainingToday,
    near_quota: u.nearQuota,
    quota_reached: u.quotaReached,
    period: {
      day_start: u.periods.dayStart.toISOString(),
      month_start: u.periods.monthStart.toISOString(),
    },
  };
}

async function usage(s: OutboundServices, req: Req, res: Res) {
  const id = uuidParam(req.params.id, 'an API key id');
  const caller = req.apiKey!;
  // Another key's usage is admin business; 404 rather than 403, so ids cannot be probed.
  if (caller.id !== id && !caller.scopes.includes('admin'))
    throw new NotFoundError('api_key_not_found', `No API key ${id}`);
  res.json(keyUsageView(await s.apiKeys.usage(id)));
}

const routes: Array<V1Route<OutboundServices>> = [
  {
    doc: {
      method: 'get',
      path: '/v1/keys/:id/usage',
      summary:
        "An API key's sends today and this month, per stream, against its daily quota (its own with read; any with admin).",
      scope: 'read',
      tags: ['keys'],
      response: { 200: usageView },
    },
    handle: usage,
  },
];

export function keysRouter(s: OutboundServices, requireScope: RequireScope, api: OpenApiRegistry) {
  return mountRoutes(Router(), s, api, requireScope, routes);
}
