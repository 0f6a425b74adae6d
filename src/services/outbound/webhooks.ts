/**
 * Outgoing status webhooks: the endpoints API (register, list, delete, re-enable, recent
 * deliveries, manual redelivery) here; publishing and delivering in webhook-deliveries.ts.
 */
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { WebhookDelivery, WebhookEndpoint } from '../../domain/outbound/message.js';
import { checkWebhookUrl, isPrivateAddress } from '../../lib/net/address-policy.js';
import { newWebhookSecret } from '../../outbound/standard-webhooks.js';
import type { Executor, WebhookPort } from '../ports.js';
import { WEBHOOK_QUEUE } from './job-payloads.js';
import type { TransitionedRow } from './ports/index.js';
import {
  deliverWebhook,
  enabledEndpoints,
  publish,
  type EndpointCache,
  type WebhookDeps,
} from './webhook-deliveries.js';
import { enqueueEvent } from './webhook-events.js';

export interface WebhookService extends Omit<WebhookPort, 'createEndpoint'> {
  create(input: { url: string; events: string[] }): Promise<WebhookEndpoint>;
  list(): Promise<WebhookEndpoint[]>;
  get(id: string): Promise<WebhookEndpoint>;
  remove(id: string): Promise<void>;
  enable(id: string): Promise<void>;
  deliveries(
    endpointId: string,
    limit: number,
  ): Promise<Array<WebhookDelivery & { attemptLog: unknown[] }>>;
  /** Manual retry of a recent delivery. */
  redeliver(endpointId: string, deliveryId: string): Promise<void>;
  /** Called inside the transaction that made the transitions. */
  publish(tx: Executor, rows: readonly TransitionedRow[], now: Date): Promise<void>;
  /** Whether any endpoint is listening (cached): without one, publish has nothing to do. */
  listening(): Promise<boolean>;
  /** The job: one attempt of one delivery. */
  deliver(deliveryId: string): Promise<void>;
}

const notFound = (id: string) => new NotFoundError('webhook_not_found', `No webhook ${id}`);

/** The URL must be http(s) and, unless allowed, not private, loopback or link-local. */
function checkUrl(deps: WebhookDeps, url: string): URL {
  const checked = checkWebhookUrl(url);
  if (!checked.ok)
    throw new ValidationError(
      `Webhook URL refused: ${checked.reason}`,
      { url },
      'webhook_url_refused',
    );
  if (!deps.settings.webhooks.allowPrivate && isPrivateAddress(checked.url.hostname)) {
    throw new ValidationError(
      'Webhook URL refused: private, loopback and link-local targets are not allowed',
      { url },
      'webhook_url_refused',
    );
  }
  return checked.url;
}

async function create(deps: WebhookDeps, input: { url: string; events: string[] }) {
  const url = checkUrl(deps, input.url);
  const e = await deps.webhookEndpoints.insertEndpoint(
    deps.db,
    {
      id: newId(),
      url: url.toString(),
      events: [...new Set(input.events)],
      secret: newWebhookSecret(),
    },
    deps.clock.now(),
  );
  deps.cache.value = null;
  return e;
}

async function get(deps: WebhookDeps, id: string): Promise<WebhookEndpoint> {
  const e = await deps.webhookEndpoints.getEndpoint(deps.db, id);
  if (!e) throw notFound(id);
  return e;
}

async function remove(deps: WebhookDeps, id: string): Promise<void> {
  if (!(await deps.webhookEndpoints.deleteEndpoint(deps.db, id, deps.clock.now())))
    throw notFound(id);
  deps.cache.value = null;
}

async function enable(deps: WebhookDeps, id: string): Promise<void> {
  if (!(await deps.webhookEndpoints.enableEndpoint(deps.db, id))) throw notFound(id);
  deps.cache.value = null;
}

async function deliveries(deps: WebhookDeps, endpointId: string, limit: number) {
  const { db, webhookEndpoints: repo } = deps;
  await get(deps, endpointId);
  const list = await repo.listDeliveries(db, endpointId, limit);
  return Promise.all(
    list.map(async (d) => ({ ...d, attemptLog: await repo.listAttempts(db, d.id) })),
  );
}

async function redeliver(deps: WebhookDeps, endpointId: string, deliveryId: string) {
  const d = await deps.webhookEndpoints.getDelivery(deps.db, deliveryId);
  if (!d || d.endpointId !== endpointId)
    throw new NotFoundError('delivery_not_found', `No delivery ${deliveryId}`);
  await deps.db.transaction(async (tx) => {
    await deps.webhookEndpoints.resetDelivery(tx, deliveryId, deps.clock.now());
    await deps.queue.send(WEBHOOK_QUEUE, { deliveryId }, { tx });
  });
}

export function createWebhookService(
  deps: Omit<WebhookDeps, 'cache' | 'responses'>,
): WebhookService {
  const cache: EndpointCache = { value: null };
  const d: WebhookDeps = { ...deps, cache, responses: new Map() };
  return {
    enqueueEvent: (tx, e) => enqueueEvent(d, tx, e),
    endpointExists: async (id) => !!(await d.webhookEndpoints.getEndpoint(d.db, id)),
    onResponse: (eventType, handler) => void d.responses.set(eventType, handler),
    create: (input) => create(d, input),
    list: () => d.webhookEndpoints.listEndpoints(d.db),
    get: (id) => get(d, id),
    remove: (id) => remove(d, id),
    enable: (id) => enable(d, id),
    deliveries: (endpointId, limit) => deliveries(d, endpointId, limit),
    redeliver: (endpointId, deliveryId) => redeliver(d, endpointId, deliveryId),
    publish: (tx, rows, now) => publish(d, tx, rows, now),
    listening: async () => (await enabledEndpoints(d, d.db)).length > 0,
    deliver: (deliveryId) => deliverWebhook(d, deliveryId),
  };
}
