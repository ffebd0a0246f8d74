-- The development outbox: every email and SMS the server would have sent
-- when no SMTP server or SMS gateway is configured (Mailhog's role in
-- Nhost's local stack). Not part of Nhost's schema, not tracked by Hasura.
CREATE TABLE IF NOT EXISTS auth.outbox (
  id uuid NOT NULL DEFAULT public.gen_random_uuid() PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL CHECK (kind IN ('email', 'sms')),
  recipient text NOT NULL,
  subject text NOT NULL DEFAULT '',
  body_text text NOT NULL DEFAULT '',
  body_html text NOT NULL DEFAULT '',
  link text NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS outbox_created_at_idx ON auth.outbox (created_at);
