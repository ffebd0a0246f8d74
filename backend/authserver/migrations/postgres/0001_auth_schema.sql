-- The auth schema as Nhost's hasura-auth owns it (migrations 00001-00024,
-- consolidated). Every statement is idempotent, so a database that already
-- holds Nhost's schema is left as it is.
CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;
CREATE SCHEMA IF NOT EXISTS auth;

DO $$
BEGIN
  CREATE DOMAIN auth.email AS public.citext
    CHECK (value ~ '^[a-zA-Z0-9.!#$%&''*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$');
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

CREATE OR REPLACE FUNCTION auth.set_current_timestamp_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  _new record;
BEGIN
  _new := new;
  _new."updated_at" = now();
  RETURN _new;
END;
$$;

CREATE TABLE IF NOT EXISTS auth.roles (
  role text NOT NULL PRIMARY KEY
);
INSERT INTO auth.roles (role) VALUES ('user'), ('me'), ('anonymous') ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS auth.providers (
  id text NOT NULL PRIMARY KEY
);
INSERT INTO auth.providers (id) VALUES
  ('github'), ('facebook'), ('twitter'), ('google'), ('apple'), ('linkedin'),
  ('windowslive'), ('spotify'), ('strava'), ('gitlab'), ('bitbucket'),
  ('discord'), ('twitch'), ('workos'), ('azuread'), ('entraid')
ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS auth.refresh_token_types (
  value text NOT NULL PRIMARY KEY,
  comment text
);
INSERT INTO auth.refresh_token_types (value, comment) VALUES
  ('regular', 'Regular refresh token'),
  ('pat', 'Personal access token')
ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS auth.users (
  id uuid NOT NULL DEFAULT public.gen_random_uuid() PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_seen timestamptz,
  disabled boolean NOT NULL DEFAULT false,
  display_name text NOT NULL DEFAULT '',
  avatar_url text NOT NULL DEFAULT '',
  locale varchar(3) NOT NULL,
  email auth.email UNIQUE,
  phone_number text UNIQUE,
  password_hash text,
  email_verified boolean NOT NULL DEFAULT false,
  phone_number_verified boolean NOT NULL DEFAULT false,
  new_email auth.email,
  otp_method_last_used text,
  otp_hash text,
  otp_hash_expires_at timestamptz NOT NULL DEFAULT now(),
  default_role text NOT NULL DEFAULT 'user'
    REFERENCES auth.roles (role) ON UPDATE CASCADE ON DELETE RESTRICT,
  is_anonymous boolean NOT NULL DEFAULT false,
  totp_secret text,
  active_mfa_type text,
  ticket text,
  ticket_expires_at timestamptz NOT NULL DEFAULT now(),
  metadata jsonb,
  webauthn_current_challenge text,
  otp_attempts smallint NOT NULL DEFAULT 0,
  new_phone_number text,
  CONSTRAINT active_mfa_types_check CHECK (active_mfa_type = 'totp' OR active_mfa_type = 'sms')
);
-- A database from an older hasura-auth gets the newest columns.
ALTER TABLE auth.users ADD COLUMN IF NOT EXISTS otp_attempts smallint NOT NULL DEFAULT 0;
ALTER TABLE auth.users ADD COLUMN IF NOT EXISTS new_phone_number text;
ALTER TABLE auth.users ALTER COLUMN locale TYPE varchar(3);
DROP TRIGGER IF EXISTS set_auth_users_updated_at ON auth.users;
CREATE TRIGGER set_auth_users_updated_at BEFORE UPDATE ON auth.users
  FOR EACH ROW EXECUTE FUNCTION auth.set_current_timestamp_updated_at();

CREATE TABLE IF NOT EXISTS auth.refresh_tokens (
  id uuid NOT NULL DEFAULT public.gen_random_uuid() PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON UPDATE CASCADE ON DELETE CASCADE,
  metadata jsonb,
  type text NOT NULL DEFAULT 'regular'
    REFERENCES auth.refresh_token_types (value) ON UPDATE RESTRICT ON DELETE RESTRICT,
  refresh_token_hash varchar(255)
);
CREATE INDEX IF NOT EXISTS refresh_tokens_refresh_token_hash_expires_at_user_id_idx
  ON auth.refresh_tokens (refresh_token_hash, expires_at, user_id);

CREATE TABLE IF NOT EXISTS auth.user_roles (
  id uuid NOT NULL DEFAULT public.gen_random_uuid() PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  user_id uuid NOT NULL REFERENCES auth.users (id) ON UPDATE CASCADE ON DELETE CASCADE,
  role text NOT NULL REFERENCES auth.roles (role) ON UPDATE CASCADE ON DELETE RESTRICT,
  UNIQUE (user_id, role)
);

CREATE TABLE IF NOT EXISTS auth.user_providers (
  id uuid NOT NULL DEFAULT public.gen_random_uuid() PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  user_id uuid NOT NULL REFERENCES auth.users (id) ON UPDATE CASCADE ON DELETE CASCADE,
  access_token text NOT NULL,
  refresh_token text,
  provider_id text NOT NULL REFERENCES auth.providers (id) ON UPDATE CASCADE ON DELETE RESTRICT,
  provider_user_id text NOT NULL,
  UNIQUE (provider_id, provider_user_id)
);
DROP TRIGGER IF EXISTS set_auth_user_providers_updated_at ON auth.user_providers;
CREATE TRIGGER set_auth_user_providers_updated_at BEFORE UPDATE ON auth.user_providers
  FOR EACH ROW EXECUTE FUNCTION auth.set_current_timestamp_updated_at();

CREATE TABLE IF NOT EXISTS auth.provider_requests (
  id uuid NOT NULL PRIMARY KEY,
  options jsonb
);

CREATE TABLE IF NOT EXISTS auth.user_security_keys (
  id uuid NOT NULL DEFAULT public.gen_random_uuid() PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON UPDATE CASCADE ON DELETE CASCADE,
  credential_id text NOT NULL UNIQUE,
  credential_public_key bytea,
  counter bigint NOT NULL DEFAULT 0,
  transports varchar(255) NOT NULL DEFAULT '',
  nickname text
);
