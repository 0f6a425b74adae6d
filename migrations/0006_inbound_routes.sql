-- 0006 inbound for any app: routes as data (first match wins, one optional default), inbound
-- attachments deduplicated by sha256, the link from a webhook delivery to the inbound email it
-- carries, the reply a thread answered, and reply tracking as an API key's default.

-- An InboundRoute: priority (lower first, then creation order), a match and an action, both as
-- JSON validated by the API (src/services/inbound/schemas.ts). At most one row is the default,
-- the action for mail no route matched.
CREATE TABLE IF NOT EXISTS inbound_routes (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  priority integer NOT NULL DEFAULT 100,
  match jsonb NOT NULL DEFAULT '{}',
  action jsonb NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS inbound_routes_default_key ON inbound_routes (is_default) WHERE is_default;
CREATE INDEX IF NOT EXISTS inbound_routes_order_idx ON inbound_routes (priority, created_at, id);

-- Attachment bytes, once per sha256 whatever the number of messages that carry them. bytea, not
-- large objects: a row deletes with its references in one statement, dumps and replicates like
-- any row, and needs no lo_unlink bookkeeping (README, "Inbound attachments"). STORAGE EXTERNAL
-- keeps the TOAST chunks uncompressed (attachments are mostly compressed already), so a range
-- read with substring() fetches only the chunks it needs: the API streams a blob in slices.
CREATE TABLE IF NOT EXISTS inbound_attachment_blobs (
  sha256 text PRIMARY KEY,
  size_bytes integer NOT NULL,
  content bytea NOT NULL,
  created_at timestamptz NOT NULL
);
ALTER TABLE inbound_attachment_blobs ALTER COLUMN content SET STORAGE EXTERNAL;

-- Each attachment of each inbound email, in MIME order (n from 0), pointing at its blob.
-- Deleted with the raw bytes by retention; an unreferenced blob goes with its last reference.
CREATE TABLE IF NOT EXISTS inbound_attachments (
  inbound_email_id uuid NOT NULL REFERENCES inbound_emails (id) ON DELETE CASCADE,
  n integer NOT NULL,
  sha256 text NOT NULL REFERENCES inbound_attachment_blobs (sha256),
  filename text,
  content_type text NOT NULL,
  size_bytes integer NOT NULL,
  content_id text,
  inline boolean NOT NULL DEFAULT false,
  PRIMARY KEY (inbound_email_id, n)
);
CREATE INDEX IF NOT EXISTS inbound_attachments_sha256_idx ON inbound_attachments (sha256);

-- The outbound message an inbound reply answers (by reply token, In-Reply-To or References),
-- for GET /v1/messages/:id/replies.
ALTER TABLE inbound_emails ADD COLUMN IF NOT EXISTS thread_message_id uuid;
CREATE INDEX IF NOT EXISTS inbound_emails_thread_idx ON inbound_emails (thread_message_id, id)
  WHERE thread_message_id IS NOT NULL;

-- A route may reject mail on purpose: `ignored` with reason `rejected`.
ALTER TABLE inbound_emails DROP CONSTRAINT IF EXISTS inbound_emails_reason_check;
ALTER TABLE inbound_emails ADD CONSTRAINT inbound_emails_reason_check CHECK (reason IN
  ('auto_reply', 'bounce', 'duplicate', 'unknown_sender', 'empty', 'unroutable', 'rejected'));

-- An `inbound.received` delivery names the inbound email it carries.
ALTER TABLE webhook_deliveries ADD COLUMN IF NOT EXISTS inbound_email_id uuid;
CREATE INDEX IF NOT EXISTS webhook_deliveries_inbound_idx ON webhook_deliveries (inbound_email_id)
  WHERE inbound_email_id IS NOT NULL;

-- POST /v1/messages with this key gets a tracked Reply-To unless the body says otherwise.
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS reply_tracking boolean NOT NULL DEFAULT false;
