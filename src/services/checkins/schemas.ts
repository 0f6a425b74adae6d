/** zod schemas of the check-in API bodies (http validates with them; the OpenAPI document shows them). */
import { z } from 'zod';
import { isLocalDate, isValidZone } from '../../domain/schedule/local-time.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');
const zone = z
  .string()
  .max(64)
  .refine(isValidZone, 'must be an IANA time zone such as Europe/Berlin');
const date = z.string().refine(isLocalDate, 'must be a YYYY-MM-DD date');
const weekdays = z
  .array(z.number().int().min(1).max(7))
  .min(1)
  .max(7)
  .refine((a) => new Set(a).size === a.length, 'weekdays must not repeat');

export const teamInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    time_zone: zone,
    prompt_time: hhmm.default('17:00'),
    digest_time: hhmm.default('08:00'),
    weekdays: weekdays.default([1, 2, 3, 4, 5]),
    question: z.string().trim().min(1).max(500).optional(),
    reminder: z
      .object({
        enabled: z.boolean().default(true),
        minutes_before_cutoff: z.number().int().min(1).max(1440).default(60),
      })
      .strict()
      .default({ enabled: true, minutes_before_cutoff: 60 }),
    cutoff_time: hhmm.default('23:00'),
  })
  .strict();
export type TeamInput = z.output<typeof teamInput>;

export const teamPatch = z
  .object({
    name: z.string().trim().min(1).max(200),
    time_zone: zone,
    prompt_time: hhmm,
    digest_time: hhmm,
    weekdays,
    question: z.string().trim().min(1).max(500),
    reminder: z
      .object({ enabled: z.boolean(), minutes_before_cutoff: z.number().int().min(1).max(1440) })
      .partial()
      .strict(),
    cutoff_time: hhmm,
  })
  .partial()
  .strict();
export type TeamPatch = z.output<typeof teamPatch>;

export const memberInput = z
  .object({
    email: z.email().max(320),
    name: z.string().trim().min(1).max(200),
    role: z.enum(['member', 'observer', 'admin']).default('member'),
    time_zone: zone.nullable().optional(),
    prompt_time: hhmm.nullable().optional(),
  })
  .strict();
export type MemberInput = z.output<typeof memberInput>;

export const bulkMembersInput = z
  .object({ members: z.array(memberInput).min(1).max(1000) })
  .strict();

export const memberPatch = z
  .object({
    email: z.email().max(320),
    name: z.string().trim().min(1).max(200),
    role: z.enum(['member', 'observer', 'admin']),
    time_zone: zone.nullable(),
    prompt_time: hhmm.nullable(),
    status: z.enum(['active', 'paused']),
    pause_until: date.nullable(),
  })
  .partial()
  .strict();
export type MemberPatch = z.output<typeof memberPatch>;

export const holidayInput = z
  .object({ date, name: z.string().max(200).default(''), yearly: z.boolean().default(false) })
  .strict();
export const vacationInput = z
  .object({ start_date: date, end_date: date })
  .strict()
  .refine((v) => v.end_date >= v.start_date, {
    message: 'end_date must not be before start_date',
    path: ['end_date'],
  });

export const entriesQuery = z
  .object({
    from: date.optional(),
    to: date.optional(),
    member: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(1000),
  })
  .strict();

export const entryPatch = z
  .object({
    kind: z.enum(['done', 'goal', 'blocker']),
    text: z.string().trim().min(1).max(2000),
    tags: z.array(z.string().max(100)).max(50),
    mentions: z.array(z.string().max(100)).max(50),
    completed: z.boolean(),
    local_date: date,
  })
  .partial()
  .strict();

export const statsQuery = z.object({ from: date.optional(), to: date.optional() }).strict();
export const promptsQuery = z.object({ date }).strict();
export const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.uuid().optional(),
  })
  .strict();
