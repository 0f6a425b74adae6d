/**
 * The inbound feature's thread lookups: which of our messages an inbound reply answers, and what
 * those messages said (a reply often pastes them back).
 */
import { query, rows } from '../../sql.js';
import type { Executor } from '../../../services/ports.js';
import type { ThreadMatch } from '../../../services/inbound/ports.js';

/**
 * The outbound message an inbound reply answers, by the Message-IDs in its In-Reply-To and
 * References (compared without angle brackets). The first id in the caller's order wins.
 */
export async function findThreadByMessageIds(
  ex: Executor,
  ids: readonly string[],
): Promise<ThreadMatch | null> {
  if (ids.length === 0) return null;
  const withBrackets = ids.map((i) => `<${i}>`);
  const { rows } = await query<{
    id: string;
    message_id_header: string;
    kind: string;
    recipients: string[];
    metadata: Record<string, unknown>;
  }>(
    ex,
    `SELECT id, message_id_header, kind, recipients, metadata FROM outbound_messages
      WHERE message_id_header = ANY($1::text[]) OR message_id_header = ANY($2::text[])`,
    [ids, withBrackets],
  );
  if (rows.length === 0) return null;
  const order = (h: string) => ids.indexOf(h.replace(/^<|>$/g, ''));
  const best = rows.sort((a, b) => order(a.message_id_header) - order(b.message_id_header))[0]!;
  return {
    outboundMessageId: best.id,
    messageIdHeader: best.message_id_header,
    kind: best.kind,
    recipients: best.recipients ?? [],
    metadata: best.metadata ?? {},
  };
}

/** Text then HTML of each message, in the caller's order; a message without a body adds none. */
export async function findBodies(ex: Executor, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await rows<{ id: string; text: string | null; html: string | null }>(
    ex,
    `SELECT id, text, html FROM outbound_messages WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  const byId = new Map(found.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [r.text, r.html].filter((b): b is string => !!b) : [];
  });
}
