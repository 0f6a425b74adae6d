-- Operations: the process heartbeat (the workers page, `postroom status`, the processes gauge)
-- and the index behind per-key usage (GET /v1/keys/:id/usage, the API keys page).

-- One row per running web or worker process, refreshed every PROCESS_HEARTBEAT_SECONDS. A row
-- whose heartbeat is older than three intervals, or that has stopped_at, is a process gone.
CREATE TABLE IF NOT EXISTS process_heartbeats (
  id uuid PRIMARY KEY,
  host text NOT NULL,
  pid integer NOT NULL,
  roles text[] NOT NULL,
  version text NOT NULL,
  started_at timestamptz NOT NULL,
  heartbeat_at timestamptz NOT NULL,
  stopped_at timestamptz
);
CREATE INDEX IF NOT EXISTS process_heartbeats_heartbeat_idx ON process_heartbeats (heartbeat_at);

-- Sends per key today and this month: one index range per key.
CREATE INDEX IF NOT EXISTS outbound_messages_api_key_idx ON outbound_messages (api_key_id, created_at)
  WHERE api_key_id IS NOT NULL;
