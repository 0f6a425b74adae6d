/**
 * recordDeliveryEvent: what providers (through the inbound feature) report after we handed a
 * message over. It moves the recipient it names (accepted → delivered | bounced | complained)
 * and the message as its recipients now stand (sent → delivered | partially_sent | bounced |
 * complained), adds suppressions for hard bounces, complaints and unsubscribes, and keeps every
 * other report (opened, clicked, soft bounce, provider deferral) on the timeline. A provider's
 * bounce and a 550 at RCPT end in the same state. An unknown message is not an error.
 */
import type { DeliveryEventRef, DeliveryReport } from '../../domain/outbound/delivery-event.js';
import type {
  OutboundMessageRecord,
  SuppressionReason,
  SuppressionScope,
} from '../../domain/outbound/message.js';
import { normalizeAddress } from '../../domain/outbound/recipients.js';
import { reportedVerdict } from '../../domain/outbound/recipient-outcome.js';
import type { OutboundEvent, OutboundStatus } from '../../domain/state/outbound-message.js';
import type { RecipientEvent } from '../../domain/state/recipient-delivery.js';
import type { Database, Executor } from '../ports.js';
import type {
  NewSuppression,
  OutboundMessageRepository,
  SuppressionRepository,
} from './ports/index.js';
import type { WebhookService } from './webhooks.js';

export type RecordDeliveryEvent = (
  ref: DeliveryEventRef,
  event: DeliveryReport,
) => Promise<{ found: boolean; messageId?: string; status?: OutboundStatus }>;

export interface DeliveryEventDeps {
  db: Database;
  outboundMessages: Pick<
    OutboundMessageRepository,
    | 'findByRef'
    | 'applyTransition'
    | 'addEvent'
    | 'getMessage'
    | 'getDeliveries'
    | 'applyRecipientTransitions'
  >;
  suppressions: Pick<SuppressionRepository, 'addSuppressions'>;
  webhookService: Pick<WebhookService, 'publish'>;
}

const isHardBounce = (e: DeliveryReport) => e.type === 'bounced' && e.bounce !== 'soft';

/** The reports that move a recipient; the others only go on the message's timeline. */
function recipientEventFor(event: DeliveryReport): RecipientEvent | null {
  if (event.type === 'delivered') return 'deliver';
  if (event.type === 'complained') return 'complain';
  return isHardBounce(event) ? 'bounce' : null;
}

/**
 * Moves the reported recipient (or every recipient, when the report names none we know), then
 * the message as its recipients now stand: delivered once all who got it are, partially_sent
 * when some of them bounced, bounced when none has it. A complaint marks the message at once.
 */
async function moveRecipients(
  deps: DeliveryEventDeps,
  tx: Executor,
  m: OutboundMessageRecord,
  event: DeliveryReport,
  recipientEvent: RecipientEvent,
): Promise<OutboundEvent | null> {
  const { outboundMessages: messages } = deps;
  const before = (await messages.getDeliveries(tx, [m.id])).get(m.id) ?? [];
  if (before.length === 0) return recipientEvent;
  const named = event.recipient ? normalizeAddress(event.recipient) : null;
  const address = named && before.some((d) => d.address === named) ? named : null;
  const reply = event.reason?.slice(0, 2000) ?? null;
  await messages.applyRecipientTransitions(
    tx,
    [{ messageId: m.id, address, event: recipientEvent, smtpResponse: reply }],
    event.at,
  );
  if (recipientEvent === 'complain') return 'complain';
  return reportedVerdict((await messages.getDeliveries(tx, [m.id])).get(m.id) ?? []);
}

/** Hard bounces and complaints stop all mail to the address; an unsubscribe stops broadcasts. */
function suppressionsFor(
  event: DeliveryReport,
  m: OutboundMessageRecord,
  recipients: readonly string[],
): NewSuppression[] {
  const rule: { reason: SuppressionReason; scope: SuppressionScope } | null = isHardBounce(event)
    ? { reason: 'bounce', scope: 'all' }
    : event.type === 'complained'
      ? { reason: 'complaint', scope: 'all' }
      : event.type === 'unsubscribed'
        ? { reason: 'unsubscribe', scope: 'broadcast' }
        : null;
  if (!rule) return [];
  const detail = event.reason ?? event.provider ?? null;
  return recipients.map((address) => ({
    address,
    scope: rule.scope,
    reason: rule.reason,
    sourceMessageId: m.id,
    detail,
  }));
}

/** Applies the report inside `tx`; returns the message's status afterwards. */
async function apply(
  deps: DeliveryEventDeps,
  tx: Executor,
  m: OutboundMessageRecord,
  event: DeliveryReport,
  suppressions: NewSuppression[],
): Promise<OutboundStatus> {
  const { outboundMessages: messages } = deps;
  const data = {
    provider: event.provider ?? null,
    recipient: event.recipient ?? null,
    bounce: event.bounce ?? null,
  };
  const recipientEvent = recipientEventFor(event);
  const transition = recipientEvent
    ? await moveRecipients(deps, tx, m, event, recipientEvent)
    : null;
  let moved = false;
  if (transition) {
    const rows = await messages.applyTransition(
      tx,
      transition,
      [{ id: m.id, reason: event.reason ?? null, data }],
      { now: event.at, eventType: `provider.${event.type}` },
    );
    moved = rows.length > 0;
    await deps.webhookService.publish(tx, rows, event.at);
  }
  if (!moved) {
    await messages.addEvent(tx, m.id, {
      type: `provider.${event.type}${event.bounce === 'soft' ? '.soft' : ''}`,
      reason: event.reason ?? null,
      data,
      at: event.at,
    });
  }
  await deps.suppressions.addSuppressions(tx, suppressions, event.at);
  return moved ? (await messages.getMessage(tx, m.id))!.status : m.status;
}

export function createRecordDeliveryEvent(deps: DeliveryEventDeps): RecordDeliveryEvent {
  return async (ref, event) => {
    const m = await deps.outboundMessages.findByRef(deps.db, ref);
    if (!m) return { found: false };
    const recipients = event.recipient ? [normalizeAddress(event.recipient)] : m.recipients;
    const suppressions = suppressionsFor(event, m, recipients);
    const status = await deps.db.transaction((tx) => apply(deps, tx, m, event, suppressions));
    return { found: true, messageId: m.id, status };
  };
}
