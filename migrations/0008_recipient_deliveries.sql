-- Per-recipient delivery (issue 14): each recipient of an outbound message has its own row and
-- outcome, as Postal keeps them; the message's status derives from them (partially_sent when
-- some got it and others did not). Statuses follow src/domain/state/recipient-delivery.ts and
-- src/domain/state/outbound-message.ts. Also the indexes the outbound retention job deletes by.

ALTER TABLE outbound_messages DROP CONSTRAINT IF EXISTS outbound_messages_status_check;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_status_check
  CHECK (status IN ('scheduled','queued','sending','sent','partially_sent','delivered','bounced',
    'complained','deferred','failed','expired','suppressed','canceled'));

CREATE TABLE IF NOT EXISTS recipient_deliveries (
  message_id uuid NOT NULL REFERENCES outbound_messages (id) ON DELETE CASCADE,
  -- lower-cased, as in outbound_messages.recipients and the suppression list
  address text NOT NULL,
  -- the recipient's place in To, Cc, Bcc: the order the API and the dashboard list them in
  position integer NOT NULL,
  status text NOT NULL CHECK (status IN ('pending','deferred','accepted','delivered','bounced',
    'complained','failed','expired','suppressed')),
  -- SMTP transactions this recipient was part of
  attempts integer NOT NULL DEFAULT 0,
  -- the last reply about this recipient (its own RCPT TO reply, or the transaction's)
  smtp_code integer,
  smtp_response text,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (message_id, address)
);

-- Messages sent before this migration: every recipient shared the message's outcome.
INSERT INTO recipient_deliveries (message_id, address, position, status, attempts, smtp_code, updated_at)
SELECT m.id, r.address, r.n,
  CASE m.status
    WHEN 'sent' THEN 'accepted'
    WHEN 'delivered' THEN 'delivered'
    WHEN 'bounced' THEN 'bounced'
    WHEN 'complained' THEN 'complained'
    WHEN 'failed' THEN 'failed'
    WHEN 'expired' THEN 'expired'
    WHEN 'suppressed' THEN 'suppressed'
    WHEN 'deferred' THEN 'deferred'
    ELSE 'pending'
  END,
  m.attempts, m.last_smtp_code, m.updated_at
FROM outbound_messages m, unnest(m.recipients) WITH ORDINALITY AS r(address, n)
ON CONFLICT DO NOTHING;

-- Retention deletes by age. These tables are appended in time order, so a BRIN index is tiny
-- and costs the hot inserts almost nothing.
CREATE INDEX IF NOT EXISTS message_events_at_brin ON message_events USING brin (at);
CREATE INDEX IF NOT EXISTS outbound_message_raw_created_brin ON outbound_message_raw USING brin (created_at);
CREATE INDEX IF NOT EXISTS webhook_deliveries_created_brin ON webhook_deliveries USING brin (created_at);
CREATE INDEX IF NOT EXISTS provider_events_received_brin ON provider_events USING brin (received_at);
CREATE INDEX IF NOT EXISTS idempotency_keys_expires_idx ON idempotency_keys (expires_at);
