/** The check-in settings: catch-up after outages, quiet hours for reminders, defaults, fan-out size. */
import { z } from 'zod';
import {
  boolWithDefault,
  intWithDefault,
  optionalString,
  parseSection,
  stringWithDefault,
  type Env,
} from './env.js';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

const schema = z.object({
  /** Prompts whose time passed within this many hours are still sent after an outage. */
  CHECKINS_CATCH_UP_HOURS: intWithDefault(6, 0, 72),
  /** How far back a tick records missed_by_outage after a longer outage. */
  CHECKINS_MAX_LOOKBACK_HOURS: intWithDefault(48, 1, 24 * 14),
  /** Member-local hours without reminders, "HH:MM-HH:MM" (may wrap midnight); "off" for none. */
  CHECKINS_QUIET_HOURS: stringWithDefault('22:00-07:00').pipe(
    z
      .string()
      .refine(
        (v) =>
          v === 'off' || (v.split('-').length === 2 && v.split('-').every((p) => HHMM.test(p))),
        'must be HH:MM-HH:MM or off',
      ),
  ),
  CHECKINS_DEFAULT_QUESTION: stringWithDefault('What did you get done today?'),
  /** From address for prompts, reminders and digests; unset uses the outbound default sender. */
  CHECKINS_FROM: optionalString(),
  /** Prompts or digest recipients per fan-out job. */
  CHECKINS_BATCH_SIZE: intWithDefault(100, 1, 1000),
  CHECKINS_REPLY_TOKEN_DAYS: intWithDefault(30, 1, 365),
  /** The minutely planner schedule; off for processes that must not plan (tests, one-off CLIs). */
  CHECKINS_TICK_ENABLED: boolWithDefault(true),
});

export interface CheckinsConfig {
  catchUpHours: number;
  maxLookbackHours: number;
  quietHours: { start: string; end: string } | null;
  defaultQuestion: string;
  from: string | undefined;
  batchSize: number;
  replyTokenDays: number;
  tickEnabled: boolean;
}

export function parseCheckinsConfig(env: Env, problems: string[]): CheckinsConfig | undefined {
  const v = parseSection(schema, env, problems);
  if (!v) return undefined;
  const [start, end] = v.CHECKINS_QUIET_HOURS.split('-');
  return {
    catchUpHours: v.CHECKINS_CATCH_UP_HOURS,
    maxLookbackHours: v.CHECKINS_MAX_LOOKBACK_HOURS,
    quietHours: v.CHECKINS_QUIET_HOURS === 'off' ? null : { start: start!, end: end! },
    defaultQuestion: v.CHECKINS_DEFAULT_QUESTION,
    from: v.CHECKINS_FROM,
    batchSize: v.CHECKINS_BATCH_SIZE,
    replyTokenDays: v.CHECKINS_REPLY_TOKEN_DAYS,
    tickEnabled: v.CHECKINS_TICK_ENABLED,
  };
}
