/** Digest rows, their frozen content, recipients and the per-recipient delivery claims. */
import { query } from '../sql.js';
import type { EntryView } from '../../domain/checkins/entry.js';
import type { FrozenDigest } from '../../domain/checkins/digest-view.js';
import type { DigestStatus } from '../../domain/state/digest.js';
import { digestMachine } from '../../domain/state/digest.js';
import type { DigestRow, MemberRow } from '../../services/checkins/ports.js';
import type { Executor } from '../../services/ports.js';
import { DIGEST_COLUMNS, MEMBER_COLUMNS } from './columns.js';

export async function getDigest(ex: Executor, id: string): Promise<DigestRow | null> {
  const r = await query<DigestRow>(ex, `SELECT ${DIGEST_COLUMNS} FROM digests d WHERE d.id = $1`, [
    id,
  ]);
  return r.rows[0] ?? null;
}

export async function findDigest(
  ex: Executor,
  teamId: string,
  localDate: string,
): Promise<DigestRow | null> {
  const r = await query<DigestRow>(
    ex,
    `SELECT ${DIGEST_COLUMNS} FROM digests d WHERE d.team_id = $1 AND d.local_date = $2`,
    [teamId, localDate],
  );
  return r.rows[0] ?? null;
}

/** Creates the digest for a reported date, or returns the one that exists (operator runs race the tick). */
export async function createDigest(
  ex: Executor,
  teamId: string,
  localDate: string,
  sendDate: string,
  dueAt: Date,
  now: Date,
): Promise<DigestRow> {
  await query(
    ex,
    `INSERT INTO digests (id, team_id, local_date, send_date, due_at, status, created_at)
     VALUES (checkins_uuidv7(), $1, $2, $3, $4, 'pending', $5) ON CONFLICT (team_id, local_date) DO NOTHING`,
    [teamId, localDate, sendDate, dueAt, now],
  );
  return (await findDigest(ex, teamId, localDate))!;
}

/** The reported day's entries in one read, in the order they were written. */
export async function digestEntries(
  ex: Executor,
  teamId: string,
  localDate: string,
): Promise<Array<EntryView & { memberId: string; memberName: string }>> {
  const r = await query<EntryView & { memberId: string; memberName: string }>(
    ex,
    `SELECT e.member_id AS "memberId", m.name AS "memberName", e.kind, e.text, e.tags, e.mentions, e.completed
       FROM entries e JOIN members m ON m.id = e.member_id
      WHERE e.team_id = $1 AND e.local_date = $2
      ORDER BY e.member_id, e.seq`,
    [teamId, localDate],
  );
  return r.rows;
}

export async function freezeDigest(
  ex: Executor,
  id: string,
  content: FrozenDigest,
  recipients: number,
  at: Date,
): Promise<boolean> {
  const r = await query(
    ex,
    `UPDATE digests SET status = 'built', content = $2, recipients_total = $3, built_at = $4 WHERE id = $1 AND status = ANY ($5::text[])`,
    [id, JSON.stringify(content), recipients, at, digestMachine.sources('build')],
  );
  return r.rowCount === 1;
}

export async function markDigestEmpty(ex: Executor, id: string, at: Date): Promise<boolean> {
  const r = await query(
    ex,
    `UPDATE digests SET status = 'skipped_empty', built_at = $2 WHERE id = $1 AND status = ANY ($3::text[])`,
    [id, at, digestMachine.sources('skip_empty')],
  );
  return r.rowCount === 1;
}

export async function transitionDigest(
  ex: Executor,
  id: string,
  from: DigestStatus[],
  to: DigestStatus,
  at: Date,
): Promise<boolean> {
  const r = await query(
    ex,
    `UPDATE digests SET status = $3, sent_at = CASE WHEN $3 = 'sent' THEN $4 ELSE sent_at END WHERE id = $1 AND status = ANY ($2::text[])`,
    [id, from, to, at],
  );
  return r.rowCount === 1;
}

/**
 * `finish` once every recipient of this round has a delivery row. It runs after the sending
 * chunk commits, so the last chunk sees every other chunk's claims; earlier chunks find the
 * count short and leave the digest in `sending`.
 */
export async function finishDigestIfComplete(
  ex: Executor,
  id: string,
  round: number,
  at: Date,
): Promise<boolean> {
  const r = await query(
    ex,
    `UPDATE digests SET status = $4, sent_at = $3
      WHERE id = $1 AND status = ANY ($5::text[])
        AND (SELECT count(*) FROM digest_deliveries WHERE digest_id = $1 AND round = $2) >= coalesce(recipients_total, 0)`,
    [id, round, at, digestMachine.target('finish'), digestMachine.sources('finish')],
  );
  return r.rowCount === 1;
}

/** Every member and observer not unsubscribed from digests, keyset-paged by id. */
export async function digestRecipients(
  ex: Executor,
  teamId: string,
  afterId: string | null,
  limit: number,
): Promise<MemberRow[]> {
  const r = await query<MemberRow>(
    ex,
    `SELECT ${MEMBER_COLUMNS} FROM members m
      WHERE m.team_id = $1 AND ($2::uuid IS NULL OR m.id > $2)
        AND NOT EXISTS (SELECT 1 FROM member_unsubscriptions u WHERE u.member_id = m.id AND u.kind = 'digest')
      ORDER BY m.id LIMIT $3`,
    [teamId, afterId, limit],
  );
  return r.rows;
}

/** Claims recipients for this send round; only the returned ones may be mailed by the caller. */
export async function claimDeliveries(
  ex: Executor,
  digestId: string,
  round: number,
  memberIds: readonly string[],
  at: Date,
): Promise<string[]> {
  const r = await query<{ member_id: string }>(
    ex,
    `INSERT INTO digest_deliveries (digest_id, round, member_id, created_at)
     SELECT $1, $2, unnest($3::uuid[]), $4 ON CONFLICT DO NOTHING RETURNING member_id`,
    [digestId, round, memberIds, at],
  );
  return r.rows.map((x) => x.member_id);
}

export async function setRecipientsTotal(
  ex: Executor,
  digestId: string,
  total: number,
): Promise<void> {
  await query(ex, 'UPDATE digests SET recipients_total = $2 WHERE id = $1', [digestId, total]);
}

export async function countDeliveries(
  ex: Executor,
  digestId: string,
  round: number,
): Promise<number> {
  const r = await query<{ n: number }>(
    ex,
    'SELECT count(*)::int AS n FROM digest_deliveries WHERE digest_id = $1 AND round = $2',
    [digestId, round],
  );
  return r.rows[0]!.n;
}

/** The current send round: 1, plus one per operator resend. */
export async function digestRound(ex: Executor, digestId: string): Promise<number> {
  const r = await query<{ n: number }>(
    ex,
    'SELECT coalesce(max(round), 1)::int AS n FROM digest_deliveries WHERE digest_id = $1',
    [digestId],
  );
  return r.rows[0]!.n;
}

export async function openDigests(ex: Executor, now: Date): Promise<DigestRow[]> {
  const r = await query<DigestRow>(
    ex,
    `SELECT ${DIGEST_COLUMNS} FROM digests d WHERE d.status IN ('pending', 'built') AND d.due_at <= $1 ORDER BY d.due_at LIMIT 500`,
    [now],
  );
  return r.rows;
}
