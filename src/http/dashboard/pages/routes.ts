/**
 * Inbound routes in the dashboard: the routes in evaluation order with their match and action,
 * enable/disable and delete, a form to add one, the default action, and the dry run ("where
 * would mail to this address go?"). Every change goes through the route service, so the page
 * refuses what the API refuses, with the same code.
 */
import type { Request, Response } from 'express';
import { AppError, NotFoundError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import { ROUTE_ACTION_TYPES, type InboundRoute } from '../../../domain/inbound/route.js';
import type { PageDeps } from '../page-deps.js';
import { str } from '../page-kit.js';
import type { RouteTable } from '../route-table.js';
import type { RoutesPort } from '../services.js';

const describe = (r: InboundRoute) => ({
  ...r,
  matchText: JSON.stringify(r.match),
  actionText: JSON.stringify(r.action),
  tone: r.enabled ? 'ok' : 'muted',
});

/** A route's action from the form's fields for the chosen type. */
export function actionFromForm(b: Record<string, unknown>): Record<string, unknown> {
  const type = str(b.action);
  if (type === 'webhook') {
    const target = str(b.target).trim();
    return isUuid(target) ? { type, endpoint_id: target } : { type, url: target };
  }
  if (type === 'forward') {
    const to = str(b.target)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return { type, to, mode: b.inline === '1' ? 'inline' : 'attachment' };
  }
  if (type === 'reject')
    return { type, ...(str(b.message).trim() ? { message: str(b.message) } : {}) };
  if (type === 'checkins') return { type, team_id: str(b.target).trim() };
  return { type };
}

function matchFromForm(b: Record<string, unknown>): Record<string, unknown> {
  const pattern = (v: string) =>
    v.startsWith('/') && v.endsWith('/') && v.length > 2 ? { regex: v.slice(1, -1) } : v;
  const header = str(b.header).trim();
  const colon = header.indexOf(':');
  return Object.fromEntries(
    Object.entries({
      recipient: str(b.recipient).trim() ? pattern(str(b.recipient).trim()) : undefined,
      sender: str(b.sender).trim() ? pattern(str(b.sender).trim()) : undefined,
      subject: str(b.subject).trim() ? { contains: str(b.subject).trim() } : undefined,
      headers:
        colon > 0
          ? [{ name: header.slice(0, colon).trim(), contains: header.slice(colon + 1).trim() }]
          : undefined,
    }).filter(([, v]) => v !== undefined),
  );
}

/** A refused change goes back to the page with the reason, not to an error page. */
async function attempt(p: PageDeps, res: Response, ok: string, fn: () => Promise<string | void>) {
  try {
    const extra = await fn();
    p.kit.redirectWith(res, '/routes', extra ? `${ok} ${extra}` : ok);
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    p.kit.redirectWith(res, '/routes', `${err.code}: ${err.message}`, 'error');
  }
}

async function page(p: PageDeps, s: RoutesPort, req: Request, res: Response) {
  const to = str(req.query.to).trim();
  const [routes, fallback] = await Promise.all([s.list(), s.getDefault()]);
  let test: unknown = null;
  if (to) {
    const from = str(req.query.from).trim();
    const subject = str(req.query.subject);
    test = await s.test({ to, ...(from ? { from } : {}), subject }).catch((err: unknown) => {
      if (err instanceof AppError && err.status < 500) return { error: err.message };
      throw err;
    });
  }
  p.kit.render(
    req,
    res,
    'routes',
    { title: 'Routes', nav: 'routes' },
    {
      routes: routes.map(describe),
      fallback: describe(fallback),
      builtIn: fallback.id === '00000000-0000-0000-0000-000000000000',
      actions: ROUTE_ACTION_TYPES,
      query: { to, from: str(req.query.from), subject: str(req.query.subject) },
      test,
    },
  );
}

const routeId = (v: unknown): string => {
  const id = String(v);
  if (!isUuid(id)) throw new NotFoundError('route_not_found', 'No such route');
  return id;
};

export function registerRoutePages(t: RouteTable, p: PageDeps, s: RoutesPort): void {
  t.get('/routes', 'admin', (req, res) => page(p, s, req, res));
  t.post('/routes', 'admin', 'form', (req, res) =>
    attempt(p, res, 'Route added.', async () => {
      const b = req.body as Record<string, unknown>;
      const priority = Number(str(b.priority) || '100');
      const saved = await s.create({
        ...(str(b.name).trim() ? { name: str(b.name).trim() } : {}),
        priority: Number.isInteger(priority) ? priority : 100,
        match: matchFromForm(b),
        action: actionFromForm(b),
      });
      if (saved.webhookSecret)
        return `Its webhook signing secret (shown once): ${saved.webhookSecret}`;
    }),
  );
  t.post('/routes/default', 'admin', 'form', (req, res) =>
    attempt(p, res, 'Default action saved.', async () => {
      const b = req.body as Record<string, unknown>;
      if (str(b.action) === 'built-in') await s.clearDefault();
      else await s.setDefault({ action: actionFromForm(b) });
    }),
  );
  t.post('/routes/:id/toggle', 'admin', 'form', (req, res) =>
    attempt(p, res, 'Route updated.', async () => {
      await s.update(routeId(req.params.id), { enabled: str(req.body.enabled) === '1' });
    }),
  );
  t.post('/routes/:id/delete', 'admin', 'form', (req, res) =>
    attempt(p, res, 'Route deleted.', () => s.remove(routeId(req.params.id))),
  );
}
