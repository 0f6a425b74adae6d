-- 0005 dashboard: the operators who may sign in to the web dashboard, the one-time login links
-- mailed to them, and their sessions. Tokens are stored only as SHA-256 hashes, so a database
-- dump does not hand out working links or cookies.

CREATE TABLE IF NOT EXISTS admin_users (
  id uuid PRIMARY KEY,
  email text NOT NULL,
  created_at timestamptz NOT NULL,
  last_login_at timestamptz,
  disabled_at timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS admin_users_email_key ON admin_users (lower(email));

CREATE TABLE IF NOT EXISTS admin_login_tokens (
  id uuid PRIMARY KEY,
  admin_user_id uuid NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  requested_ip text
);
CREATE UNIQUE INDEX IF NOT EXISTS admin_login_tokens_hash_key ON admin_login_tokens (token_hash);
-- Serves the per-address rate limit ("how many links did this admin get lately").
CREATE INDEX IF NOT EXISTS admin_login_tokens_user_created_idx
  ON admin_login_tokens (admin_user_id, created_at);

CREATE TABLE IF NOT EXISTS admin_sessions (
  id uuid PRIMARY KEY,
  admin_user_id uuid NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  user_agent text
);
CREATE UNIQUE INDEX IF NOT EXISTS admin_sessions_hash_key ON admin_sessions (token_hash);
CREATE INDEX IF NOT EXISTS admin_sessions_user_idx ON admin_sessions (admin_user_id);
