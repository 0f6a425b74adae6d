/**
 * Delivery events from provider webhooks and from DSN bounces: stored once (provider event
 * ids dedupe retries), then handed to the outbound engine's recordDeliveryEvent, which finds the
 * message by our Message-ID or the provider's id and adds suppressions for hard bounces and
 * complaints. An event for a message we do not know is kept with `matched = false`; it is not
 * an error. Events of a type that moves no message (informational, or unknown to us) are kept
 * apart in unmapped_provider_events and counted; unknown types are also logged.
 *
 * Every field is made safe for PostgreSQL first (lib/safe-text.ts): a provider that sends a NUL
 * byte must still get its 2xx, or it retries the batch for days.
 */
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { boundedKey, safeJson, safeText } from '../../lib/safe-text.js';
import type { UnmappedEvent } from '../../domain/inbound/unmapped-event.js';
import type { DeliveryEvent } from '../../domain/outbound/delivery-event.js';
import type { Database, OutboundPort } from '../ports.js';
import type {
  ProviderEventRepository,
  ProviderEventSource,
  ReplayNonce,
  StoredProviderEvent,
  UnmappedProviderEventRepository,
  WebhookNonceRepository,
} from './ports.js';

export interface DeliveryEventsDeps {
  db: Database;
  nonces: Pick<WebhookNonceRepository, 'claimNonce'>;
  providerEvents: ProviderEventRepository;
  unmappedEvents: Pick<UnmappedProviderEventRepository, 'insertUnmappedEvents'>;
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

/** The fields every provider event shares, safe to store; key parts bounded for the indexes. */
function safeFields<E extends DeliveryEvent | UnmappedEvent>(e: E): E {
  const key = (v: string | undefined, max?: number) =>
    v === undefined ? undefined : boundedKey(v, max);
  return {
    ...e,
    provider: safeText(e.provider),
    eventId: e.eventId === null ? null : boundedKey(e.eventId),
    messageId: key(e.messageId, 500),
    providerMessageId: key(e.providerMessageId, 500),
    recipient: key(e.recipient, 320),
    raw: safeJson(e.raw),
    ...('reason' in e && e.reason !== undefined ? { reason: safeText(e.reason) } : {}),
    ...('providerType' in e ? { providerType: boundedKey(e.providerType, 200) } : {}),
  };
}

/** The events not handed on yet; none when the request's nonce was seen before (a replay). */
function storeOnce(
  deps: DeliveryEventsDeps,
  events: DeliveryEvent[],
  unmapped: UnmappedEvent[],
  source: ProviderEventSource,
  nonce: ReplayNonce | undefined,
): Promise<StoredProviderEvent[]> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    if (
      nonce &&
      !(await deps.nonces.claimNonce(tx, { ...nonce, nonce: boundedKey(nonce.nonce) }, now))
    )
      return [];
    await deps.unmappedEvents.insertUnmappedEvents(tx, unmapped, now);
    return events.length === 0
      ? []
      : deps.providerEvents.insertProviderEvents(tx, events, source, now);
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

export interface RecordResult {
  stored: number;
  matched: number;
  /** Events of a known type that moves no message. */
  informational: number;
  /** Events of a type we do not know (stored, logged). */
  unknown: number;
}

async function record(
  deps: DeliveryEventsDeps,
  rawEvents: DeliveryEvent[],
  source: ProviderEventSource,
  nonce?: ReplayNonce,
  rawUnmapped: UnmappedEvent[] = [],
): Promise<RecordResult> {
  const unknown = rawUnmapped.filter((u) => !u.known);
  const counts = { informational: rawUnmapped.length - unknown.length, unknown: unknown.length };
  if (rawEvents.length === 0 && rawUnmapped.length === 0)
    return { stored: 0, matched: 0, ...counts };
  for (const u of unknown) {
    deps.log.warn(
      { provider: u.provider, providerType: safeText(u.providerType).slice(0, 200) },
      'provider event of an unknown type: stored, not mapped',
    );
  }
  const events = rawEvents.map(safeFields);
  const fresh = await storeOnce(deps, events, rawUnmapped.map(safeFields), source, nonce);
  let matched = 0;
  for (const { rowId, event } of fresh) {
    const hit = await handOn(deps, event);
    if (hit) matched++;
    await deps.providerEvents.setEventMatched(deps.db, rowId, hit);
  }
  return { stored: fresh.length, matched, ...counts };
}

export function createDeliveryEventsService(deps: DeliveryEventsDeps) {
  return {
    record: (
      events: DeliveryEvent[],
      source: ProviderEventSource,
      nonce?: ReplayNonce,
      unmapped?: UnmappedEvent[],
    ) => record(deps, events, source, nonce, unmapped),
  };
}

export type DeliveryEventsService = ReturnType<typeof createDeliveryEventsService>;
