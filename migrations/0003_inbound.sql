-- Inbound: every received message (InboundEmail) with its raw bytes kept apart, the webhook
-- replay nonces, provider delivery events, and the rejection-mail rate limit.
-- Status values follow src/domain/state/inbound-email.ts; every change is a conditional UPDATE.

CREATE TABLE IF NOT EXISTS inbound_emails (
  id uuid PRIMARY KEY,
  provider text NOT NULL CHECK (provider IN ('sendgrid', 'mailgun', 'postmark', 'ses', 'relay')),
  provider_event_id text,
  -- Without angle brackets; synthesised from the sha256 when the message has none.
  message_id text NOT NULL,
  message_id_synthesized boolean NOT NULL DEFAULT false,
  sha256 text NOT NULL,
  size_bytes integer NOT NULL,
  envelope_from text,
  envelope_to text[] NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN ('received', 'processing', 'processed', 'ignored', 'failed')),
  reason text CHECK (reason IN ('auto_reply', 'bounce', 'duplicate', 'unknown_sender', 'empty', 'unroutable')),
  reason_detail text,
  verdicts jsonb NOT NULL DEFAULT '{}',
  extras jsonb NOT NULL DEFAULT '{}',
  -- Filled by processing:
  from_address text,
  subject text,
  classification jsonb,
  correlation jsonb,
  routed_to jsonb,
  reply jsonb,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  -- Set when the last retry failed: the message stays `failed` with its error until reprocessed.
  dead_at timestamptz,
  rejection_sent_at timestamptz,
  received_at timestamptz NOT NULL,
  processed_at timestamptz,
  updated_at timestamptz NOT NULL,
  raw_deleted_at timestamptz
);
-- Provider retries carry the same event id; re-deliveries with new Received headers do not,
-- so both keys are unique (Urigo/accounter-fullstack#4350).
CREATE UNIQUE INDEX IF NOT EXISTS inbound_emails_provider_event_key
  ON inbound_emails (provider, provider_event_id) WHERE provider_event_id IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS inbound_emails_message_key ON inbound_emails (message_id, sha256);
CREATE INDEX IF NOT EXISTS inbound_emails_status_idx ON inbound_emails (status, id);
CREATE INDEX IF NOT EXISTS inbound_emails_provider_idx ON inbound_emails (provider, id);
CREATE INDEX IF NOT EXISTS inbound_emails_retention_idx ON inbound_emails (status, processed_at)
  WHERE raw_deleted_at IS NULL;

-- The bytes as received, out of the hot row (TOASTed, deleted by retention).
CREATE TABLE IF NOT EXISTS inbound_email_raw (
  inbound_email_id uuid PRIMARY KEY REFERENCES inbound_emails (id) ON DELETE CASCADE,
  raw bytea NOT NULL
);

-- Signed webhook tokens already seen (Mailgun reuses one per delivery across its retries):
-- a token seen again is a duplicate, answered 2xx without a second row.
CREATE TABLE IF NOT EXISTS webhook_nonces (
  provider text NOT NULL,
  nonce text NOT NULL,
  seen_at timestamptz NOT NULL,
  PRIMARY KEY (provider, nonce)
);
CREATE INDEX IF NOT EXISTS webhook_nonces_seen_idx ON webhook_nonces (seen_at);

-- Every provider delivery event as received, matched or not; unique per provider event id.
CREATE TABLE IF NOT EXISTS provider_events (
  id uuid PRIMARY KEY,
  provider text NOT NULL,
  event_id text,
  type text NOT NULL,
  message_id text,
  provider_message_id text,
  recipient text,
  bounce text CHECK (bounce IN ('hard', 'soft')),
  reason text,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  -- Whether the outbound engine found the message it belongs to.
  matched boolean,
  source text NOT NULL DEFAULT 'webhook' CHECK (source IN ('webhook', 'dsn')),
  payload jsonb
);
CREATE UNIQUE INDEX IF NOT EXISTS provider_events_event_key
  ON provider_events (provider, event_id, type, recipient) NULLS NOT DISTINCT WHERE event_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS provider_events_message_idx ON provider_events (message_id);

-- At most one rejection mail per address per reason per 24 h: an atomic upsert on this row.
CREATE TABLE IF NOT EXISTS inbound_rejection_limits (
  address text NOT NULL,
  reason text NOT NULL,
  last_sent_at timestamptz NOT NULL,
  PRIMARY KEY (address, reason)
);
