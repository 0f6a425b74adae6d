-- 0004 check-ins: teams and their members, the days they are not asked (holidays, vacations),
-- one prompt per member per local date, the entries replies become, one digest per team per
-- reported date, per-kind unsubscriptions and the planner's durable tick watermark.
-- Local dates are data (`date` columns), never derived from a stored offset.

-- The planner inserts thousands of prompts in one statement, so ids are minted in SQL; this is
-- the same UUIDv7 layout as lib/ids.ts (48-bit ms timestamp, version 7, variant 10).
CREATE OR REPLACE FUNCTION checkins_uuidv7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid()) PLACING
        substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;

CREATE TABLE IF NOT EXISTS teams (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  time_zone text NOT NULL,
  prompt_time time NOT NULL DEFAULT '17:00',
  digest_time time NOT NULL DEFAULT '08:00',
  -- ISO weekdays, 1 = Monday.
  weekdays smallint[] NOT NULL DEFAULT '{1,2,3,4,5}',
  question text NOT NULL,
  reminder_enabled boolean NOT NULL DEFAULT true,
  reminder_minutes_before_cutoff integer NOT NULL DEFAULT 60 CHECK (reminder_minutes_before_cutoff BETWEEN 1 AND 1440),
  cutoff_time time NOT NULL DEFAULT '23:00',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS members (
  id uuid PRIMARY KEY,
  team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  email citext NOT NULL,
  name text NOT NULL,
  role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'observer', 'admin')),
  time_zone text,
  prompt_time time,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
  -- Paused members are asked again from this local date; NULL with status paused = until resumed.
  pause_until date,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (team_id, email)
);
CREATE INDEX IF NOT EXISTS members_email_idx ON members (email);

CREATE TABLE IF NOT EXISTS team_holidays (
  id uuid PRIMARY KEY,
  team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  date date NOT NULL,
  name text NOT NULL DEFAULT '',
  -- Repeats on the same month and day every year (product.md §4B: people should not re-add them).
  yearly boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  UNIQUE (team_id, date)
);

CREATE TABLE IF NOT EXISTS member_vacations (
  id uuid PRIMARY KEY,
  member_id uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  start_date date NOT NULL,
  end_date date NOT NULL,
  created_at timestamptz NOT NULL,
  CHECK (end_date >= start_date)
);
CREATE INDEX IF NOT EXISTS member_vacations_member_idx ON member_vacations (member_id, end_date);

CREATE TABLE IF NOT EXISTS member_unsubscriptions (
  member_id uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('prompt', 'reminder', 'digest')),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (member_id, kind)
);

CREATE TABLE IF NOT EXISTS prompts (
  id uuid PRIMARY KEY,
  -- No foreign key: the member's (which cascades from the team) covers it, and the planner
  -- inserts 100k rows at a time, where each FK check costs (docs/perf/checkins.md).
  team_id uuid NOT NULL,
  member_id uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  local_date date NOT NULL,
  due_at timestamptz NOT NULL,
  cutoff_at timestamptz NOT NULL,
  -- NULL: no reminder (off for the team, or it would fall in quiet hours).
  remind_at timestamptz,
  status text NOT NULL CHECK (status IN ('scheduled', 'sent', 'reminded', 'answered', 'missed', 'missed_by_outage', 'skipped')),
  skip_reason text,
  outbound_message_id uuid,
  -- The RFC 5322 Message-ID of the prompt mail: the reminder threads under it.
  message_id text,
  reminder_message_id uuid,
  sent_at timestamptz,
  reminded_at timestamptz,
  answered_at timestamptz,
  created_at timestamptz NOT NULL,
  -- The invariant that makes a race or a restart unable to send twice.
  UNIQUE (member_id, local_date)
);
CREATE INDEX IF NOT EXISTS prompts_team_date_idx ON prompts (team_id, local_date);
CREATE INDEX IF NOT EXISTS prompts_remind_idx ON prompts (remind_at) WHERE status = 'sent' AND remind_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS prompts_cutoff_idx ON prompts (cutoff_at) WHERE status IN ('sent', 'reminded');
CREATE INDEX IF NOT EXISTS prompts_message_id_idx ON prompts (message_id) WHERE message_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS entries (
  id uuid PRIMARY KEY,
  team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  member_id uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  prompt_id uuid REFERENCES prompts (id) ON DELETE SET NULL,
  -- The prompt's local date (or the sender's, for mail without a prompt), even for late replies.
  local_date date NOT NULL,
  kind text NOT NULL CHECK (kind IN ('done', 'goal', 'blocker')),
  text text NOT NULL,
  tags text[] NOT NULL DEFAULT '{}',
  mentions text[] NOT NULL DEFAULT '{}',
  completed boolean NOT NULL DEFAULT false,
  source text NOT NULL DEFAULT 'email' CHECK (source IN ('email', 'api')),
  inbound_email_id uuid,
  -- Write order: ids minted in the same millisecond do not sort in line order.
  seq bigint GENERATED ALWAYS AS IDENTITY,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- Archive search (dashboard): 'simple' so names, code words and any language stay searchable.
  search tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, text)) STORED
);
-- A second reply with the same line adds nothing.
CREATE UNIQUE INDEX IF NOT EXISTS entries_line_key ON entries (member_id, local_date, kind, md5(text));
CREATE INDEX IF NOT EXISTS entries_team_date_idx ON entries (team_id, local_date);
CREATE INDEX IF NOT EXISTS entries_open_goals_idx ON entries (member_id, local_date) WHERE kind = 'goal' AND NOT completed;
CREATE INDEX IF NOT EXISTS entries_search_idx ON entries USING gin (search);
CREATE INDEX IF NOT EXISTS entries_tags_idx ON entries USING gin (tags);

-- One row per inbound mail handled, so processing the same mail twice does nothing.
CREATE TABLE IF NOT EXISTS checkin_replies (
  inbound_email_id uuid PRIMARY KEY,
  member_id uuid REFERENCES members (id) ON DELETE CASCADE,
  prompt_id uuid REFERENCES prompts (id) ON DELETE SET NULL,
  outcome text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS digests (
  id uuid PRIMARY KEY,
  team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  -- The reported working day; the digest goes out on send_date at the team's digest time.
  local_date date NOT NULL,
  send_date date NOT NULL,
  due_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'built', 'sending', 'sent', 'skipped_empty')),
  -- Frozen at build time (domain/checkins/digest-view.ts FrozenDigest).
  content jsonb,
  recipients_total integer,
  built_at timestamptz,
  sent_at timestamptz,
  created_at timestamptz NOT NULL,
  UNIQUE (team_id, local_date)
);
CREATE INDEX IF NOT EXISTS digests_open_idx ON digests (status) WHERE status IN ('pending', 'built', 'sending');

-- Which recipients a digest (send round) reached; the insert claims a recipient exactly once.
CREATE TABLE IF NOT EXISTS digest_deliveries (
  digest_id uuid NOT NULL REFERENCES digests (id) ON DELETE CASCADE,
  member_id uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  round integer NOT NULL DEFAULT 1,
  outbound_message_id uuid,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (digest_id, round, member_id)
);

-- The planner's durable watermark: the `now` of the last completed tick (catch-up after outages).
CREATE TABLE IF NOT EXISTS checkin_ticks (
  name text PRIMARY KEY,
  last_tick_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- A team holiday on `d`, including yearly repeats (29 Feb repeats only in leap years).
CREATE OR REPLACE FUNCTION checkins_is_holiday(p_team uuid, d date) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM team_holidays h
    WHERE h.team_id = p_team
      AND (h.date = d OR (h.yearly AND to_char(h.date, 'MM-DD') = to_char(d, 'MM-DD')))
  )
$$;

-- Bumped in the same transaction as any change to members' personal schedules, so a planner
-- can cache the distinct personal schedules and re-read them only when this moves.
CREATE TABLE IF NOT EXISTS checkin_schedule_version (
  id integer PRIMARY KEY CHECK (id = 1),
  version bigint NOT NULL
);
INSERT INTO checkin_schedule_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;

CREATE OR REPLACE FUNCTION checkins_bump_schedule_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE checkin_schedule_version SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS members_schedule_version ON members;
CREATE TRIGGER members_schedule_version
  AFTER INSERT OR UPDATE OF time_zone, prompt_time, role, team_id ON members
  FOR EACH STATEMENT EXECUTE FUNCTION checkins_bump_schedule_version();

CREATE INDEX IF NOT EXISTS members_personal_schedule_idx ON members (team_id)
  WHERE time_zone IS NOT NULL OR prompt_time IS NOT NULL;
