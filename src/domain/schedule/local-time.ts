/**
 * Wall-clock ↔ instant conversion for one IANA zone, DST-safe, with the two rules the product
 * promises (../../../docs/checkins.md):
 * - a local time that does not exist (spring forward) happens at the next valid minute;
 * - a local time that exists twice (fall back) happens once, at its first occurrence.
 * Offsets are always looked up for the day in question, never stored (product.md §4A).
 */
import { DateTime, IANAZone } from 'luxon';

const MINUTE = 60_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)(?::00)?$/;

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function isLocalDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** "17:00" or "17:00:00" (as Postgres returns a time) → minutes after midnight. */
export function parseLocalTime(value: string): number {
  const m = TIME_RE.exec(value);
  if (!m) throw new RangeError(`Not a HH:MM time: ${value}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function isLocalTime(value: string): boolean {
  return TIME_RE.test(value);
}

export function formatLocalTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Milliseconds of a wall-clock reading as if it were UTC: lets wall times be compared. */
function wallMs(date: string, minutes: number): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + minutes * MINUTE;
}

const HOUR_MS = 3_600_000;
/**
 * Offsets memoised per zone and UTC hour: a tick converts the same few hours for every
 * schedule, and Intl lookups dominate the planner's CPU time otherwise. An hour with a
 * transition inside is stored as NaN and always looked up exactly.
 */
const offsetCache = new Map<string, Map<number, number>>();

function offsetMs(zone: IANAZone, ts: number): number {
  let perZone = offsetCache.get(zone.name);
  if (!perZone) {
    perZone = new Map();
    offsetCache.set(zone.name, perZone);
  }
  const hour = Math.floor(ts / HOUR_MS);
  let cached = perZone.get(hour);
  if (cached === undefined) {
    const start = zone.offset(hour * HOUR_MS);
    cached = start === zone.offset(hour * HOUR_MS + HOUR_MS - 1) ? start * MINUTE : Number.NaN;
    if (perZone.size > 50_000) perZone.clear();
    perZone.set(hour, cached);
  }
  return Number.isNaN(cached) ? zone.offset(ts) * MINUTE : cached;
}

/** The instant at which `time` happens on `date` in `zone` (see the module rules). */
export function localInstant(date: string, time: string | number, zone: string): Date {
  const z = IANAZone.create(zone);
  if (!z.isValid) throw new RangeError(`Unknown time zone: ${zone}`);
  const wall = wallMs(date, typeof time === 'number' ? time : parseLocalTime(time));
  // Every offset in force within a day either side; a wall time maps to at most two instants.
  const offsets = new Set([-36, -12, 0, 12, 36].map((h) => offsetMs(z, wall + h * 3_600_000)));
  const matches = [...offsets]
    .map((o) => wall - o)
    .filter((t) => t + offsetMs(z, t) === wall)
    .sort((a, b) => a - b);
  if (matches.length > 0) return new Date(matches[0]!);
  // In a gap: the first minute whose wall time is at or after the asked one is the transition.
  const sorted = [...offsets].sort((a, b) => a - b);
  let lo = Math.floor((wall - sorted[sorted.length - 1]!) / MINUTE);
  let hi = Math.ceil((wall - sorted[0]!) / MINUTE);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const t = mid * MINUTE;
    if (t + offsetMs(z, t) >= wall) hi = mid;
    else lo = mid + 1;
  }
  return new Date(lo * MINUTE);
}

/** The local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDateAt(instant: Date, zone: string): string {
  const z = IANAZone.create(zone);
  if (!z.isValid) throw new RangeError(`Unknown time zone: ${zone}`);
  const t = instant.getTime();
  return new Date(t + offsetMs(z, t)).toISOString().slice(0, 10);
}

/**
 * A cheap estimate of localInstant (one offset lookup), off by at most one DST shift. The
 * planner uses it to drop far-away dates before doing the exact conversion.
 */
export function roughInstant(date: string, minutes: number, zone: string): number {
  const z = IANAZone.create(zone);
  const wall = wallMs(date, minutes);
  return wall - offsetMs(z, wall);
}

/** The local wall time (HH:MM) of an instant in a zone. */
export function localTimeAt(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('HH:mm');
}

export function addDays(date: string, days: number): string {
  return new Date(wallMs(date, 0) + days * 86_400_000).toISOString().slice(0, 10);
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const d = new Date(wallMs(date, 0)).getUTCDay();
  return d === 0 ? 7 : d;
}

export function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
