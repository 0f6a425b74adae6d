/** Column lists shared by the check-in statements: times come back as 'HH:MM', dates as text. */
export const TEAM_COLUMNS = `t.id, t.name, t.time_zone, to_char(t.prompt_time, 'HH24:MI') AS prompt_time,
  to_char(t.digest_time, 'HH24:MI') AS digest_time, t.weekdays::int[] AS weekdays, t.question, t.reminder_enabled,
  t.reminder_minutes_before_cutoff, to_char(t.cutoff_time, 'HH24:MI') AS cutoff_time, t.created_at, t.updated_at`;

export const MEMBER_COLUMNS = `m.id, m.team_id, m.email::text AS email, m.name, m.role, m.time_zone,
  to_char(m.prompt_time, 'HH24:MI') AS prompt_time, m.status, m.pause_until, m.created_at, m.updated_at`;

export const PROMPT_COLUMNS = `p.id, p.team_id, p.member_id, p.local_date, p.due_at, p.cutoff_at, p.remind_at, p.status,
  p.skip_reason, p.outbound_message_id, p.message_id, p.sent_at, p.reminded_at, p.answered_at`;

export const ENTRY_COLUMNS = `e.id, e.team_id, e.member_id, e.prompt_id, e.local_date, e.kind, e.text, e.tags, e.mentions,
  e.completed, e.source, e.created_at, e.updated_at`;

export const DIGEST_COLUMNS = `d.id, d.team_id, d.local_date, d.send_date, d.due_at, d.status, d.content, d.recipients_total,
  d.built_at, d.sent_at`;
