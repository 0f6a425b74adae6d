-- Outbound: API keys, templates, messages and their event timeline, suppressions, rate-limit
-- state, idempotency keys and outgoing webhooks. Status values follow
-- src/domain/state/outbound-message.ts; every status change is a conditional UPDATE.

CREATE TABLE IF NOT EXISTS api_keys (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  -- sha256 of the secret key; the key itself is shown once, at creation.
  key_hash text NOT NULL UNIQUE,
  key_prefix text NOT NULL,
  scopes text[] NOT NULL,
  daily_quota integer,
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- One row per key per UTC day; the quota check is an atomic upsert.
CREATE TABLE IF NOT EXISTS api_key_usage (
  api_key_id uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  day date NOT NULL,
  messages integer NOT NULL DEFAULT 0,
  PRIMARY KEY (api_key_id, day)
);

-- Every version is kept; a message records the version it used.
CREATE TABLE IF NOT EXISTS message_templates (
  name text NOT NULL,
  version integer NOT NULL,
  subject text NOT NULL,
  html text,
  text text,
  created_at timestamptz NOT NULL,
  deleted_at timestamptz,
  PRIMARY KEY (name, version)
);

CREATE TABLE IF NOT EXISTS message_batches (
  id uuid PRIMARY KEY,
  api_key_id uuid,
  size integer NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS outbound_messages (
  id uuid PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('scheduled','queued','sending','sent','delivered','bounced',
    'complained','deferred','failed','expired','suppressed','canceled')),
  stream text NOT NULL CHECK (stream IN ('transactional','broadcast')),
  kind text NOT NULL DEFAULT 'api',
  -- pg-boss priority lane: higher first (prompts and transactional before digests and bulk).
  priority integer NOT NULL DEFAULT 0,
  from_address jsonb NOT NULL,
  to_addresses jsonb NOT NULL,
  cc_addresses jsonb NOT NULL DEFAULT '[]',
  bcc_addresses jsonb NOT NULL DEFAULT '[]',
  reply_to jsonb NOT NULL DEFAULT '[]',
  -- lower-cased envelope recipients, for filtering and suppression checks.
  recipients text[] NOT NULL,
  subject text NOT NULL,
  html text,
  text text,
  headers jsonb NOT NULL DEFAULT '{}',
  attachments jsonb NOT NULL DEFAULT '[]',
  tags text[] NOT NULL DEFAULT '{}',
  metadata jsonb NOT NULL DEFAULT '{}',
  template_name text,
  template_version integer,
  in_reply_to text,
  "references" text[] NOT NULL DEFAULT '{}',
  list_unsubscribe jsonb,
  message_id_header text NOT NULL,
  provider_message_id text,
  api_key_id uuid,
  batch_id uuid REFERENCES message_batches (id),
  send_at timestamptz,
  expires_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  lease_until timestamptz,
  -- Set when a lease expired while sending: the server may have accepted it (docs/outbound.md).
  possibly_duplicate boolean NOT NULL DEFAULT false,
  last_error text,
  last_smtp_code integer,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  sent_at timestamptz
);
CREATE INDEX IF NOT EXISTS outbound_messages_status_idx ON outbound_messages (status, id);
CREATE INDEX IF NOT EXISTS outbound_messages_due_idx ON outbound_messages (next_attempt_at)
  WHERE status IN ('scheduled', 'deferred');
CREATE INDEX IF NOT EXISTS outbound_messages_lease_idx ON outbound_messages (lease_until) WHERE status = 'sending';
CREATE INDEX IF NOT EXISTS outbound_messages_batch_idx ON outbound_messages (batch_id, status) WHERE batch_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS outbound_messages_provider_idx ON outbound_messages (provider_message_id)
  WHERE provider_message_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS outbound_messages_header_idx ON outbound_messages (message_id_header);
CREATE INDEX IF NOT EXISTS outbound_messages_recipients_idx ON outbound_messages USING gin (recipients);
CREATE INDEX IF NOT EXISTS outbound_messages_tags_idx ON outbound_messages USING gin (tags);

-- The MIME as sent (or stored by the outbox transport), kept apart so the hot table stays narrow.
CREATE TABLE IF NOT EXISTS outbound_message_raw (
  message_id uuid PRIMARY KEY REFERENCES outbound_messages (id) ON DELETE CASCADE,
  raw bytea NOT NULL,
  transport text NOT NULL,
  created_at timestamptz NOT NULL
);

-- Every transition, with its time, reason and SMTP reply: the message timeline.
CREATE TABLE IF NOT EXISTS message_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id uuid NOT NULL REFERENCES outbound_messages (id) ON DELETE CASCADE,
  type text NOT NULL,
  from_status text,
  to_status text,
  attempt integer,
  reason text,
  smtp_code integer,
  smtp_response text,
  data jsonb,
  at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS message_events_message_idx ON message_events (message_id, id);

CREATE TABLE IF NOT EXISTS suppressions (
  address citext NOT NULL,
  scope text NOT NULL CHECK (scope IN ('all', 'broadcast')),
  reason text NOT NULL CHECK (reason IN ('bounce', 'complaint', 'unsubscribe', 'manual')),
  source_message_id uuid,
  detail text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (address, scope)
);

-- GCRA state for rate limits (transport and recipient domain): the theoretical arrival time of
-- the next message. Shared by every worker, survives restarts.
CREATE TABLE IF NOT EXISTS rate_limits (
  key text PRIMARY KEY,
  tat timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS idempotency_keys (
  scope text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status_code integer,
  response jsonb,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);

CREATE TABLE IF NOT EXISTS webhook_endpoints (
  id uuid PRIMARY KEY,
  url text NOT NULL,
  events text[] NOT NULL,
  -- Standard Webhooks secret: "whsec_" + base64 key.
  secret text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  consecutive_failures integer NOT NULL DEFAULT 0,
  disabled_reason text,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL,
  deleted_at timestamptz
);

CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id uuid PRIMARY KEY,
  endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_type text NOT NULL,
  message_id uuid,
  payload jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  last_status_code integer,
  last_error text,
  created_at timestamptz NOT NULL,
  delivered_at timestamptz
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC);

CREATE TABLE IF NOT EXISTS webhook_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  status_code integer,
  error text,
  duration_ms integer NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);
