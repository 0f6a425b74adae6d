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
import type { OutboundPort } from '../ports.js';
import type { InboundStore } from './ports.js';

export interface DeliveryEventsDeps {
  store: InboundStore;
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

export function createDeliveryEventsService(deps: DeliveryEventsDeps) {
  return {
    async record(
      events: DeliveryEvent[],
      source: 'webhook' | 'dsn',
      nonce?: { provider: string; nonce: string },
    ): Promise<{ stored: number; matched: number }> {
      if (events.length === 0) return { stored: 0, matched: 0 };
      const fresh = await deps.store.insertProviderEvents(events, source, deps.clock.now(), nonce);
      let matched = 0;
      for (const { rowId, event } of fresh) {
        const ref = {
          ...(event.messageId ? { messageId: event.messageId } : {}),
          ...(event.providerMessageId ? { providerMessageId: event.providerMessageId } : {}),
        };
        const hit =
          ref.messageId || ref.providerMessageId
            ? wasMatched(
                await deps.sink.recordDeliveryEvent(ref, {
                  type: event.type,
                  at: event.at,
                  provider: event.provider,
                  ...(event.recipient ? { recipient: event.recipient } : {}),
                  ...(event.bounce ? { bounce: event.bounce } : {}),
                  ...(event.reason ? { reason: event.reason.slice(0, 1000) } : {}),
                  ...(event.raw !== undefined ? { raw: event.raw } : {}),
                }),
              )
            : false;
        if (hit) matched++;
        await deps.store.setEventMatched(rowId, hit);
      }
      return { stored: fresh.length, matched };
    },
  };
}

export type DeliveryEventsService = ReturnType<typeof createDeliveryEventsService>;
