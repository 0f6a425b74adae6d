/**
 * Whether a member is asked on a local date. A skipped day sends nothing and never counts as
 * missed. The planner evaluates the same rules in SQL (storage/repositories/check-in-ticks.ts)
 * for a whole team at once; this is the reference the simulated-year test checks it against.
 */
import { addDays, isoWeekday } from './local-time.js';

export interface Holiday {
  date: string;
  /** Repeats every year on the same month and day (29 Feb only in leap years). */
  yearly: boolean;
}

export interface DateRange {
  start: string;
  end: string;
}

export interface DayRules {
  weekdays: readonly number[];
  holidays: readonly Holiday[];
}

export interface MemberDayRules extends DayRules {
  vacations: readonly DateRange[];
  /** Paused with no end (null) or until this date, which is asked again. */
  paused: boolean;
  pauseUntil: string | null;
}

export type SkipReason = 'weekend' | 'holiday' | 'vacation' | 'paused';

export function isHoliday(date: string, holidays: readonly Holiday[]): boolean {
  return holidays.some((h) => h.date === date || (h.yearly && h.date.slice(5) === date.slice(5)));
}

/** A team working day: one of its weekdays and not a team holiday. */
export function isWorkingDay(date: string, rules: DayRules): boolean {
  return rules.weekdays.includes(isoWeekday(date)) && !isHoliday(date, rules.holidays);
}

export function skipReason(date: string, rules: MemberDayRules): SkipReason | null {
  if (!rules.weekdays.includes(isoWeekday(date))) return 'weekend';
  if (isHoliday(date, rules.holidays)) return 'holiday';
  if (rules.vacations.some((v) => v.start <= date && date <= v.end)) return 'vacation';
  if (rules.paused && (rules.pauseUntil === null || date < rules.pauseUntil)) return 'paused';
  return null;
}

/** The working day a digest sent on `date` reports on; null if none within 60 days. */
export function previousWorkingDay(date: string, rules: DayRules): string | null {
  for (let i = 1; i <= 60; i++) {
    const d = addDays(date, -i);
    if (isWorkingDay(d, rules)) return d;
  }
  return null;
}
