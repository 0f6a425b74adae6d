/**
 * recordDeliveryEvent: what providers (through the inbound feature) report after we handed a
 * message over. It moves sent → delivered | bounced | complained, adds suppressions for hard
 * bounces, complaints and unsubscribes, and keeps every other report (opened, clicked, soft
 * bounce, provider deferral) on the timeline. An unknown message is not an error.
 */
import type { OutboundEvent, OutboundStatus } from '../../domain/state/outbound-message.js';
import { normalizeAddress } from '../../domain/outbound/recipients.js';
import type { Suppression } from '../../domain/outbound/message.js';
import type { OutboundDeps } from './settings.js';
import type { WebhookService } from './webhooks.js';

export interface DeliveryEventRef {
  messageId?: string;
  providerMessageId?: string;
}

export interface DeliveryEvent {
  type:
    | 'queued'
    | 'sent'
    | 'delivered'
    | 'deferred'
    | 'bounced'
    | 'complained'
    | 'unsubscribed'
    | 'opened'
    | 'clicked';
  at: Date;
  recipient?: string;
  bounce?: 'hard' | 'soft';
  reason?: string;
  provider?: string;
  raw?: unknown;
}

export type RecordDeliveryEvent = (
  ref: DeliveryEventRef,
  event: DeliveryEvent,
) => Promise<{ found: boolean; messageId?: string; status?: OutboundStatus }>;

export function createRecordDeliveryEvent(
  deps: OutboundDeps,
  webhooks: WebhookService,
): RecordDeliveryEvent {
  const { db, store } = deps;
  return async (ref, event) => {
    const m = await store.findByRef(db, ref);
    if (!m) return { found: false };
    const recipients = event.recipient ? [normalizeAddress(event.recipient)] : m.recipients;
    const transition: OutboundEvent | null =
      event.type === 'delivered'
        ? 'deliver'
        : event.type === 'complained'
          ? 'complain'
          : event.type === 'bounced' && event.bounce !== 'soft'
            ? 'bounce'
            : null;
    const suppressions: Array<Omit<Suppression, 'createdAt'>> = [];
    const detail = event.reason ?? event.provider ?? null;
    if (event.type === 'bounced' && event.bounce !== 'soft') {
      for (const address of recipients)
        suppressions.push({
          address,
          scope: 'all',
          reason: 'bounce',
          sourceMessageId: m.id,
          detail,
        });
    } else if (event.type === 'complained') {
      for (const address of recipients)
        suppressions.push({
          address,
          scope: 'all',
          reason: 'complaint',
          sourceMessageId: m.id,
          detail,
        });
    } else if (event.type === 'unsubscribed') {
      for (const address of recipients)
        suppressions.push({
          address,
          scope: 'broadcast',
          reason: 'unsubscribe',
          sourceMessageId: m.id,
          detail,
        });
    }
    const status = await db.transaction(async (tx) => {
      const data = {
        provider: event.provider ?? null,
        recipient: event.recipient ?? null,
        bounce: event.bounce ?? null,
      };
      let moved = false;
      if (transition) {
        const rows = await store.applyTransition(
          tx,
          transition,
          [{ id: m.id, reason: event.reason ?? null, data }],
          {
            now: event.at,
            eventType: `provider.${event.type}`,
          },
        );
        moved = rows.length > 0;
        await webhooks.publish(tx, rows, event.at);
      }
      if (!moved) {
        await store.addEvent(tx, m.id, {
          type: `provider.${event.type}${event.bounce === 'soft' ? '.soft' : ''}`,
          reason: event.reason ?? null,
          data,
          at: event.at,
        });
      }
      await store.addSuppressions(tx, suppressions, event.at);
      return moved ? (await store.getMessage(tx, m.id))!.status : m.status;
    });
    return { found: true, messageId: m.id, status };
  };
}
