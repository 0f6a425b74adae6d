/**
 * What happened to one of our outbound messages after we handed it over, as a provider reports
 * it. One taxonomy for every provider (after Anymail's, trimmed to what moves a message):
 * queued, sent, delivered, deferred, bounced, complained, unsubscribed, opened, clicked.
 */
export const DELIVERY_EVENT_TYPES = [
  'queued',
  'sent',
  'delivered',
  'deferred',
  'bounced',
  'complained',
  'unsubscribed',
  'opened',
  'clicked',
] as const;
export type DeliveryEventType = (typeof DELIVERY_EVENT_TYPES)[number];

export interface DeliveryEvent {
  type: DeliveryEventType;
  at: Date;
  provider: string;
  /** Provider's id for this event, for dedupe (sg_event_id, SNS MessageId, …). */
  eventId: string | null;
  /** Our Message-ID (without angle brackets) when the provider echoes it. */
  messageId?: string;
  providerMessageId?: string;
  recipient?: string;
  bounce?: 'hard' | 'soft';
  reason?: string;
  raw?: unknown;
}

/** How a delivery event names the message it concerns: our Message-ID or the provider's id. */
export type DeliveryEventRef = Partial<Pick<DeliveryEvent, 'messageId' | 'providerMessageId'>>;

/** The part of a delivery event the outbound engine records on the message. */
export type DeliveryReport = Pick<DeliveryEvent, 'type' | 'at'> &
  Partial<Pick<DeliveryEvent, 'recipient' | 'bounce' | 'reason' | 'provider' | 'raw'>>;
