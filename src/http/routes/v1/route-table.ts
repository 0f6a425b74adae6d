/**
 * A /v1 router as data: each route is its OpenAPI doc (the same zod schemas it validates with),
 * the middleware after authentication, and a named handler. `mountRoutes` registers the doc and
 * mounts the route behind `requireScope(doc.scope)`, so the documented scope is the enforced one.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import type { ApiScope } from '../../../domain/outbound/message.js';
import { ValidationError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import type { RequireScope } from '../../middleware/api-key-auth.js';
import type { OpenApiRegistry, RouteDoc } from '../../openapi/registry.js';

export interface V1Route<S> {
  doc: RouteDoc & { scope: ApiScope };
  /** Body parsers and the like, run after authentication. */
  before?: RequestHandler[];
  handle(s: S, req: Request, res: Response): Promise<void> | void;
}

export function mountRoutes<S>(
  r: Router,
  s: S,
  api: OpenApiRegistry,
  requireScope: RequireScope,
  routes: ReadonlyArray<V1Route<S>>,
): Router {
  for (const route of routes) {
    api.registerRoute(route.doc);
    r[route.doc.method](
      route.doc.path,
      requireScope(route.doc.scope),
      ...(route.before ?? []),
      (req: Request, res: Response) => route.handle(s, req, res),
    );
  }
  return r;
}

/** A path parameter as one string (express 5 types repeated ones as arrays). */
export function param(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** A path parameter that must be a UUID, or a 422 `invalid_id`. */
export function uuidParam(v: string | string[] | undefined, what = 'an id'): string {
  const x = param(v);
  if (!x || !isUuid(x)) throw new ValidationError(`Not ${what}`, { id: x }, 'invalid_id');
  return x;
}
