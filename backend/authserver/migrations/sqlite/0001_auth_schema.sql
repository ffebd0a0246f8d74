-- The auth schema for SQLite: Nhost's auth.X tables named auth_X, with
-- the declared types of the Postgres columns (citext for the auth.email
-- domain, varchar, smallint, ...) so the engine exposes the same scalars.
-- Timestamps are ISO text (YYYY-MM-DDTHH:MM:SS.ffffff+00:00), uuids
-- lowercase text with a v4 default like gen_random_uuid(), emails
-- compared without case (NOCASE does citext's job).
CREATE TABLE IF NOT EXISTS auth_roles (
  role text NOT NULL PRIMARY KEY
);
INSERT INTO auth_roles (role) VALUES ('user'), ('me'), ('anonymous') ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS auth_providers (
  id text NOT NULL PRIMARY KEY
);
INSERT INTO auth_providers (id) VALUES
  ('github'), ('facebook'), ('twitter'), ('google'), ('apple'), ('linkedin'),
  ('windowslive'), ('spotify'), ('strava'), ('gitlab'), ('bitbucket'),
  ('discord'), ('twitch'), ('workos'), ('azuread'), ('entraid')
ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS auth_refresh_token_types (
  value text NOT NULL PRIMARY KEY,
  comment text
);
INSERT INTO auth_refresh_token_types (value, comment) VALUES
  ('regular', 'Regular refresh token'),
  ('pat', 'Personal access token')
ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS auth_users (
  id uuid NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  created_at timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now')),
  updated_at timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now')),
  last_seen timestamptz,
  disabled boolean NOT NULL DEFAULT false,
  display_name text NOT NULL DEFAULT '',
  avatar_url text NOT NULL DEFAULT '',
  locale varchar(3) NOT NULL,
  email citext COLLATE NOCASE UNIQUE,
  phone_number text UNIQUE,
  password_hash text,
  email_verified boolean NOT NULL DEFAULT false,
  phone_number_verified boolean NOT NULL DEFAULT false,
  new_email citext COLLATE NOCASE,
  otp_method_last_used text,
  otp_hash text,
  otp_hash_expires_at timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now')),
  default_role text NOT NULL DEFAULT 'user'
    REFERENCES auth_roles (role) ON UPDATE CASCADE ON DELETE RESTRICT,
  is_anonymous boolean NOT NULL DEFAULT false,
  totp_secret text,
  active_mfa_type text CHECK (active_mfa_type = 'totp' OR active_mfa_type = 'sms'),
  ticket text,
  ticket_expires_at timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now')),
  metadata jsonb,
  webauthn_current_challenge text,
  otp_attempts smallint NOT NULL DEFAULT 0,
  new_phone_number text
);
CREATE TRIGGER IF NOT EXISTS auth_users_set_updated_at AFTER UPDATE ON auth_users
  FOR EACH ROW WHEN NEW.updated_at = OLD.updated_at
BEGIN
  UPDATE auth_users SET updated_at = strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now') WHERE id = NEW.id;
END;

CREATE TABLE IF NOT EXISTS auth_refresh_tokens (
  id uuid NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  created_at timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now')),
  expires_at timestamptz NOT NULL,
  user_id uuid NOT NULL REFERENCES auth_users (id) ON UPDATE CASCADE ON DELETE CASCADE,
  metadata jsonb,
  type text NOT NULL DEFAULT 'regular' REFERENCES auth_refresh_token_types (value),
  refresh_token_hash varchar(255)
);
CREATE INDEX IF NOT EXISTS auth_refresh_tokens_hash_expires_at_user_id_idx
  ON auth_refresh_tokens (refresh_token_hash, expires_at, user_id);
CREATE INDEX IF NOT EXISTS auth_refresh_tokens_user_id_idx ON auth_refresh_tokens (user_id);

CREATE TABLE IF NOT EXISTS auth_user_roles (
  id uuid NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  created_at timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now')),
  user_id uuid NOT NULL REFERENCES auth_users (id) ON UPDATE CASCADE ON DELETE CASCADE,
  role text NOT NULL REFERENCES auth_roles (role) ON UPDATE CASCADE ON DELETE RESTRICT,
  UNIQUE (user_id, role)
);

CREATE TABLE IF NOT EXISTS auth_user_providers (
  id uuid NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  created_at timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now')),
  updated_at timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now')),
  user_id uuid NOT NULL REFERENCES auth_users (id) ON UPDATE CASCADE ON DELETE CASCADE,
  access_token text NOT NULL,
  refresh_token text,
  provider_id text NOT NULL REFERENCES auth_providers (id) ON UPDATE CASCADE ON DELETE RESTRICT,
  provider_user_id text NOT NULL,
  UNIQUE (provider_id, provider_user_id)
);
CREATE INDEX IF NOT EXISTS auth_user_providers_user_id_idx ON auth_user_providers (user_id);

CREATE TABLE IF NOT EXISTS auth_provider_requests (
  id uuid NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  options jsonb
);

CREATE TABLE IF NOT EXISTS auth_user_security_keys (
  id uuid NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  user_id uuid NOT NULL REFERENCES auth_users (id) ON UPDATE CASCADE ON DELETE CASCADE,
  credential_id text NOT NULL UNIQUE,
  credential_public_key bytea,
  counter bigint NOT NULL DEFAULT 0,
  transports varchar(255) NOT NULL DEFAULT '',
  nickname text
);
