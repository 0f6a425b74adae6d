/**
 * Delivery events from provider webhooks and from DSN bounces: stored once (provider event
 * ids dedupe retries), then handed to the outbound engine's recordDeliveryEvent, which finds the
 * message by our Message-ID or the provider's id and adds suppressions for hard bounces and
 * complaints. An event for a message we do not know is kept with `matched = false`; it is not
 * an error.
 */
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { DeliveryEvent } from '../../domain/outbound/delivery-event.js';
import type { Database, OutboundPort } from '../ports.js';
import type {
  ProviderEventRepository,
  ProviderEventSource,
  ReplayNonce,
  StoredProviderEvent,
  WebhookNonceRepository,
} from './ports.js';

export interface DeliveryEventsDeps {
  db: Database;
  nonces: Pick<WebhookNonceRepository, 'claimNonce'>;
  providerEvents: ProviderEventRepository;
  sink: Pick<OutboundPort, 'recordDeliveryEvent'>;
  clock: Clock;
  log: Logger;
}

/** Outbound may answer `{matched:false}`, `{found:false}`, null or false for "no such message". */
function wasMatched(result: unknown): boolean {
  if (result === null || result === undefined || result === false) return false;
  if (typeof result === 'object') {
    const r = result as { matched?: unknown; found?: unknown };
    if (r.matched === false || r.found === false) return false;
  }
  return true;
}

/** The events not handed on yet; none when the request's nonce was seen before (a replay). */
function storeOnce(
  deps: DeliveryEventsDeps,
  events: DeliveryEvent[],
  source: ProviderEventSource,
  nonce: ReplayNonce | undefined,
): Promise<StoredProviderEvent[]> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    if (nonce && !(await deps.nonces.claimNonce(tx, nonce, now))) return [];
    return deps.providerEvents.insertProviderEvents(tx, events, source, now);
  });
}

/** Hands one event to the outbound engine; an event naming no message cannot match. */
async function handOn(deps: DeliveryEventsDeps, event: DeliveryEvent): Promise<boolean> {
  const ref = {
    ...(event.messageId ? { messageId: event.messageId } : {}),
    ...(event.providerMessageId ? { providerMessageId: event.providerMessageId } : {}),
  };
  if (!ref.messageId && !ref.providerMessageId) return false;
  return wasMatched(
    await deps.sink.recordDeliveryEvent(ref, {
      type: event.type,
      at: event.at,
      provider: event.provider,
      ...(event.recipient ? { recipient: event.recipient } : {}),
      ...(event.bounce ? { bounce: event.bounce } : {}),
      ...(event.reason ? { reason: event.reason.slice(0, 1000) } : {}),
      ...(event.raw !== undefined ? { raw: event.raw } : {}),
    }),
  );
}

async function record(
  deps: DeliveryEventsDeps,
  events: DeliveryEvent[],
  source: ProviderEventSource,
  nonce?: ReplayNonce,
): Promise<{ stored: number; matched: number }> {
  if (events.length === 0) return { stored: 0, matched: 0 };
  const fresh = await storeOnce(deps, events, source, nonce);
  let matched = 0;
  for (const { rowId, event } of fresh) {
    const hit = await handOn(deps, event);
    if (hit) matched++;
    await deps.providerEvents.setEventMatched(deps.db, rowId, hit);
  }
  return { stored: fresh.length, matched };
}

export function createDeliveryEventsService(deps: DeliveryEventsDeps) {
  return {
    record: (events: DeliveryEvent[], source: ProviderEventSource, nonce?: ReplayNonce) =>
      record(deps, events, source, nonce),
  };
}

export type DeliveryEventsService = ReturnType<typeof createDeliveryEventsService>;
