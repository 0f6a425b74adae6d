/**
 * Which due instants a tick handles. A tick covers (watermark, now]: instants due within the
 * catch-up window are still sent; older ones (an outage) are recorded as missed_by_outage.
 * Without a watermark (first start) the window starts `catchUpHours` ago, so nothing is marked
 * missed for time the system was never running. The lookback is bounded so a tick after a long
 * outage stays small.
 */
export interface TickWindow {
  /** Exclusive lower bound. */
  from: Date;
  /** Inclusive upper bound. */
  to: Date;
  /** Due at or after this instant → send; before → missed_by_outage. */
  sendFrom: Date;
}

export interface TickWindowInput {
  now: Date;
  watermark: Date | null;
  catchUpHours: number;
  maxLookbackHours: number;
}

const HOUR = 3_600_000;

export function tickWindow(input: TickWindowInput): TickWindow {
  const now = input.now.getTime();
  const sendFrom = now - input.catchUpHours * HOUR;
  const floor = now - Math.max(input.maxLookbackHours, input.catchUpHours) * HOUR;
  let from = input.watermark === null ? sendFrom - 1 : input.watermark.getTime();
  if (from < floor) from = floor;
  if (from > now) from = now;
  return { from: new Date(from), to: new Date(now), sendFrom: new Date(sendFrom) };
}

export type DueClass = 'send' | 'missed_by_outage' | null;

export function classifyDue(dueAt: Date, w: TickWindow): DueClass {
  const t = dueAt.getTime();
  if (t <= w.from.getTime() || t > w.to.getTime()) return null;
  return t >= w.sendFrom.getTime() ? 'send' : 'missed_by_outage';
}
