/**
 * Inbound routes as data: create, read, update, delete, the default action, and the table the
 * router reads. Routes live in PostgreSQL; each process keeps them for ROUTE_CACHE_MS and reads
 * them again after, so a change made through any process (API, dashboard, CLI) is seen by every
 * process within seconds, and at once by the process that made it.
 */
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { refuseUnsafeText } from '../../lib/safe-text.js';
import type { InboundRoute, RouteMatch } from '../../domain/inbound/route.js';
import type { Database } from '../ports.js';
import type { InboundRouteRepository, NewInboundRoute } from './ports.js';
import { checkAction, checkMatch, requireParts, type RouteTargets } from './route-checks.js';
import type { RouteSource } from './routing.js';
import {
  defaultRouteSchema,
  routeInputSchema,
  routePatchSchema,
  type RouteActionInput,
} from './schemas.js';
import type { z } from 'zod';

export const ROUTE_CACHE_MS = 2000;

/** Without a stored default, mail no route matched is refused as before routes existed. */
export const BUILT_IN_DEFAULT: InboundRoute = {
  id: '00000000-0000-0000-0000-000000000000',
  name: 'built-in default',
  priority: 2147483647,
  match: {},
  action: { type: 'reject' },
  enabled: true,
  isDefault: true,
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

export interface RouteServiceDeps {
  db: Database;
  clock: Clock;
  routes: InboundRouteRepository;
  targets: RouteTargets;
  settings: { inboundDomain: string | undefined };
}

interface Cache {
  at: number;
  value: { routes: InboundRoute[]; fallback: InboundRoute };
}

type Deps = RouteServiceDeps & { cache: { value: Cache | null } };

export interface SavedRoute {
  route: InboundRoute;
  webhookSecret?: string;
}

const notFound = (id: string) => new NotFoundError('route_not_found', `No route ${id}`);

/** A body holding text PostgreSQL would refuse (NUL, a lone surrogate) is a 422, not a 500. */
export const refuseUnstorable = refuseUnsafeText;

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  refuseUnstorable(body);
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  throw new ValidationError('Invalid route', {
    issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}

/** A name from the match when none is given: the recipient pattern, or the first criterion. */
function nameFor(match: RouteMatch): string {
  const r = match.recipient ?? match.sender;
  if (typeof r === 'string') return r;
  if (r) return `/${r.regex}/`;
  return match.subject ? 'subject match' : 'header match';
}

async function current(deps: Deps) {
  const cached = deps.cache.value;
  if (cached && deps.clock.now().getTime() - cached.at < ROUTE_CACHE_MS) return cached.value;
  const all = await deps.routes.listRoutes(deps.db);
  const value = {
    routes: all.filter((r) => !r.isDefault),
    fallback: all.find((r) => r.isDefault) ?? BUILT_IN_DEFAULT,
  };
  deps.cache.value = { at: deps.clock.now().getTime(), value };
  return value;
}

const checked = (deps: Deps, action: RouteActionInput) =>
  checkAction(action, deps.targets, deps.settings.inboundDomain);

async function create(deps: Deps, body: unknown): Promise<SavedRoute> {
  requireParts(body, ['match', 'action']);
  const input = parse(routeInputSchema, body);
  checkMatch(input.match);
  const { action, webhookSecret } = await checked(deps, input.action);
  const row: NewInboundRoute = {
    id: newId(deps.clock.now().getTime()),
    name: input.name ?? nameFor(input.match),
    priority: input.priority,
    match: input.match,
    action,
    enabled: input.enabled,
    isDefault: false,
  };
  const route = await deps.routes.insertRoute(deps.db, row, deps.clock.now());
  deps.cache.value = null;
  return { route, ...(webhookSecret ? { webhookSecret } : {}) };
}

async function get(deps: Deps, id: string): Promise<InboundRoute> {
  const r = await deps.routes.getRoute(deps.db, id);
  if (!r || r.isDefault) throw notFound(id);
  return r;
}

async function update(deps: Deps, id: string, body: unknown): Promise<SavedRoute> {
  const patch = parse(routePatchSchema, body);
  await get(deps, id);
  if (patch.match) checkMatch(patch.match);
  const made = patch.action ? await checked(deps, patch.action) : null;
  const { action: _input, ...rest } = patch;
  const route = await deps.routes.updateRoute(
    deps.db,
    id,
    { ...rest, ...(made ? { action: made.action } : {}) },
    deps.clock.now(),
  );
  if (!route) throw notFound(id);
  deps.cache.value = null;
  return { route, ...(made?.webhookSecret ? { webhookSecret: made.webhookSecret } : {}) };
}

async function remove(deps: Deps, id: string): Promise<void> {
  if (!(await deps.routes.deleteRoute(deps.db, id))) throw notFound(id);
  deps.cache.value = null;
}

async function setDefault(deps: Deps, body: unknown): Promise<SavedRoute> {
  requireParts(body, ['action']);
  const input = parse(defaultRouteSchema, body);
  const { action, webhookSecret } = await checked(deps, input.action);
  const row = {
    ...BUILT_IN_DEFAULT,
    id: newId(deps.clock.now().getTime()),
    name: 'default',
    action,
  };
  const route = (await deps.routes.setDefaultRoute(deps.db, row, deps.clock.now()))!;
  deps.cache.value = null;
  return { route, ...(webhookSecret ? { webhookSecret } : {}) };
}

async function clearDefault(deps: Deps): Promise<void> {
  await deps.routes.setDefaultRoute(deps.db, null, deps.clock.now());
  deps.cache.value = null;
}

export function createRouteService(deps: RouteServiceDeps) {
  const d: Deps = { ...deps, cache: { value: null } };
  // The API reads through the cache's loader but never from it: it shows what is stored now.
  const fresh = () => current({ ...d, cache: { value: null } });
  return {
    current: () => current(d),
    list: async () => (await fresh()).routes,
    get: (id: string) => get(d, id),
    create: (body: unknown) => create(d, body),
    update: (id: string, body: unknown) => update(d, id, body),
    remove: (id: string) => remove(d, id),
    /** The stored default, or the built-in one (`isDefault`, nil id). */
    getDefault: async () => (await fresh()).fallback,
    setDefault: (body: unknown) => setDefault(d, body),
    clearDefault: () => clearDefault(d),
  } satisfies RouteSource & Record<string, unknown>;
}

export type RouteService = ReturnType<typeof createRouteService>;
