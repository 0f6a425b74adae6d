/**
 * Turns the distinct schedules in use (zone + prompt time + cutoff + reminder) into the
 * concrete occurrences that fall in a tick window. The planner passes these few rows to one
 * set-based INSERT, so the DST rules live here, in tested TypeScript, not in SQL.
 */
import { classifyDue, type TickWindow } from './catch-up.js';
import {
  addDays,
  localDateAt,
  localInstant,
  localTimeAt,
  parseLocalTime,
  roughInstant,
} from './local-time.js';

export interface Schedule {
  zone: string;
  promptTime: string;
  cutoffTime: string;
  /** Minutes before the cutoff; null means no reminder. */
  reminderMinutes: number | null;
}

export interface QuietHours {
  start: string;
  end: string;
}

export interface Slot extends Schedule {
  localDate: string;
  dueAt: Date;
  cutoffAt: Date;
  /** Null when reminders are off or the reminder would fall in quiet hours. */
  remindAt: Date | null;
  status: 'scheduled' | 'missed_by_outage';
}

/** A quiet-hours range may wrap midnight (22:00–07:00). */
export function inQuietHours(localTime: string, quiet: QuietHours | null): boolean {
  if (!quiet) return false;
  const t = parseLocalTime(localTime);
  const s = parseLocalTime(quiet.start);
  const e = parseLocalTime(quiet.end);
  if (s === e) return false;
  return s < e ? t >= s && t < e : t >= s || t < e;
}

/** The cutoff is on the prompt's date, or the next day when it is not after the prompt time. */
export function cutoffInstant(localDate: string, s: Schedule): Date {
  const sameDay = parseLocalTime(s.cutoffTime) > parseLocalTime(s.promptTime);
  return localInstant(sameDay ? localDate : addDays(localDate, 1), s.cutoffTime, s.zone);
}

/** No DST shift is larger than this; a rough instant further out cannot be in the window. */
const ROUGH_MARGIN = 3 * 3_600_000;

/** The local dates around a window in a zone (a day either side covers any offset), memoised per tick. */
function datesAround(zone: string, w: TickWindow, memo: Map<string, string[]>): string[] {
  let dates = memo.get(zone);
  if (!dates) {
    dates = [];
    const last = addDays(localDateAt(w.to, zone), 1);
    for (let d = addDays(localDateAt(w.from, zone), -1); d <= last; d = addDays(d, 1))
      dates.push(d);
    memo.set(zone, dates);
  }
  return dates;
}

function maybeInWindow(date: string, time: string, zone: string, w: TickWindow): boolean {
  const t = roughInstant(date, parseLocalTime(time), zone);
  return t > w.from.getTime() - ROUGH_MARGIN && t <= w.to.getTime() + ROUGH_MARGIN;
}

export function slotsInWindow(
  schedules: readonly Schedule[],
  w: TickWindow,
  quiet: QuietHours | null,
): Slot[] {
  const out: Slot[] = [];
  const memo = new Map<string, string[]>();
  for (const s of schedules) {
    for (const d of datesAround(s.zone, w, memo)) {
      if (!maybeInWindow(d, s.promptTime, s.zone, w)) continue;
      const dueAt = localInstant(d, s.promptTime, s.zone);
      const cls = classifyDue(dueAt, w);
      if (!cls) continue;
      const cutoffAt = cutoffInstant(d, s);
      let remindAt: Date | null = null;
      if (s.reminderMinutes !== null) {
        const r = new Date(cutoffAt.getTime() - s.reminderMinutes * 60_000);
        if (r > dueAt && !inQuietHours(localTimeAt(r, s.zone), quiet)) remindAt = r;
      }
      out.push({
        ...s,
        localDate: d,
        dueAt,
        cutoffAt,
        remindAt,
        status: cls === 'send' ? 'scheduled' : 'missed_by_outage',
      });
    }
  }
  return out;
}

export interface DigestSchedule {
  zone: string;
  digestTime: string;
}

export interface DigestSlot extends DigestSchedule {
  /** The local date on which the digest goes out (its report covers an earlier working day). */
  sendDate: string;
  dueAt: Date;
}

/** Digests due in the window; an outage older than the catch-up window still sends (late). */
export function digestSlotsInWindow(
  schedules: readonly DigestSchedule[],
  w: TickWindow,
): DigestSlot[] {
  const out: DigestSlot[] = [];
  const memo = new Map<string, string[]>();
  for (const s of schedules) {
    for (const d of datesAround(s.zone, w, memo)) {
      if (!maybeInWindow(d, s.digestTime, s.zone, w)) continue;
      const dueAt = localInstant(d, s.digestTime, s.zone);
      if (dueAt > w.from && dueAt <= w.to) out.push({ ...s, sendDate: d, dueAt });
    }
  }
  return out;
}
