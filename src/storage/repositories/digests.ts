/**
 * Digests (digests, digest_deliveries): the rows, their lifecycle (one transition function
 * driven by domain/state/digest.ts; `build` freezes the content), recipients and the
 * per-recipient delivery claims.
 */
import { one, query, rows } from '../sql.js';
import { digestMachine, type DigestEvent } from '../../domain/state/digest.js';
import type {
  DigestEntry,
  DigestPatch,
  DigestRow,
  MemberRow,
  NewDigest,
} from '../../services/checkins/ports.js';
import type { Executor } from '../../services/ports.js';
import { MEMBER_COLUMNS } from './members.js';

export const DIGEST_COLUMNS = `d.id, d.team_id, d.local_date, d.send_date, d.due_at, d.status, d.content, d.recipients_total,
  d.built_at, d.sent_at`;

export async function getDigest(ex: Executor, id: string): Promise<DigestRow | null> {
  return one<DigestRow>(ex, `SELECT ${DIGEST_COLUMNS} FROM digests d WHERE d.id = $1`, [id]);
}

export async function findDigest(
  ex: Executor,
  teamId: string,
  localDate: string,
): Promise<DigestRow | null> {
  return one<DigestRow>(
    ex,
    `SELECT ${DIGEST_COLUMNS} FROM digests d WHERE d.team_id = $1 AND d.local_date = $2`,
    [teamId, localDate],
  );
}

/** Creates the digest for a reported date, or returns the one that exists (operator runs race the tick). */
export async function createDigest(ex: Executor, d: NewDigest, now: Date): Promise<DigestRow> {
  await query(
    ex,
    `INSERT INTO digests (id, team_id, local_date, send_date, due_at, status, created_at)
     VALUES (checkins_uuidv7(), $1, $2, $3, $4, 'pending', $5) ON CONFLICT (team_id, local_date) DO NOTHING`,
    [d.team_id, d.local_date, d.send_date, d.due_at, now],
  );
  return (await findDigest(ex, d.team_id, d.local_date))!;
}

/** The reported day's entries in one read, in the order they were written. */
export async function digestEntries(
  ex: Executor,
  teamId: string,
  localDate: string,
): Promise<DigestEntry[]> {
  return rows<DigestEntry>(
    ex,
    `SELECT e.member_id AS "memberId", m.name AS "memberName", e.kind, e.text, e.tags, e.mentions, e.completed
       FROM entries e JOIN members m ON m.id = e.member_id
      WHERE e.team_id = $1 AND e.local_date = $2
      ORDER BY e.member_id, e.seq`,
    [teamId, localDate],
  );
}

/** What each event records besides the status, from $4: its time; `build` also the content. */
const EVENT_SETS: Record<DigestEvent, { set: string; values: (p: DigestPatch) => unknown[] }> = {
  build: {
    set: ', built_at = $4, content = $5, recipients_total = $6',
    values: (p) => [p.at, JSON.stringify(p.content), p.recipients],
  },
  skip_empty: { set: ', built_at = $4', values: (p) => [p.at] },
  start_sending: { set: '', values: () => [] },
  resend: { set: '', values: () => [] },
  finish: { set: ', sent_at = $4', values: (p) => [p.at] },
};

/** The one status UPDATE of a digest; `guard` may add a condition on $1 and its own values. */
async function applyEvent(
  ex: Executor,
  id: string,
  event: DigestEvent,
  patch: DigestPatch,
  guard: { sql: string; values: unknown[] } = { sql: '', values: [] },
): Promise<boolean> {
  const { set, values } = EVENT_SETS[event];
  const r = await query(
    ex,
    `UPDATE digests SET status = $2${set} WHERE id = $1 AND status = ANY ($3::text[])${guard.sql}`,
    [
      id,
      digestMachine.target(event),
      digestMachine.sources(event),
      ...values(patch),
      ...guard.values,
    ],
  );
  return r.rowCount === 1;
}

/** Moves a digest on by `event`; false when it had already moved (another worker, a retry). */
export function transitionDigest(
  ex: Executor,
  id: string,
  event: DigestEvent,
  patch: DigestPatch,
): Promise<boolean> {
  return applyEvent(ex, id, event, patch);
}

/**
 * `finish` once every recipient of this round has a delivery row. It runs after the sending
 * chunk commits, so the last chunk sees every other chunk's claims; earlier chunks find the
 * count short and leave the digest in `sending`.
 */
export function finishDigestIfComplete(
  ex: Executor,
  id: string,
  round: number,
  at: Date,
): Promise<boolean> {
  return applyEvent(
    ex,
    id,
    'finish',
    { at },
    {
      // $5: after finish's own $4 (sent_at)
      sql: ` AND (SELECT count(*) FROM digest_deliveries WHERE digest_id = $1 AND round = $5) >= coalesce(recipients_total, 0)`,
      values: [round],
    },
  );
}

/** Every member and observer not unsubscribed from digests, keyset-paged by id. */
export async function digestRecipients(
  ex: Executor,
  teamId: string,
  afterId: string | null,
  limit: number,
): Promise<MemberRow[]> {
  return rows<MemberRow>(
    ex,
    `SELECT ${MEMBER_COLUMNS} FROM members m
      WHERE m.team_id = $1 AND ($2::uuid IS NULL OR m.id > $2)
        AND NOT EXISTS (SELECT 1 FROM member_unsubscriptions u WHERE u.member_id = m.id AND u.kind = 'digest')
      ORDER BY m.id LIMIT $3`,
    [teamId, afterId, limit],
  );
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

/** The current send round: 1, plus one per operator resend. */
export async function digestRound(ex: Executor, digestId: string): Promise<number> {
  const r = await query<{ n: number }>(
    ex,
    'SELECT coalesce(max(round), 1)::int AS n FROM digest_deliveries WHERE digest_id = $1',
    [digestId],
  );
  return r.rows[0]!.n;
}
