/**
 * The inbound feature's thread lookups: which of our messages an inbound reply answers, and what
 * those messages said (a reply often pastes them back).
 */
import { query, rows } from '../../sql.js';
import type { Executor } from '../../../services/ports.js';
import type { ThreadMatch } from '../../../services/inbound/ports.js';

interface ThreadRow {
  id: string;
  message_id_header: string;
  kind: string;
  subject: string;
  recipients: string[];
  metadata: Record<string, unknown>;
  tags: string[];
  created_at: Date;
}

const THREAD_COLUMNS =
  'id, message_id_header, kind, subject, recipients, metadata, tags, created_at';

function toThread(r: ThreadRow): ThreadMatch {
  return {
    outboundMessageId: r.id,
    messageIdHeader: r.message_id_header,
    kind: r.kind,
    subject: r.subject,
    recipients: r.recipients ?? [],
    metadata: r.metadata ?? {},
    tags: r.tags ?? [],
    createdAt: r.created_at,
  };
}

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
  const found = await rows<ThreadRow>(
    ex,
    `SELECT ${THREAD_COLUMNS} FROM outbound_messages
      WHERE message_id_header = ANY($1::text[]) OR message_id_header = ANY($2::text[])`,
    [ids, withBrackets],
  );
  if (found.length === 0) return null;
  const order = (h: string) => ids.indexOf(h.replace(/^<|>$/g, ''));
  return toThread(
    found.sort((a, b) => order(a.message_id_header) - order(b.message_id_header))[0]!,
  );
}

/** The outbound message a `message` reply token names. */
export async function findThreadById(ex: Executor, id: string): Promise<ThreadMatch | null> {
  const found = await rows<ThreadRow>(
    ex,
    `SELECT ${THREAD_COLUMNS} FROM outbound_messages WHERE id = $1`,
    [id],
  );
  return found[0] ? toThread(found[0]) : null;
}

/** The `replied` timeline event, once per inbound email however often it is processed. */
export async function recordReply(
  ex: Executor,
  messageId: string,
  inboundEmailId: string,
  at: Date,
): Promise<void> {
  await query(
    ex,
    `INSERT INTO message_events (message_id, type, data, at)
     SELECT $1, 'replied', jsonb_build_object('inbound_email_id', $2::text), $3
      WHERE NOT EXISTS (SELECT 1 FROM message_events
                         WHERE message_id = $1 AND type = 'replied' AND data->>'inbound_email_id' = $2::text)`,
    [messageId, inboundEmailId, at],
  );
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
