/**
 * Read-only lookup of our own outbound messages by Message-ID (table owned by the outbound
 * engine), for the In-Reply-To/References fallback. Header ids are compared without angle
 * brackets.
 */
import type { Database } from '../../services/ports.js';
import type { ThreadLookup } from '../../services/inbound/ports.js';

export function createThreadLookup(db: Database): ThreadLookup {
  return {
    async findByMessageIds(ids) {
      if (ids.length === 0) return null;
      const withBrackets = ids.map((i) => `<${i}>`);
      const { rows } = await db.query<{
        id: string;
        message_id_header: string;
        kind: string;
        recipients: string[];
        metadata: Record<string, unknown>;
      }>(
        `SELECT id, message_id_header, kind, recipients, metadata FROM outbound_messages
          WHERE message_id_header = ANY($1::text[]) OR message_id_header = ANY($2::text[])`,
        [ids, withBrackets],
      );
      if (rows.length === 0) return null;
      // The first id in our order (In-Reply-To, then newest reference) wins.
      const order = (h: string) => ids.indexOf(h.replace(/^<|>$/g, ''));
      const best = rows.sort((a, b) => order(a.message_id_header) - order(b.message_id_header))[0]!;
      return {
        outboundMessageId: best.id,
        messageIdHeader: best.message_id_header,
        kind: best.kind,
        recipients: best.recipients ?? [],
        metadata: best.metadata ?? {},
      };
    },
  };
}
