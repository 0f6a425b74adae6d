import type { DeliveryEvent } from '../outbound/delivery-event.js';

/**
 * A provider event that moves no message: a type we know carries nothing for a message's
 * state (`known`: Postmark's AutoResponder, SendGrid's group_resubscribe, …) or a type we do
 * not know at all. Kept as received and counted, never dropped.
 */
export interface UnmappedEvent {
  provider: string;
  /** The provider's own name for it (Postmark bounces as `Bounce/<Type>`). */
  providerType: string;
  known: boolean;
  eventId: string | null;
  at: Date;
  messageId?: string;
  providerMessageId?: string;
  recipient?: string;
  raw?: unknown;
}

/** What a provider's event mapper makes of one event: taxonomy events, or an unmapped one. */
export type MappedEvent = DeliveryEvent | UnmappedEvent;

export const isUnmapped = (e: MappedEvent): e is UnmappedEvent => 'providerType' in e;
