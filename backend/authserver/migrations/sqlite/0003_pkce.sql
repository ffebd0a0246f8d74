-- PKCE hand-off codes (see the Postgres twin).
CREATE TABLE IF NOT EXISTS auth_pkce_authorization_codes (
  id uuid NOT NULL PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth_users (id) ON UPDATE CASCADE ON DELETE CASCADE,
  code_hash text NOT NULL UNIQUE,
  code_challenge text NOT NULL,
  redirect_to text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now')),
  expires_at timestamptz NOT NULL
);
