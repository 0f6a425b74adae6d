/**
 * The JSON views the /v1 check-in API answers with (clients rely on these shapes), and the
 * streaks the stats endpoint computes from a member's asked days.
 */
import type { EntryRow, MemberRow, PromptRow, TeamRow } from './ports.js';

export function teamView(t: TeamRow) {
  return {
    id: t.id,
    name: t.name,
    time_zone: t.time_zone,
    prompt_time: t.prompt_time,
    digest_time: t.digest_time,
    weekdays: t.weekdays,
    question: t.question,
    reminder: {
      enabled: t.reminder_enabled,
      minutes_before_cutoff: t.reminder_minutes_before_cutoff,
    },
    cutoff_time: t.cutoff_time,
    created_at: t.created_at,
    updated_at: t.updated_at,
  };
}

export function memberView(m: MemberRow) {
  return {
    id: m.id,
    team_id: m.team_id,
    email: m.email,
    name: m.name,
    role: m.role,
    time_zone: m.time_zone,
    prompt_time: m.prompt_time,
    status: m.status,
    pause_until: m.pause_until,
    created_at: m.created_at,
    updated_at: m.updated_at,
  };
}

export function entryView(e: EntryRow) {
  return {
    id: e.id,
    member_id: e.member_id,
    local_date: e.local_date,
    kind: e.kind,
    text: e.text,
    tags: e.tags,
    mentions: e.mentions,
    ...(e.kind === 'goal' ? { completed: e.completed } : {}),
    prompt_id: e.prompt_id,
    source: e.source,
    created_at: e.created_at,
    updated_at: e.updated_at,
  };
}

export function promptView(p: PromptRow) {
  return {
    id: p.id,
    member_id: p.member_id,
    local_date: p.local_date,
    status: p.status,
    skip_reason: p.skip_reason,
    due_at: p.due_at,
    cutoff_at: p.cutoff_at,
    remind_at: p.remind_at,
    sent_at: p.sent_at,
    reminded_at: p.reminded_at,
    answered_at: p.answered_at,
    message_id: p.message_id,
  };
}

/** Current streak: answered asked-days counting back from the latest; a still-open latest day is not a break. */
export function streaks(
  days: ReadonlyArray<{ date: string; answered: boolean }>,
  openDate: string | null,
) {
  let longest = 0;
  let run = 0;
  for (const d of days) {
    run = d.answered ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  let current = 0;
  for (let i = days.length - 1; i >= 0; i--) {
    const d = days[i]!;
    if (d.answered) current++;
    else if (i === days.length - 1 && d.date === openDate) continue;
    else break;
  }
  return { current, longest };
}
