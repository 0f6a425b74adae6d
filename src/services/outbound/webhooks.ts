/**
 * Outgoing status webhooks. Transitions are turned into deliveries inside the transaction that
 * made them (so an event is never announced for a change that rolled back), then a job POSTs
 * each one, signed per Standard Webhooks. Failures are retried on a schedule spanning ~24 h;
 * every attempt is recorded; an endpoint failing N times in a row is switched off and says so.
 */
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { WebhookDelivery, WebhookEndpoint } from '../../domain/outbound/message.js';
import { checkWebhookUrl, isPrivateAddress } from '../../domain/outbound/ssrf.js';
import { webhookEventFor } from '../../domain/state/outbound-message.js';
import { newWebhookSecret, webhookHeaders } from '../../outbound/standard-webhooks.js';
import { postWebhook } from '../../outbound/webhook-sender.js';
import type { Executor } from '../ports.js';
import type { OutboundDeps } from './settings.js';
import type { TransitionedRow } from './ports.js';
import { WEBHOOK_QUEUE } from './job-payloads.js';

const ENDPOINT_CACHE_MS = 5000;

export interface WebhookService {
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
  /** The job: one attempt of one delivery. */
  deliver(deliveryId: string): Promise<void>;
}

export function createWebhookService(deps: OutboundDeps): WebhookService {
  const { db, store, clock, queue, settings, log } = deps;
  let cached: { at: number; endpoints: WebhookEndpoint[] } | null = null;
  const enabledEndpoints = async (ex: Executor) => {
    if (cached && Date.now() - cached.at < ENDPOINT_CACHE_MS) return cached.endpoints;
    const endpoints = await store.listEndpoints(ex, true);
    cached = { at: Date.now(), endpoints };
    return endpoints;
  };
  const invalidate = () => {
    cached = null;
  };

  const get = async (id: string) => {
    const e = await store.getEndpoint(db, id);
    if (!e) throw new NotFoundError('webhook_not_found', `No webhook ${id}`);
    return e;
  };

  return {
    async create(input) {
      const checked = checkWebhookUrl(input.url);
      if (!checked.ok)
        throw new ValidationError(
          `Webhook URL refused: ${checked.reason}`,
          { url: input.url },
          'webhook_url_refused',
        );
      if (!settings.webhooks.allowPrivate && isPrivateAddress(checked.url.hostname)) {
        throw new ValidationError(
          'Webhook URL refused: private, loopback and link-local targets are not allowed',
          { url: input.url },
          'webhook_url_refused',
        );
      }
      const e = await store.insertEndpoint(
        db,
        {
          id: newId(),
          url: checked.url.toString(),
          events: [...new Set(input.events)],
          secret: newWebhookSecret(),
        },
        clock.now(),
      );
      invalidate();
      return e;
    },
    list: () => store.listEndpoints(db),
    get,
    async remove(id) {
      if (!(await store.deleteEndpoint(db, id, clock.now())))
        throw new NotFoundError('webhook_not_found', `No webhook ${id}`);
      invalidate();
    },
    async enable(id) {
      if (!(await store.enableEndpoint(db, id)))
        throw new NotFoundError('webhook_not_found', `No webhook ${id}`);
      invalidate();
    },
    async deliveries(endpointId, limit) {
      await get(endpointId);
      const list = await store.listDeliveries(db, endpointId, limit);
      return Promise.all(
        list.map(async (d) => ({ ...d, attemptLog: await store.listAttempts(db, d.id) })),
      );
    },
    async redeliver(endpointId, deliveryId) {
      const d = await store.getDelivery(db, deliveryId);
      if (!d || d.endpointId !== endpointId)
        throw new NotFoundError('delivery_not_found', `No delivery ${deliveryId}`);
      await db.transaction(async (tx) => {
        await store.resetDelivery(tx, deliveryId, clock.now());
        await queue.send(WEBHOOK_QUEUE, { deliveryId }, { tx });
      });
    },
    async publish(tx, rows, now) {
      if (rows.length === 0) return;
      const endpoints = await enabledEndpoints(tx);
      if (endpoints.length === 0) return;
      const items: Array<{
        id: string;
        endpointId: string;
        eventType: string;
        messageId: string;
        payload: unknown;
      }> = [];
      for (const row of rows) {
        const type = webhookEventFor(row.to);
        if (!type) continue;
        for (const e of endpoints) {
          if (!e.events.includes(type)) continue;
          const id = newId();
          items.push({
            id,
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
                tags: row.tags,
              },
            },
          });
        }
      }
      if (items.length === 0) return;
      await store.insertDeliveries(tx, items, now);
      await queue.sendMany(
        WEBHOOK_QUEUE,
        items.map((i) => ({ data: { deliveryId: i.id } })),
        { tx },
      );
    },
    async deliver(deliveryId) {
      const d = await store.getDelivery(db, deliveryId);
      if (!d || d.status !== 'pending') return;
      const endpoint = await store.getEndpoint(db, d.endpointId);
      const now = clock.now();
      if (!endpoint || !endpoint.enabled) {
        await store.recordAttempt(db, {
          deliveryId,
          endpointId: d.endpointId,
          attempt: d.attempts + 1,
          statusCode: null,
          error: endpoint ? 'endpoint disabled' : 'endpoint deleted',
          durationMs: 0,
          ok: false,
          nextAttemptAt: null,
          disableAfter: Number.MAX_SAFE_INTEGER,
          now,
        });
        return;
      }
      // The webhook id is the delivery id, so a receiver can dedupe our retries.
      const body = JSON.stringify(d.payload);
      const result = await postWebhook(
        endpoint.url,
        webhookHeaders(endpoint.secret, d.id, now, body),
        body,
        {
          timeoutMs: settings.webhooks.timeoutMs,
          allowPrivate: settings.webhooks.allowPrivate,
        },
      );
      const attempt = d.attempts + 1;
      const schedule = settings.webhooks.retryScheduleSeconds;
      const delay =
        !result.ok && !result.blocked && attempt <= schedule.length ? schedule[attempt - 1]! : null;
      // ±10 % jitter so a recovering endpoint is not hit by every retry at once.
      const nextAttemptAt =
        delay === null
          ? null
          : new Date(now.getTime() + delay * 1000 * (0.9 + Math.random() * 0.2));
      await db.transaction(async (tx) => {
        const r = await store.recordAttempt(tx, {
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
          invalidate();
          log.warn(
            { endpointId: endpoint.id, url: endpoint.url },
            'webhook endpoint disabled after repeated failures',
          );
        }
        if (nextAttemptAt && !r.endpointDisabled) {
          await queue.send(WEBHOOK_QUEUE, { deliveryId }, { tx, startAfter: nextAttemptAt });
        }
      });
    },
  };
}
