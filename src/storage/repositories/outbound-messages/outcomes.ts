/**
 * The send worker's commit in one statement: the recipients' transitions, one transition per
 * event the messages take (each the machine's conditional UPDATE with its timeline rows, as in
 * transitions.ts) and the MIME that was sent. One round trip, atomic on its own, so a message's
 * outcome is written as soon as its SMTP transaction ends without a transaction's extra trips.
 */
import { prepared } from '../../sql.js';
import type { Executor } from '../../../services/ports.js';
import type { OutcomeBatch, TransitionedRow } from '../../../services/outbound/ports/index.js';
import { outboundMachine } from '../../../domain/state/outbound-message.js';
import { recipientCtes } from './recipients.js';
import { MOVED, parameters, toTransitioned, transitionCtes, type Param } from './transitions.js';

/** What moved, per transition of the batch (in the batch's order). */
export async function recordOutcomes(
  ex: Executor,
  b: OutcomeBatch,
  now: Date,
): Promise<TransitionedRow[][]> {
  const { values, $ } = parameters();
  const ctes: string[] = [];
  if (b.recipients.length > 0) ctes.push(recipientCtes('r', b.recipients, now, $));
  const groups = b.transitions.filter((g) => g.rows.length > 0);
  groups.forEach((g, i) =>
    ctes.push(transitionCtes(`${i}`, g.event, g.rows, { ...g.options, now }, $)),
  );
  if (b.raws.length > 0) ctes.push(rawCte(b, now, $));
  if (ctes.length === 0) return [];
  ctes.push(`sc AS (SELECT set_config('synchronous_commit', 'off', true) AS off)`);
  const selects = groups.map((_, i) => `SELECT ${i} AS g, ${MOVED} FROM t${i}`);
  const moved = selects.length ? selects.join(' UNION ALL ') : 'SELECT NULL::int AS g';
  const { rows } = await prepared<Record<string, unknown>>(
    ex,
    `WITH ${ctes.join(', ')} SELECT x.* FROM (${moved}) x CROSS JOIN sc WHERE x.g IS NOT NULL`,
    values,
  );
  const out = b.transitions.map((): TransitionedRow[] => []);
  const index = groups.map((g) => b.transitions.indexOf(g));
  for (const r of rows) {
    const g = r.g as number;
    out[index[g]!]!.push(toTransitioned(r, outboundMachine.target(groups[g]!.event)));
  }
  return out;
}

/**
 * The MIME rows: every message's bytes in one binary parameter, cut apart by offset and length.
 * A bytea[] parameter travels as a text array of hex literals, twice the bytes on the wire and
 * parsed character by character; a lone Buffer parameter travels as it is. Inbound storage
 * gives each blob its own `$n::bytea` instead (inbound-emails/raw.ts); this statement is
 * prepared, and a parameter per message would prepare one statement per batch size. A batch
 * too large for one value (1 GB) fails, and the recorder then writes its messages one by one.
 */
function rawCte(b: OutcomeBatch, now: Date, $: Param): string {
  const offsets: number[] = [];
  let at = 1;
  for (const r of b.raws) {
    offsets.push(at);
    at += r.raw.length;
  }
  const all = Buffer.concat(b.raws.map((r) => r.raw));
  return `raw AS (
       INSERT INTO outbound_message_raw (message_id, raw, transport, created_at)
       SELECT v.id, substring(${$(all)}::bytea FROM v.at FOR v.len), ${$(b.transport)}::text,
         ${$(now)}::timestamptz
       FROM unnest(${$(b.raws.map((r) => r.id))}::uuid[], ${$(offsets)}::int[],
         ${$(b.raws.map((r) => r.raw.length))}::int[]) AS v(id, at, len)
       ON CONFLICT (message_id) DO UPDATE SET raw = EXCLUDED.raw, transport = EXCLUDED.transport,
         created_at = EXCLUDED.created_at
     )`;
}
