/** Walks an express 5 app's router stack and lists every (method, path) route it serves. */
import type { Express } from 'express';

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  name?: string;
  matchers?: unknown[];
  path?: string;
}

export interface WalkedRoute {
  method: string;
  path: string;
}

export function walkRoutes(app: Express): WalkedRoute[] {
  const out: WalkedRoute[] = [];
  const visit = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          for (const [m, on] of Object.entries(layer.route.methods))
            if (on && m !== '_all') out.push({ method: m, path: p });
        }
      } else if (layer.handle?.stack) {
        visit(layer.handle.stack);
      }
    }
  };
  visit((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}

/** Fills `:param` segments with a well-formed value so the route itself is what answers. */
export function concretePath(path: string): string {
  return path.replace(/:(\w+)/g, (_m, name: string) =>
    /id$/i.test(name)
      ? '0190a0b0-0000-7000-8000-000000000000'
      : /date/i.test(name)
        ? '2026-11-24'
        : 'x',
  );
}
