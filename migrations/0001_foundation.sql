-- Foundation: extensions every feature relies on.
-- citext: email addresses compare case-insensitively (Member, Suppression, sender checks).
CREATE EXTENSION IF NOT EXISTS citext;

-- Process-wide settings that must survive restarts and be shared by every process
-- (for example the check-in tick watermark or rate-limit state).
CREATE TABLE IF NOT EXISTS app_settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
