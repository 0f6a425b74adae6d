-- 0009 hardening: inbound text that PostgreSQL could not store as received is repaired (NUL
-- removed, lone surrogates and invalid UTF-8 replaced by U+FFFD) and the message is processed
-- normally; `repaired_fields` names what was repaired. The raw bytes are always kept as sent.
ALTER TABLE inbound_emails ADD COLUMN IF NOT EXISTS repaired_fields text[] NOT NULL DEFAULT '{}';

-- Provider webhook events whose type does not move a message (informational, like Postmark's
-- AutoResponder or SendGrid's group_resubscribe) or that we do not know at all. Kept as
-- received and counted, never dropped; `known = false` marks a type to add a mapping for.
CREATE TABLE IF NOT EXISTS unmapped_provider_events (
  id uuid PRIMARY KEY,
  provider text NOT NULL,
  -- The provider's own name for the event (Postmark: RecordType/Type, e.g. Bounce/AutoResponder).
  provider_type text NOT NULL,
  known boolean NOT NULL,
  event_id text,
  message_id text,
  provider_message_id text,
  recipient text,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  payload jsonb
);
CREATE UNIQUE INDEX IF NOT EXISTS unmapped_provider_events_event_key
  ON unmapped_provider_events (provider, event_id, provider_type, recipient) NULLS NOT DISTINCT
  WHERE event_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS unmapped_provider_events_type_idx
  ON unmapped_provider_events (provider, known, provider_type);
CREATE INDEX IF NOT EXISTS unmapped_provider_events_received_idx
  ON unmapped_provider_events (received_at);
