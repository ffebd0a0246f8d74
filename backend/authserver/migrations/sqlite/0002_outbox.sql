-- The development outbox (see the Postgres twin).
CREATE TABLE IF NOT EXISTS auth_outbox (
  id uuid NOT NULL PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now')),
  kind text NOT NULL CHECK (kind IN ('email', 'sms')),
  recipient text NOT NULL,
  subject text NOT NULL DEFAULT '',
  body_text text NOT NULL DEFAULT '',
  body_html text NOT NULL DEFAULT '',
  link text NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS auth_outbox_created_at_idx ON auth_outbox (created_at);
