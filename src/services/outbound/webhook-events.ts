/**
 * Events other features publish through the webhook engine (`inbound.received`): queued inside
 * the caller's transaction for the endpoints it names and, when asked, every enabled endpoint
 * subscribed to the event. Delivery is the same job as for status events: signed, retried on
 * the schedule, recorded attempt by attempt, switched off after repeated failures.
 */
import { newId } from '../../lib/ids.js';
import type { Executor, WebhookEvent } from '../ports.js';
import { WEBHOOK_QUEUE } from './job-payloads.js';
import type { NewWebhookDelivery } from './ports/index.js';
import { enabledEndpoints, type WebhookDeps } from './webhook-deliveries.js';

export async function enqueueEvent(
  deps: WebhookDeps,
  tx: Executor,
  e: WebhookEvent,
): Promise<number> {
  const subscribed = e.subscribers
    ? (await enabledEndpoints(deps, tx)).filter((x) => x.events.includes(e.eventType))
    : [];
  const endpointIds = [...new Set([...e.endpointIds, ...subscribed.map((x) => x.id)])];
  if (endpointIds.length === 0) return 0;
  const items: NewWebhookDelivery[] = endpointIds.map((endpointId) => ({
    id: newId(),
    endpointId,
    eventType: e.eventType,
    messageId: null,
    inboundEmailId: e.inboundEmailId ?? null,
    payload: e.payload,
  }));
  await deps.webhookEndpoints.insertDeliveries(tx, items, deps.clock.now());
  await deps.queue.sendMany(
    WEBHOOK_QUEUE,
    items.map((i) => ({ data: { deliveryId: i.id } })),
    { tx },
  );
  return items.length;
}
