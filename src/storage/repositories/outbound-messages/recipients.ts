/**
 * recipient_deliveries: one row per recipient of a message, moved by recipientMachine. All the
 * transitions of a commit go in one statement, each row guarded by its own event's sources
 * (`status = ANY(machine.sources(event))`), so a transition that no longer applies is skipped.
 * `recipientCtes` is that UPDATE as named CTEs, for the send worker's one-statement commit.
 */
import { query, rows } from '../../sql.js';
import { parameters, type Param } from './transitions.js';
import type { Executor } from '../../../services/ports.js';
import type {
  RecipientTransitioned,
  RecipientTransitionRow,
} from '../../../services/outbound/ports/index.js';
import type { RecipientDelivery } from '../../../domain/outbound/message.js';
import {
  recipientMachine,
  type RecipientStatus,
} from '../../../domain/state/recipient-delivery.js';

/**
 * The recipients of the messages `ids` as one jsonb array per message (message_id, deliveries),
 * in To, Cc, Bcc order: one grouped pass for a whole claim rather than a subquery per row.
 */
export const deliveriesByMessage = (ids: string) => `SELECT r.message_id,
    jsonb_agg(jsonb_build_object('address', r.address, 'status', r.status, 'attempts', r.attempts,
      'smtp_code', r.smtp_code, 'smtp_response', r.smtp_response, 'updated_at', r.updated_at)
      ORDER BY r.position) AS deliveries
  FROM recipient_deliveries r WHERE r.message_id = ANY(${ids}::uuid[]) GROUP BY r.message_id`;

interface DeliveryJson {
  address: string;
  status: RecipientStatus;
  attempts: number;
  smtp_code: number | null;
  smtp_response: string | null;
  updated_at: string;
}

export function toDeliveries(json: unknown): RecipientDelivery[] {
  return ((json as DeliveryJson[] | null) ?? []).map((d) => ({
    address: d.address,
    status: d.status,
    attempts: d.attempts,
    smtpCode: d.smtp_code,
    smtpResponse: d.smtp_response,
    updatedAt: new Date(d.updated_at),
  }));
}

/**
 * The CTEs of a set of recipient transitions, suffixed `tag`; what moved comes out of
 * `rt${tag}` (message_id, address, from_status, to_status).
 */
export function recipientCtes(
  tag: string,
  items: readonly RecipientTransitionRow[],
  now: Date,
  $: Param,
): string {
  // `message_id = ANY(ids)` lets the lookup use the primary key (see transitionCtes): the join
  // alone, with its `address IS NULL OR` arm, was always planned as a sequential scan. A generic
  // plan made while the table is young may still scan it (docs/performance.md).
  const ids = $(items.map((i) => i.messageId));
  return `rv${tag} AS (
       SELECT * FROM unnest(${ids}::uuid[], ${$(items.map((i) => i.address))}::text[],
         ${$(items.map((i) => recipientMachine.sources(i.event).join(',')))}::text[],
         ${$(items.map((i) => recipientMachine.target(i.event)))}::text[],
         ${$(items.map((i) => i.smtpCode ?? null))}::int[], ${$(items.map((i) => i.smtpResponse ?? null))}::text[],
         ${$(items.map((i) => i.attempted ?? false))}::boolean[])
         AS v(message_id, address, sources, to_status, smtp_code, smtp_response, attempted)
     ), ro${tag} AS (
       SELECT r.message_id, r.address, r.status, v.to_status, v.smtp_code, v.smtp_response, v.attempted
       FROM recipient_deliveries r JOIN rv${tag} v ON r.message_id = v.message_id
        AND (v.address IS NULL OR r.address = v.address)
       WHERE r.message_id = ANY(${ids}::uuid[]) AND r.status = ANY(string_to_array(v.sources, ','))
       ORDER BY r.message_id, r.address FOR UPDATE OF r
     ), rt${tag} AS (
       UPDATE recipient_deliveries r SET status = o.to_status, updated_at = ${$(now)},
         attempts = r.attempts + CASE WHEN o.attempted THEN 1 ELSE 0 END,
         smtp_code = coalesce(o.smtp_code, r.smtp_code),
         smtp_response = coalesce(o.smtp_response, r.smtp_response)
       FROM ro${tag} o WHERE r.message_id = o.message_id AND r.address = o.address
       RETURNING r.message_id, r.address, o.status AS from_status, r.status AS to_status
     )`;
}

export async function applyRecipientTransitions(
  ex: Executor,
  items: readonly RecipientTransitionRow[],
  now: Date,
): Promise<RecipientTransitioned[]> {
  if (items.length === 0) return [];
  const { values, $ } = parameters();
  const out = await rows<{
    message_id: string;
    address: string;
    from_status: RecipientStatus;
    to_status: RecipientStatus;
  }>(ex, `WITH ${recipientCtes('', items, now, $)} SELECT * FROM rt`, values);
  return out.map((r) => ({
    messageId: r.message_id,
    address: r.address,
    from: r.from_status,
    to: r.to_status,
  }));
}

export async function getDeliveries(
  ex: Executor,
  messageIds: readonly string[],
): Promise<Map<string, RecipientDelivery[]>> {
  const out = new Map<string, RecipientDelivery[]>(messageIds.map((id) => [id, []]));
  if (messageIds.length === 0) return out;
  const { rows: found } = await query<{
    message_id: string;
    address: string;
    status: RecipientStatus;
    attempts: number;
    smtp_code: number | null;
    smtp_response: string | null;
    updated_at: Date;
  }>(
    ex,
    `SELECT message_id, address, status, attempts, smtp_code, smtp_response, updated_at
       FROM recipient_deliveries WHERE message_id = ANY($1::uuid[]) ORDER BY message_id, position`,
    [messageIds],
  );
  for (const r of found) {
    out.get(r.message_id)?.push({
      address: r.address,
      status: r.status,
      attempts: r.attempts,
      smtpCode: r.smtp_code,
      smtpResponse: r.smtp_response,
      updatedAt: r.updated_at,
    });
  }
  return out;
}
