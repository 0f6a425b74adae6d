/**
 * Read model over inbound_emails (migration 0003) for the inbound list and detail pages, and
 * the entries a message produced (entries.inbound_email_id, migration 0004). Keyset pages on
 * the UUIDv7 id, newest first.
 */
import { one, rows } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type {
  InboundDetail,
  InboundFilter,
  InboundListItem,
  Page,
} from '../../services/dashboard/ports/index.js';

interface ListRow {
  id: string;
  provider: string;
  status: string;
  reason: string | null;
  from_address: string | null;
  envelope_from: string | null;
  envelope_to: string[];
  subject: string | null;
  received_at: Date;
  size_bytes: number;
}

interface DetailRow extends ListRow {
  message_id: string;
  reason_detail: string | null;
  verdicts: Record<string, string>;
  classification: unknown;
  correlation: unknown;
  routed_to: unknown;
  reply: unknown;
  attempts: number;
  last_error: string | null;
  processed_at: Date | null;
  has_raw: boolean;
}

const toItem = (r: ListRow): InboundListItem => ({
  id: r.id,
  provider: r.provider,
  status: r.status,
  reason: r.reason,
  from: r.from_address ?? r.envelope_from ?? '',
  to: r.envelope_to,
  subject: r.subject,
  receivedAt: r.received_at,
  sizeBytes: r.size_bytes,
});

const COLUMNS = `id, provider, status, reason, from_address, envelope_from, envelope_to, subject, received_at, size_bytes`;

export async function list(ex: Executor, f: InboundFilter): Promise<Page<InboundListItem>> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.status) where.push(`status = $${args.push(f.status)}`);
  if (f.provider) where.push(`provider = $${args.push(f.provider)}`);
  if (f.before) where.push(`id < $${args.push(f.before)}::uuid`);
  const r = await rows<ListRow>(
    ex,
    `SELECT ${COLUMNS} FROM inbound_emails ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id DESC LIMIT $${args.push(f.limit + 1)}`,
    args,
  );
  const items = r.slice(0, f.limit).map(toItem);
  return { items, nextBefore: r.length > f.limit ? (items.at(-1)?.id ?? null) : null };
}

export async function get(ex: Executor, id: string): Promise<InboundDetail | null> {
  const row = await one<DetailRow>(
    ex,
    `SELECT ${COLUMNS}, message_id, reason_detail, verdicts, classification, correlation, routed_to, reply,
            attempts, last_error, processed_at, raw_deleted_at,
            EXISTS (SELECT 1 FROM inbound_email_raw w WHERE w.inbound_email_id = e.id) AS has_raw
       FROM inbound_emails e WHERE id = $1`,
    [id],
  );
  if (!row) return null;
  return {
    ...toItem(row),
    messageId: row.message_id,
    reasonDetail: row.reason_detail,
    verdicts: row.verdicts,
    classification: row.classification,
    correlation: row.correlation,
    routedTo: row.routed_to,
    reply: row.reply,
    attempts: row.attempts,
    lastError: row.last_error,
    processedAt: row.processed_at,
    hasRaw: row.has_raw,
    entries: await producedEntries(ex, id),
  };
}

/** The check-in tables may not be installed; then a message produced no entries. */
async function producedEntries(ex: Executor, id: string): Promise<InboundDetail['entries']> {
  const installed = await one<{ t: string | null }>(ex, `SELECT to_regclass('entries')::text AS t`);
  if (!installed?.t) return [];
  const r = await rows<{
    id: string;
    team_id: string;
    member_name: string;
    local_date: string;
    kind: string;
    text: string;
  }>(
    ex,
    `SELECT e.id, e.team_id, m.name AS member_name, e.local_date::text, e.kind, e.text
       FROM entries e JOIN members m ON m.id = e.member_id
      WHERE e.inbound_email_id = $1 ORDER BY e.created_at, e.id`,
    [id],
  );
  return r.map((e) => ({
    id: e.id,
    teamId: e.team_id,
    memberName: e.member_name,
    date: e.local_date,
    kind: e.kind,
    text: e.text,
  }));
}

export async function raw(ex: Executor, id: string): Promise<Buffer | null> {
  const r = await one<{ raw: Buffer }>(
    ex,
    `SELECT raw FROM inbound_email_raw WHERE inbound_email_id = $1`,
    [id],
  );
  return r?.raw ?? null;
}
