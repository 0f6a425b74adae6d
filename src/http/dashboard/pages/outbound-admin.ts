/** Suppressions (list, add, remove), webhooks (subscriptions, recent attempts), API keys (create once, revoke). */
import type { Request, Response } from 'express';
import { WEBHOOK_EVENT_TYPES } from '../../../domain/state/outbound-message.js';
import { NotFoundError, ValidationError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import type { PageDeps } from '../page-deps.js';
import { str } from '../page-kit.js';
import type { RouteTable } from '../route-table.js';
import type { DashboardServices } from '../services.js';
import { statusTone } from '../view-models/status.js';

const REASONS = ['manual', 'bounce', 'complaint', 'unsubscribe'] as const;
const SCOPES = ['all', 'broadcast'] as const;
const API_SCOPES = ['send', 'read', 'admin'] as const;

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];

export function registerSuppressionPages(
  t: RouteTable,
  deps: PageDeps,
  s: NonNullable<DashboardServices['suppressions']>,
): void {
  const { kit } = deps;
  t.get('/suppressions', 'admin', async (req, res) => {
    const address = str(req.query.address).trim().slice(0, 320);
    const after = str(req.query.after).slice(0, 320);
    const rows = await s.list({
      ...(address ? { address } : {}),
      ...(after ? { after } : {}),
      limit: deps.pageSize,
    });
    kit.render(
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
          rows.length === deps.pageSize
            ? `/suppressions?${new URLSearchParams({ ...(address ? { address } : {}), after: rows.at(-1)!.address })}`
            : null,
      },
    );
  });
  t.post('/suppressions', 'admin', 'form', async (req, res) => {
    const address = str(req.body.address).trim();
    const reason = REASONS.find((r) => r === req.body.reason) ?? 'manual';
    const scope = SCOPES.find((r) => r === req.body.scope) ?? 'all';
    if (!address.includes('@'))
      throw new ValidationError('Enter an email address', undefined, 'invalid_address');
    const r = await s.add({ address, reason, scope, detail: 'added in the dashboard' });
    kit.redirectWith(
      res,
      '/suppressions',
      r.created ? `${address} suppressed.` : `${address} was already suppressed.`,
    );
  });
  t.post('/suppressions/remove', 'admin', 'form', async (req, res) => {
    const address = str(req.body.address).trim();
    const scope = SCOPES.find((r) => r === req.body.scope) ?? 'all';
    await s.remove(address, scope);
    kit.redirectWith(res, '/suppressions', `${address} removed from the suppression list.`);
  });
}

export function registerWebhookPages(
  t: RouteTable,
  deps: PageDeps,
  w: NonNullable<DashboardServices['webhooks']>,
): void {
  const { kit } = deps;
  const endpointId = (v: unknown): string => {
    const id = String(v);
    if (!isUuid(id)) throw new NotFoundError('webhook_not_found', 'No such webhook');
    return id;
  };
  t.get('/webhooks', 'admin', async (req, res) => {
    const endpoints = await w.list();
    kit.render(
      req,
      res,
      'webhooks',
      { title: 'Webhooks', nav: 'webhooks' },
      {
        endpoints: endpoints.map((e) => ({ ...e, tone: e.enabled ? 'ok' : 'bad' })),
        events: WEBHOOK_EVENT_TYPES,
      },
    );
  });
  t.post('/webhooks', 'admin', 'form', async (req, res) => {
    const events = list(req.body.events);
    const e = await w.create({ url: str(req.body.url).trim(), events });
    kit.redirectWith(
      res,
      `/webhooks/${e.id}`,
      'Webhook created. Verify deliveries with the signing secret below.',
    );
  });
  t.get('/webhooks/:id', 'admin', async (req, res) => {
    const id = endpointId(req.params.id);
    const [endpoint, deliveries] = await Promise.all([w.get(id), w.deliveries(id, 50)]);
    kit.render(
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
  });
  t.post('/webhooks/:id/enable', 'admin', 'form', async (req, res) => {
    const id = endpointId(req.params.id);
    await w.enable(id);
    kit.redirectWith(res, `/webhooks/${id}`, 'Webhook enabled.');
  });
  t.post('/webhooks/:id/delete', 'admin', 'form', async (req, res) => {
    await w.remove(endpointId(req.params.id));
    kit.redirectWith(res, '/webhooks', 'Webhook deleted.');
  });
  t.post('/webhooks/:id/deliveries/:deliveryId/redeliver', 'admin', 'form', async (req, res) => {
    const id = endpointId(req.params.id);
    const deliveryId = String(req.params.deliveryId);
    if (!isUuid(deliveryId)) throw new NotFoundError('delivery_not_found', 'No such delivery');
    await w.redeliver(id, deliveryId);
    kit.redirectWith(res, `/webhooks/${id}`, 'Delivery queued again.');
  });
}

export function registerApiKeyPages(
  t: RouteTable,
  deps: PageDeps,
  k: NonNullable<DashboardServices['apiKeys']>,
): void {
  const { kit } = deps;
  const show = async (
    req: Request,
    res: Response,
    created: { key: string; name: string } | null,
  ) => {
    const keys = await k.list();
    kit.render(
      req,
      res,
      'api-keys',
      { title: 'API keys', nav: 'api-keys' },
      {
        keys: keys.map((x) => ({
          ...x,
          tone: x.revokedAt ? 'bad' : 'ok',
          state: x.revokedAt ? 'revoked' : 'active',
        })),
        scopes: API_SCOPES,
        created,
      },
    );
  };
  t.get('/api-keys', 'admin', async (req, res) => show(req, res, null));
  // The secret is rendered in this one response and never stored: only its hash is kept.
  t.post('/api-keys', 'admin', 'form', async (req, res) => {
    const scopes = list(req.body.scopes).filter((s) =>
      (API_SCOPES as readonly string[]).includes(s),
    );
    const quota = Number(str(req.body.daily_quota));
    const { key, record } = await k.create({
      name: str(req.body.name).trim(),
      scopes: scopes.length ? scopes : ['send'],
      ...(Number.isInteger(quota) && quota > 0 ? { dailyQuota: quota } : {}),
    });
    res.status(201);
    await show(req, res, { key, name: record.name });
  });
  t.post('/api-keys/:id/revoke', 'admin', 'form', async (req, res) => {
    const id = String(req.params.id);
    if (!isUuid(id) || !(await k.revoke(id)))
      throw new NotFoundError('api_key_not_found', 'No such active key');
    kit.redirectWith(res, '/api-keys', 'Key revoked.');
  });
}
