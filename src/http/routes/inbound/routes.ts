/**
 * /v1/routes: inbound routes as data. Create, list, read, change, delete; the default action for
 * mail no route matched (GET/PUT/DELETE /v1/routes/default); and a dry run
 * (POST /v1/routes/test) that shows which rule a given address and header set would take.
 * Writes need the `admin` scope, reads and the dry run `read`. A route that cannot work (a bad
 * pattern or regex, a private webhook URL, no action) is a 422 with a code saying why.
 */
import { Router, type Request as Req, type Response as Res } from 'express';
import { z } from 'zod';
import type { InboundRoute } from '../../../domain/inbound/route.js';
import type { RouteTestResult } from '../../../services/inbound/route-test.js';
import {
  BUILT_IN_DEFAULT,
  type RouteService,
  type SavedRoute,
} from '../../../services/inbound/routes.js';
import { INBOUND_RECEIVED } from '../../../services/inbound/payload.js';
import {
  defaultRouteSchema,
  inbandAnswerSchema,
  inboundReceivedSchema,
  routeInputSchema,
  routePatchSchema,
  routeTestResultSchema,
  routeTestSchema,
  routeViewSchema,
} from '../../../services/inbound/schemas.js';
import { jsonBody } from '../../middleware/json-body.js';
import type { RequireScope } from '../../middleware/api-key-auth.js';
import type { OpenApiRegistry } from '../../openapi/registry.js';
import { mountRoutes, uuidParam, type V1Route } from '../v1/route-table.js';

export interface RoutesApi {
  routes: RouteService;
  test(body: unknown): Promise<RouteTestResult>;
}

const json = jsonBody('100kb');
const routeId = (req: Req) => uuidParam(req.params.id, 'a route id');

export function routeView(r: InboundRoute, secret?: string) {
  return {
    id: r.id,
    object: 'inbound_route' as const,
    name: r.name,
    priority: r.priority,
    match: r.match,
    action: r.action,
    enabled: r.enabled,
    default: r.isDefault,
    built_in: r.id === BUILT_IN_DEFAULT.id,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    ...(secret ? { webhook_secret: secret } : {}),
  };
}

const saved = (s: SavedRoute) => routeView(s.route, s.webhookSecret);

function testView(r: RouteTestResult) {
  return {
    decision: r.decision,
    mailbox: r.mailbox,
    route: r.route ? routeView(r.route) : null,
    action: r.route?.action ?? null,
    token: r.token,
    thread: r.thread,
    regex_timed_out: r.regexTimedOut,
  };
}

const handlers = {
  create: async (s: RoutesApi, req: Req, res: Res) => {
    res.status(201).json(saved(await s.routes.create(req.body)));
  },
  list: async (s: RoutesApi, _req: Req, res: Res) => {
    const [routes, fallback] = await Promise.all([s.routes.list(), s.routes.getDefault()]);
    res.json({
      object: 'list',
      data: routes.map((r) => routeView(r)),
      default: routeView(fallback),
    });
  },
  get: async (s: RoutesApi, req: Req, res: Res) => {
    res.json(routeView(await s.routes.get(routeId(req))));
  },
  update: async (s: RoutesApi, req: Req, res: Res) => {
    res.json(saved(await s.routes.update(routeId(req), req.body)));
  },
  remove: async (s: RoutesApi, req: Req, res: Res) => {
    await s.routes.remove(routeId(req));
    res.status(204).end();
  },
  getDefault: async (s: RoutesApi, _req: Req, res: Res) => {
    res.json(routeView(await s.routes.getDefault()));
  },
  setDefault: async (s: RoutesApi, req: Req, res: Res) => {
    res.json(saved(await s.routes.setDefault(req.body)));
  },
  clearDefault: async (s: RoutesApi, _req: Req, res: Res) => {
    await s.routes.clearDefault();
    res.status(204).end();
  },
  test: async (s: RoutesApi, req: Req, res: Res) => {
    res.json(testView(await s.test(req.body)));
  },
};

const tags = ['routes'];
const bad = {
  422: {
    description:
      'invalid_pattern, invalid_regex, unsafe_regex, webhook_url_refused, action_required, match_required, …',
  },
};
const list = z.object({
  object: z.literal('list'),
  data: z.array(routeViewSchema),
  default: routeViewSchema,
});

const routes: Array<V1Route<RoutesApi>> = [
  {
    doc: {
      method: 'post',
      path: '/v1/routes/test',
      summary:
        'Dry run: which rule (reply token, thread, route, default) a message with these addresses and headers would take.',
      scope: 'read',
      tags,
      request: { body: routeTestSchema },
      response: { 200: routeTestResultSchema },
    },
    before: [json],
    handle: handlers.test,
  },
  {
    doc: {
      method: 'get',
      path: '/v1/routes/default',
      summary: 'The default action for mail no route matched (built-in: reject as unroutable).',
      scope: 'read',
      tags,
      response: { 200: routeViewSchema },
    },
    handle: handlers.getDefault,
  },
  {
    doc: {
      method: 'put',
      path: '/v1/routes/default',
      summary: 'Set the default action.',
      scope: 'admin',
      tags,
      request: { body: defaultRouteSchema },
      response: { 200: routeViewSchema, ...bad },
    },
    before: [json],
    handle: handlers.setDefault,
  },
  {
    doc: {
      method: 'delete',
      path: '/v1/routes/default',
      summary: 'Back to the built-in default.',
      scope: 'admin',
      tags,
      response: { 204: { description: 'Cleared' } },
    },
    handle: handlers.clearDefault,
  },
  {
    doc: {
      method: 'post',
      path: '/v1/routes',
      summary:
        'Create a route: priority (lower first), match, action. A webhook action with a url gets its own endpoint; its signing secret is returned once as webhook_secret.',
      scope: 'admin',
      tags,
      request: { body: routeInputSchema },
      response: { 201: routeViewSchema, ...bad },
    },
    before: [json],
    handle: handlers.create,
  },
  {
    doc: {
      method: 'get',
      path: '/v1/routes',
      summary: 'Routes in evaluation order, and the default.',
      scope: 'read',
      tags,
      response: { 200: list },
    },
    handle: handlers.list,
  },
  {
    doc: {
      method: 'get',
      path: '/v1/routes/:id',
      summary: 'One route.',
      scope: 'read',
      tags,
      response: { 200: routeViewSchema, 404: { description: 'route_not_found' } },
    },
    handle: handlers.get,
  },
  {
    doc: {
      method: 'patch',
      path: '/v1/routes/:id',
      summary: 'Change a route (any of name, priority, match, action, enabled).',
      scope: 'admin',
      tags,
      request: { body: routePatchSchema },
      response: { 200: routeViewSchema, ...bad },
    },
    before: [json],
    handle: handlers.update,
  },
  {
    doc: {
      method: 'delete',
      path: '/v1/routes/:id',
      summary: 'Delete a route.',
      scope: 'admin',
      tags,
      response: { 204: { description: 'Deleted' } },
    },
    handle: handlers.remove,
  },
];

/** What a route's webhook action (and reply tracking) POSTs: documented as an OpenAPI webhook. */
function documentWebhook(api: OpenApiRegistry): void {
  api.registerWebhook({
    name: INBOUND_RECEIVED,
    summary: 'A message reached an inbound route (or answered one of your messages)',
    description:
      'Signed per Standard Webhooks; retried on WEBHOOK_RETRY_SCHEDULE; thin (no bodies, a signed payload_url) above INBOUND_WEBHOOK_MAX_PAYLOAD_BYTES. Answer 2xx with {"reply": {...}} to reply in the same thread. See docs/inbound.md.',
    payload: inboundReceivedSchema,
    answer: inbandAnswerSchema,
  });
}

export function routesRouter(
  s: RoutesApi,
  requireScope: RequireScope,
  api: OpenApiRegistry,
): Router {
  documentWebhook(api);
  return mountRoutes(Router(), s, api, requireScope, routes);
}
