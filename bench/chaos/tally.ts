/**
 * The figures of one scenario, from the database and what the SMTP server kept: accepted,
 * delivered, lost, duplicated beyond the copies the kills allow, and whether every duplicate was
 * flagged `possibly_duplicate`. Counted per recipient: a message to three people is three
 * deliveries.
 */
import type pg from 'pg';

export interface SinkDump {
  /** Message-ID, the recipients the server accepted, when it kept the message (ms). */
  deliveries: Array<readonly [string, string[], number]>;
  injected: Record<string, number>;
}

export interface Tally {
  messages: number;
  recipients: number;
  delivered: number;
  lost: number;
  /** Bad mailboxes (550 at RCPT): expected never to arrive, and to end bounced. */
  hardBounced: number;
  hardExpected: number;
  copies: number;
  duplicatedPairs: number;
  unflaggedDuplicates: number;
  flaggedMessages: number;
  unknownAtSink: number;
  unsettled: number;
  statuses: Record<string, number>;
  /** Duplicated deliveries by the kill that cut off their first copy's commit. */
  perKill: number[];
}

interface Row {
  id: string;
  header: string;
  status: string;
  dup: boolean;
  address: string;
  rstatus: string;
}

/** Each duplicated delivery belongs to the first kill after its first copy reached the server. */
function byKill(firstCopies: readonly number[], kills: readonly number[]): number[] {
  const counts = kills.map(() => 0);
  for (const at of firstCopies) {
    const k = kills.findIndex((t) => t >= at);
    if (k >= 0) counts[k]! += 1;
  }
  return counts;
}

export async function tally(
  pool: pg.Pool,
  dump: SinkDump,
  hard: RegExp | null,
  kills: readonly number[] = [],
): Promise<Tally> {
  const { rows } = await pool.query<Row>(
    `SELECT m.id, m.message_id_header AS header, m.status, m.possibly_duplicate AS dup,
            r.address, r.status AS rstatus
       FROM outbound_messages m JOIN recipient_deliveries r ON r.message_id = m.id`,
  );
  const seen = new Map<string, number>();
  const firstAt = new Map<string, number>();
  for (const [id, to, at] of dump.deliveries)
    for (const rcpt of to) {
      const key = `${id}|${rcpt.toLowerCase()}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      firstAt.set(key, Math.min(at, firstAt.get(key) ?? at));
    }
  const known = new Set(rows.map((r) => `${r.header.slice(1, -1)}|${r.address}`));
  const t: Tally = {
    messages: new Set(rows.map((r) => r.id)).size,
    recipients: rows.length,
    delivered: 0,
    lost: 0,
    hardBounced: 0,
    hardExpected: 0,
    copies: 0,
    duplicatedPairs: 0,
    unflaggedDuplicates: 0,
    flaggedMessages: new Set(rows.filter((r) => r.dup).map((r) => r.id)).size,
    unknownAtSink: [...seen.keys()].filter((k) => !known.has(k)).length,
    unsettled: 0,
    statuses: {},
    perKill: [],
  };
  const duplicatedAt: number[] = [];
  for (const status of new Map(rows.map((r) => [r.id, r.status])).values()) {
    t.statuses[status] = (t.statuses[status] ?? 0) + 1;
    if (['scheduled', 'queued', 'sending', 'deferred'].includes(status)) t.unsettled += 1;
  }
  for (const r of rows) {
    const n = seen.get(`${r.header.slice(1, -1)}|${r.address}`) ?? 0;
    if (n > 0) t.delivered += 1;
    if (hard?.test(r.address)) {
      t.hardExpected += 1;
      if (r.rstatus === 'bounced' && n === 0) t.hardBounced += 1;
      continue;
    }
    if (n === 0) t.lost += 1;
    if (n > 1) {
      duplicatedAt.push(firstAt.get(`${r.header.slice(1, -1)}|${r.address}`)!);
      t.copies += n - 1;
      t.duplicatedPairs += 1;
      if (!r.dup) t.unflaggedDuplicates += 1;
    }
  }
  t.perKill = byKill(duplicatedAt, kills);
  return t;
}

/** The tally as the lines `npm run chaos` prints and docs/reliability.md records. */
export function describeTally(t: Tally, allowance: { copies: number; why: string }): string[] {
  const beyond = Math.max(0, t.copies - allowance.copies);
  return [
    `accepted:   ${t.messages} messages, ${t.recipients} recipient deliveries`,
    `delivered:  ${t.delivered} (distinct message × recipient at the SMTP server)`,
    `lost:       ${t.lost}${t.unsettled ? ` (${t.unsettled} messages still unsettled)` : ''}`,
    ...(t.hardExpected
      ? [
          `bounced:    ${t.hardBounced} of ${t.hardExpected} bad mailboxes ended bounced, none delivered`,
        ]
      : []),
    `duplicated: ${t.copies} extra copies of ${t.duplicatedPairs} deliveries; allowed ${allowance.copies} (${allowance.why}); beyond: ${beyond}`,
    ...(t.perKill.length
      ? [
          `per kill:   ${t.perKill.join(', ')} duplicated deliveries (max ${Math.max(...t.perKill)}, attributed to the first kill after the first copy arrived)`,
        ]
      : []),
    `flagged:    every duplicate flagged: ${t.unflaggedDuplicates === 0 ? 'yes' : `NO (${t.unflaggedDuplicates} unflagged)`}; messages flagged possibly_duplicate: ${t.flaggedMessages}`,
    `statuses:   ${Object.entries(t.statuses)
      .map(([s, n]) => `${s} ${n}`)
      .join(
        ', ',
      )}${t.unknownAtSink ? `; ${t.unknownAtSink} unknown deliveries at the server` : ''}`,
  ];
}
