/**
 * unmapped_provider_events: provider webhook events whose type moves no message (known
 * informational types) or that we do not know, kept as received, once per provider event id.
 */
import { newId } from '../../lib/ids.js';
import type { UnmappedEvent } from '../../domain/inbound/unmapped-event.js';
import type { Executor } from '../../services/ports.js';
import { jsonParam, query } from '../sql.js';

export async function insertUnmappedEvents(
  ex: Executor,
  events: readonly UnmappedEvent[],
  now: Date,
): Promise<number> {
  if (events.length === 0) return 0;
  const { rowCount } = await query(
    ex,
    `INSERT INTO unmapped_provider_events (id, provider, provider_type, known, event_id, message_id,
        provider_message_id, recipient, occurred_at, received_at, payload)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::text[],
                          $7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[], $11::jsonb[])
     ON CONFLICT (provider, event_id, provider_type, recipient) WHERE event_id IS NOT NULL DO NOTHING`,
    [
      events.map(() => newId(now.getTime())),
      events.map((e) => e.provider),
      events.map((e) => e.providerType),
      events.map((e) => e.known),
      events.map((e) => e.eventId),
      events.map((e) => e.messageId ?? null),
      events.map((e) => e.providerMessageId ?? null),
      events.map((e) => e.recipient ?? null),
      events.map((e) => e.at),
      events.map(() => now),
      events.map((e) => (e.raw === undefined ? null : jsonParam(e.raw))),
    ],
  );
  return rowCount ?? 0;
}

export async function deleteUnmappedEvents(ex: Executor, before: Date): Promise<number> {
  const { rowCount } = await query(
    ex,
    'DELETE FROM unmapped_provider_events WHERE received_at < $1',
    [before],
  );
  return rowCount ?? 0;
}
