/**
 * The endpoints to fuzz, read from the running app rather than listed by hand: every route the
 * express router serves under /inbound, /events and /v1, joined with the OpenAPI document for
 * the request body schema. A route another feature adds is fuzzed as soon as it is mounted.
 */
import type { Express } from 'express';

export interface Endpoint {
  method: string;
  /** Express-style path (`/v1/messages/:id`). */
  path: string;
  /** The JSON Schema of the request body, when the OpenAPI document has one. */
  schema?: Record<string, unknown>;
  contentType?: string;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

const FUZZED = /^\/(inbound|events|v1)\//;

function walk(stack: Layer[], prefix: string, out: Endpoint[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const p of paths) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method !== '_all') out.push({ method: method.toUpperCase(), path: prefix + p });
        }
      }
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      walk(layer.handle.stack, prefix + mount, out);
    }
  }
}

export type OpenApi = {
  paths: Record<
    string,
    Record<
      string,
      { requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> } }
    >
  >;
};

export function listEndpoints(app: Express, openapi: OpenApi): Endpoint[] {
  const routed: Endpoint[] = [];
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', routed);
  const byKey = new Map<string, Endpoint>();
  for (const e of routed) if (FUZZED.test(e.path)) byKey.set(`${e.method} ${e.path}`, e);
  for (const [docPath, ops] of Object.entries(openapi.paths)) {
    const path = docPath.replace(/\{([A-Za-z_]+)\}/g, ':$1');
    for (const [method, op] of Object.entries(ops)) {
      const key = `${method.toUpperCase()} ${path}`;
      const [contentType, body] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      const found = byKey.get(key) ?? { method: method.toUpperCase(), path };
      byKey.set(key, {
        ...found,
        ...(body?.schema ? { schema: body.schema } : {}),
        ...(contentType ? { contentType } : {}),
      });
    }
  }
  return [...byKey.values()].sort((a, b) =>
    `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`),
  );
}
