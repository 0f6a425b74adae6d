/**
 * provider_events: every delivery event a provider webhook or a DSN bounce reported, stored
 * once per provider event id before it is handed to the outbound engine, with whether it
 * matched one of our messages.
 */
import { jsonParam, one, query } from '../sql.js';
import { newId } from '../../lib/ids.js';
import type { DeliveryEvent } from '../../domain/outbound/delivery-event.js';
import type { Executor } from '../../services/ports.js';
import type { ProviderEventSource, StoredProviderEvent } from '../../services/inbound/ports.js';

// A retried event (same provider id) that was already handed on is skipped; one that was
// stored but not yet handed on (crash in between) is returned again: `matched` is still null.
const INSERT_EVENT = `
INSERT INTO provider_events (id, provider, event_id, type, message_id, provider_message_id, recipient,
    bounce, reason, occurred_at, received_at, source, payload)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
ON CONFLICT (provider, event_id, type, recipient) WHERE event_id IS NOT NULL
  DO UPDATE SET received_at = provider_events.received_at
RETURNING id, matched`;

export async function insertProviderEvents(
  ex: Executor,
  events: readonly DeliveryEvent[],
  source: ProviderEventSource,
  now: Date,
): Promise<StoredProviderEvent[]> {
  const out: StoredProviderEvent[] = [];
  for (const e of events) {
    const r = (await one<{ id: string; matched: boolean | null }>(ex, INSERT_EVENT, [
      newId(now.getTime()),
      e.provider,
      e.eventId,
      e.type,
      e.messageId ?? null,
      e.providerMessageId ?? null,
      e.recipient ?? null,
      e.bounce ?? null,
      e.reason?.slice(0, 2000) ?? null,
      e.at,
      now,
      source,
      e.raw === undefined ? null : jsonParam(e.raw),
    ]))!;
    if (r.matched === null) out.push({ rowId: r.id, event: e });
  }
  return out;
}

export async function setEventMatched(
  ex: Executor,
  rowId: string,
  matched: boolean,
): Promise<void> {
  await query(ex, 'UPDATE provider_events SET matched = $2 WHERE id = $1', [rowId, matched]);
}

/** Retention: provider reports received before `before` (past every provider's retry window). */
export async function pruneProviderEvents(
  ex: Executor,
  before: Date,
  limit: number,
): Promise<number> {
  const { rowCount } = await query(
    ex,
    `DELETE FROM provider_events p USING (
       SELECT id FROM provider_events WHERE received_at < $1 LIMIT $2) d
     WHERE p.id = d.id`,
    [before, limit],
  );
  return rowCount ?? 0;
}
