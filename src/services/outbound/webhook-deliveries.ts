/**
 * Status webhooks on their way out. `publish` turns transitions into deliveries inside the
 * transaction that made them (so an event is never announced for a change that rolled back);
 * `deliverWebhook` is the job: one signed POST (Standard Webhooks), recorded, and retried on a
 * schedule spanning ~24 h. An endpoint failing N times in a row is switched off and says so.
 */
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Logger } from '../../lib/logger.js';
import type {
  RecipientDelivery,
  WebhookDelivery,
  WebhookEndpoint,
} from '../../domain/outbound/message.js';
import { webhookEventFor } from '../../domain/state/outbound-message.js';
import { webhookHeaders } from '../../outbound/standard-webhooks.js';
import { postWebhook, type WebhookPostResult } from '../../outbound/webhook-sender.js';
import type { Database, Executor, JobQueue, WebhookResponseHandler } from '../ports.js';
import { WEBHOOK_QUEUE } from './job-payloads.js';
import type {
  NewWebhookDelivery,
  OutboundMessageRepository,
  TransitionedRow,
  WebhookEndpointRepository,
} from './ports/index.js';
import type { OutboundSettings } from './settings.js';

const ENDPOINT_CACHE_MS = 5000;

/** The enabled endpoints, kept a few seconds: publish runs inside every sending transaction. */
export interface EndpointCache {
  value: { at: number; endpoints: WebhookEndpoint[] } | null;
}

export interface WebhookDeps {
  db: Database;
  queue: JobQueue;
  clock: Clock;
  log: Logger;
  settings: Pick<OutboundSettings, 'webhooks'>;
  webhookEndpoints: WebhookEndpointRepository;
  outboundMessages: Pick<OutboundMessageRepository, 'getDeliveries'>;
  cache: EndpointCache;
  /** Per event type: what to do with the body of a 2xx answer (an in-band inbound reply). */
  responses: Map<string, WebhookResponseHandler>;
}

export async function enabledEndpoints(
  deps: WebhookDeps,
  ex: Executor,
): Promise<WebhookEndpoint[]> {
  const { cache } = deps;
  if (cache.value && Date.now() - cache.value.at < ENDPOINT_CACHE_MS) return cache.value.endpoints;
  const endpoints = await deps.webhookEndpoints.listEndpoints(ex, true);
  cache.value = { at: Date.now(), endpoints };
  return endpoints;
}

/** Each recipient's delivery as a webhook shows it (and GET /v1/messages/:id). */
export function recipientDeliveryView(d: RecipientDelivery) {
  return {
    address: d.address,
    status: d.status,
    attempts: d.attempts,
    smtp_code: d.smtpCode,
    smtp_response: d.smtpResponse,
    updated_at: d.updatedAt.toISOString(),
  };
}

function deliveriesFor(
  rows: readonly TransitionedRow[],
  endpoints: readonly WebhookEndpoint[],
  recipients: ReadonlyMap<string, RecipientDelivery[]>,
  now: Date,
): NewWebhookDelivery[] {
  const items: NewWebhookDelivery[] = [];
  for (const row of rows) {
    const type = webhookEventFor(row.to);
    if (!type) continue;
    for (const e of endpoints) {
      if (!e.events.includes(type)) continue;
      items.push({
        id: newId(),
        endpointId: e.id,
        eventType: type,
        messageId: row.id,
        payload: {
          type,
          timestamp: now.toISOString(),
          data: {
            message_id: row.id,
            status: row.to,
            previous_status: row.from,
            attempt: row.attempts,
            reason: row.reason,
            smtp_code: row.smtpCode,
            recipients: row.recipients,
            // Each recipient's own outcome: who got it, who was deferred, bounced, suppressed.
            deliveries: (recipients.get(row.id) ?? []).map(recipientDeliveryView),
            tags: row.tags,
          },
        },
      });
    }
  }
  return items;
}

/** Called inside the transaction that made the transitions. */
export async function publish(
  deps: WebhookDeps,
  tx: Executor,
  rows: readonly TransitionedRow[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  const endpoints = await enabledEndpoints(deps, tx);
  if (endpoints.length === 0) return;
  const wanted = rows.filter((r) => {
    const type = webhookEventFor(r.to);
    return type && endpoints.some((e) => e.events.includes(type));
  });
  if (wanted.length === 0) return;
  const recipients = await deps.outboundMessages.getDeliveries(
    tx,
    wanted.map((r) => r.id),
  );
  const items = deliveriesFor(wanted, endpoints, recipients, now);
  if (items.length === 0) return;
  await deps.webhookEndpoints.insertDeliveries(tx, items, now);
  await deps.queue.sendMany(
    WEBHOOK_QUEUE,
    items.map((i) => ({ data: { deliveryId: i.id } })),
    { tx },
  );
}

/** When to try again: on the schedule, ±10 % so a recovering endpoint is not hit all at once. */
function nextAttemptFor(
  deps: WebhookDeps,
  result: WebhookPostResult,
  attempt: number,
  now: Date,
): Date | null {
  const schedule = deps.settings.webhooks.retryScheduleSeconds;
  const delay =
    !result.ok && !result.blocked && attempt <= schedule.length ? schedule[attempt - 1]! : null;
  return delay === null
    ? null
    : new Date(now.getTime() + delay * 1000 * (0.9 + Math.random() * 0.2));
}

/** A delivery whose endpoint is gone or off: one failed attempt on the record, no retry. */
async function refuse(deps: WebhookDeps, d: WebhookDelivery, endpointExists: boolean, now: Date) {
  await deps.webhookEndpoints.recordAttempt(deps.db, {
    deliveryId: d.id,
    endpointId: d.endpointId,
    attempt: d.attempts + 1,
    statusCode: null,
    error: endpointExists ? 'endpoint disabled' : 'endpoint deleted',
    durationMs: 0,
    ok: false,
    nextAttemptAt: null,
    disableAfter: Number.MAX_SAFE_INTEGER,
    now,
  });
}

/** The job: one attempt of one delivery. */
export async function deliverWebhook(deps: WebhookDeps, deliveryId: string): Promise<void> {
  const { db, webhookEndpoints: repo, settings } = deps;
  const d = await repo.getDelivery(db, deliveryId);
  if (!d || d.status !== 'pending') return;
  const endpoint = await repo.getEndpoint(db, d.endpointId);
  const now = deps.clock.now();
  if (!endpoint || !endpoint.enabled) return refuse(deps, d, !!endpoint, now);
  // The webhook id is the delivery id, so a receiver can dedupe our retries.
  const body = JSON.stringify(d.payload);
  const result = await postWebhook(
    endpoint.url,
    webhookHeaders(endpoint.secret, d.id, now, body),
    body,
    { timeoutMs: settings.webhooks.timeoutMs, allowPrivate: settings.webhooks.allowPrivate },
  );
  const attempt = d.attempts + 1;
  const nextAttemptAt = nextAttemptFor(deps, result, attempt, now);
  await db.transaction(async (tx) => {
    const r = await repo.recordAttempt(tx, {
      deliveryId,
      endpointId: endpoint.id,
      attempt,
      statusCode: result.statusCode,
      error: result.error,
      durationMs: result.durationMs,
      ok: result.ok,
      nextAttemptAt,
      disableAfter: settings.webhooks.disableAfter,
      now,
    });
    if (r.endpointDisabled) {
      deps.cache.value = null;
      deps.log.warn(
        { endpointId: endpoint.id, url: endpoint.url },
        'webhook endpoint disabled after repeated failures',
      );
    }
    if (nextAttemptAt && !r.endpointDisabled) {
      await deps.queue.send(WEBHOOK_QUEUE, { deliveryId }, { tx, startAfter: nextAttemptAt });
    }
  });
  if (result.ok) await answered(deps, d, result.body);
}

/** A 2xx body goes to the handler for its event type; its failure never fails the delivery. */
async function answered(deps: WebhookDeps, d: WebhookDelivery, body: string): Promise<void> {
  const handler = deps.responses.get(d.eventType);
  if (!handler || body.trim() === '') return;
  const delivered = {
    deliveryId: d.id,
    endpointId: d.endpointId,
    eventType: d.eventType,
    inboundEmailId: d.inboundEmailId,
    payload: d.payload,
  };
  await handler(delivered, body).catch((err: unknown) =>
    deps.log.warn({ err, deliveryId: d.id }, 'webhook response not handled'),
  );
}
