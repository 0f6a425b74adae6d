/**
 * Rate-limit slot allocation (GCRA: each key keeps a "theoretical arrival time", tat). Given the
 * tats of every key involved (the transport, each recipient domain) and a batch of messages,
 * give each message the earliest instant all its keys allow. Messages whose instant falls inside
 * the worker's inline window are sent at that instant; the rest are deferred to it without
 * taking a slot, so a backlog never books slots it cannot use. Mail is delayed, never dropped.
 */

export interface RateKey {
  key: string;
  /** messages per second */
  rate: number;
}

export interface SlotRequest {
  id: string;
  keys: RateKey[];
}

export type SlotAssignment =
  { id: string; at: Date; inline: true } | { id: string; at: Date; inline: false };

export function allocateSlots(
  requests: SlotRequest[],
  tats: Map<string, Date>,
  now: Date,
  inlineWindowMs: number,
): { assignments: SlotAssignment[]; tats: Map<string, Date> } {
  const next = new Map<string, number>();
  for (const [k, v] of tats) next.set(k, v.getTime());
  const nowMs = now.getTime();
  const assignments: SlotAssignment[] = [];
  for (const req of requests) {
    let at = nowMs;
    for (const k of req.keys) at = Math.max(at, next.get(k.key) ?? nowMs);
    if (at - nowMs <= inlineWindowMs) {
      for (const k of req.keys) next.set(k.key, at + 1000 / k.rate);
      assignments.push({ id: req.id, at: new Date(at), inline: true });
    } else {
      assignments.push({ id: req.id, at: new Date(at), inline: false });
    }
  }
  const out = new Map<string, Date>();
  for (const [k, v] of next) out.set(k, new Date(v));
  return { assignments, tats: out };
}
