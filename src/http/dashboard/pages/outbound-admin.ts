/** Suppressions (list, add, remove), webhooks (subscriptions, recent attempts), API keys (create once, revoke). */
import type { Request, Response } from 'express';
import { SUBSCRIBABLE_EVENTS } from '../../../services/outbound/schemas.js';
import { NotFoundError, ValidationError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import type { PageDeps } from '../page-deps.js';
import { str } from '../page-kit.js';
import type { RouteTable } from '../route-table.js';
import type { ApiKeyUsage } from '../../../services/outbound/index.js';
import type { DashboardServices } from '../services.js';
import { statusTone } from '../view-models/status.js';

const REASONS = ['manual', 'bounce', 'complaint', 'unsubscribe'] as const;
const SCOPES = ['all', 'broadcast'] as const;
const API_SCOPES = ['send', 'read', 'admin'] as const;

type Suppressions = NonNullable<DashboardServices['suppressions']>;
type Webhooks = NonNullable<DashboardServices['webhooks']>;
type ApiKeys = NonNullable<DashboardServices['apiKeys']>;

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];

// ---------------------------------------------------------------- suppressions

export function registerSuppressionPages(t: RouteTable, deps: PageDeps, s: Suppressions): void {
  t.get('/suppressions', 'admin', (req, res) => suppressionList(deps, s, req, res));
  t.post('/suppressions', 'admin', 'form', (req, res) => suppress(deps, s, req, res));
  t.post('/suppressions/remove', 'admin', 'form', (req, res) => unsuppress(deps, s, req, res));
}

async function suppressionList(p: PageDeps, s: Suppressions, req: Request, res: Response) {
  const address = str(req.query.address).trim().slice(0, 320);
  const after = str(req.query.after).slice(0, 320);
  const rows = await s.list({
    ...(address ? { address } : {}),
    ...(after ? { after } : {}),
    limit: p.pageSize,
  });
  p.kit.render(
    req,
    res,
    'suppressions',
    { title: 'Suppressions', nav: 'suppressions' },
    {
      address,
      rows,
      reasons: REASONS,
      scopes: SCOPES,
      nextHref:
        rows.length === p.pageSize
          ? `/suppressions?${new URLSearchParams({ ...(address ? { address } : {}), after: rows.at(-1)!.address })}`
          : null,
    },
  );
}

async function suppress(p: PageDeps, s: Suppressions, req: Request, res: Response) {
  const address = str(req.body.address).trim();
  const reason = REASONS.find((r) => r === req.body.reason) ?? 'manual';
  const scope = SCOPES.find((r) => r === req.body.scope) ?? 'all';
  if (!address.includes('@'))
    throw new ValidationError('Enter an email address', undefined, 'invalid_address');
  const r = await s.add({ address, reason, scope, detail: 'added in the dashboard' });
  p.kit.redirectWith(
    res,
    '/suppressions',
    r.created ? `${address} suppressed.` : `${address} was already suppressed.`,
  );
}

async function unsuppress(p: PageDeps, s: Suppressions, req: Request, res: Response) {
  const address = str(req.body.address).trim();
  const scope = SCOPES.find((r) => r === req.body.scope) ?? 'all';
  await s.remove(address, scope);
  p.kit.redirectWith(res, '/suppressions', `${address} removed from the suppression list.`);
}

// ---------------------------------------------------------------- webhooks

export function registerWebhookPages(t: RouteTable, deps: PageDeps, w: Webhooks): void {
  t.get('/webhooks', 'admin', (req, res) => webhookList(deps, w, req, res));
  t.post('/webhooks', 'admin', 'form', (req, res) => createWebhook(deps, w, req, res));
  t.get('/webhooks/:id', 'admin', (req, res) => webhookPage(deps, w, req, res));
  t.post('/webhooks/:id/enable', 'admin', 'form', (req, res) => enableWebhook(deps, w, req, res));
  t.post('/webhooks/:id/delete', 'admin', 'form', (req, res) => deleteWebhook(deps, w, req, res));
  t.post('/webhooks/:id/deliveries/:deliveryId/redeliver', 'admin', 'form', (req, res) =>
    redeliver(deps, w, req, res),
  );
}

const endpointId = (v: unknown): string => {
  const id = String(v);
  if (!isUuid(id)) throw new NotFoundError('webhook_not_found', 'No such webhook');
  return id;
};

async function webhookList(p: PageDeps, w: Webhooks, req: Request, res: Response) {
  const endpoints = await w.list();
  p.kit.render(
    req,
    res,
    'webhooks',
    { title: 'Webhooks', nav: 'webhooks' },
    {
      endpoints: endpoints.map((e) => ({ ...e, tone: e.enabled ? 'ok' : 'bad' })),
      events: SUBSCRIBABLE_EVENTS,
    },
  );
}

async function createWebhook(p: PageDeps, w: Webhooks, req: Request, res: Response) {
  const events = list(req.body.events);
  const e = await w.create({ url: str(req.body.url).trim(), events });
  p.kit.redirectWith(
    res,
    `/webhooks/${e.id}`,
    'Webhook created. Verify deliveries with the signing secret below.',
  );
}

async function webhookPage(p: PageDeps, w: Webhooks, req: Request, res: Response) {
  const id = endpointId(req.params.id);
  const [endpoint, deliveries] = await Promise.all([w.get(id), w.deliveries(id, 50)]);
  p.kit.render(
    req,
    res,
    'webhook',
    { title: 'Webhook', nav: 'webhooks' },
    {
      e: endpoint,
      deliveries: deliveries.map((d) => ({
        ...d,
        tone: statusTone(d.status === 'delivered' ? 'delivered' : d.status),
      })),
    },
  );
}

async function enableWebhook(p: PageDeps, w: Webhooks, req: Request, res: Response) {
  const id = endpointId(req.params.id);
  await w.enable(id);
  p.kit.redirectWith(res, `/webhooks/${id}`, 'Webhook enabled.');
}

async function deleteWebhook(p: PageDeps, w: Webhooks, req: Request, res: Response) {
  await w.remove(endpointId(req.params.id));
  p.kit.redirectWith(res, '/webhooks', 'Webhook deleted.');
}

async function redeliver(p: PageDeps, w: Webhooks, req: Request, res: Response) {
  const id = endpointId(req.params.id);
  const deliveryId = String(req.params.deliveryId);
  if (!isUuid(deliveryId)) throw new NotFoundError('delivery_not_found', 'No such delivery');
  await w.redeliver(id, deliveryId);
  p.kit.redirectWith(res, `/webhooks/${id}`, 'Delivery queued again.');
}

// ---------------------------------------------------------------- API keys

export function registerApiKeyPages(t: RouteTable, deps: PageDeps, k: ApiKeys): void {
  t.get('/api-keys', 'admin', (req, res) => apiKeyList(deps, k, req, res, null));
  t.post('/api-keys', 'admin', 'form', (req, res) => createApiKey(deps, k, req, res));
  t.post('/api-keys/:id/revoke', 'admin', 'form', (req, res) => revokeApiKey(deps, k, req, res));
}

async function apiKeyList(
  p: PageDeps,
  k: ApiKeys,
  req: Request,
  res: Response,
  created: { key: string; name: string } | null,
) {
  const [keys, usage] = await Promise.all([k.list(), k.usageOfAll()]);
  p.kit.render(
    req,
    res,
    'api-keys',
    { title: 'API keys', nav: 'api-keys' },
    {
      keys: keys.map((x) => ({
        ...x,
        tone: x.revokedAt ? 'bad' : 'ok',
        state: x.revokedAt ? 'revoked' : 'active',
        usage: usageCell(usage.get(x.id)),
      })),
      scopes: API_SCOPES,
      created,
    },
  );
}

/** Today against the quota, the month, per stream; near the quota (80 %) it warns. */
function usageCell(u: ApiKeyUsage | undefined) {
  if (!u) return null;
  return {
    ...u,
    tone: u.quotaReached ? 'bad' : u.nearQuota ? 'warn' : '',
    warning: u.quotaReached ? 'quota reached' : u.nearQuota ? 'near quota' : null,
    streams: u.byStream.map((b) => `${b.stream} ${b.month}`).join(', '),
  };
}

/** The secret is rendered in this one response and never stored: only its hash is kept. */
async function createApiKey(p: PageDeps, k: ApiKeys, req: Request, res: Response) {
  const scopes = list(req.body.scopes).filter((s) => (API_SCOPES as readonly string[]).includes(s));
  const quota = Number(str(req.body.daily_quota));
  const { key, record } = await k.create({
    name: str(req.body.name).trim(),
    scopes: scopes.length ? scopes : ['send'],
    ...(Number.isInteger(quota) && quota > 0 ? { dailyQuota: quota } : {}),
    replyTracking: str(req.body.reply_tracking) === '1',
  });
  res.status(201);
  await apiKeyList(p, k, req, res, { key, name: record.name });
}

async function revokeApiKey(p: PageDeps, k: ApiKeys, req: Request, res: Response) {
  const id = String(req.params.id);
  if (!isUuid(id) || !(await k.revoke(id)))
    throw new NotFoundError('api_key_not_found', 'No such active key');
  p.kit.redirectWith(res, '/api-keys', 'Key revoked.');
}
