-- PKCE hand-off codes (Nhost's newer auth.pkce_authorization_codes): a
-- redirect carries ?code= instead of ?refreshToken=, exchanged once within
-- five minutes at POST /token/exchange with the code verifier.
CREATE TABLE IF NOT EXISTS auth.pkce_authorization_codes (
  id uuid NOT NULL DEFAULT public.gen_random_uuid() PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON UPDATE CASCADE ON DELETE CASCADE,
  code_hash text NOT NULL UNIQUE,
  code_challenge text NOT NULL,
  redirect_to text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
