CREATE SCHEMA auth;
CREATE TABLE auth.users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now(),
  display_name text NOT NULL DEFAULT '',
  avatar_url text NOT NULL DEFAULT '',
  email text UNIQUE,
  locale varchar(2) NOT NULL DEFAULT 'en',
  disabled boolean NOT NULL DEFAULT false,
  metadata jsonb
);
CREATE TABLE public.notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  title text NOT NULL,
  body text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO auth.users (id, created_at, display_name, email, metadata) VALUES
  ('11111111-1111-4111-8111-111111111111', '2024-01-01T09:00:00+00:00', 'Ada', 'ada@example.com', '{"plan": "pro", "tags": ["a", "b"]}'),
  ('22222222-2222-4222-8222-222222222222', '2024-01-02T09:00:00+00:00', 'Bob', 'bob@example.com', NULL);
INSERT INTO public.notes (id, user_id, title, body, created_at, updated_at) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'First', 'hello', '2024-01-01T10:00:00+00:00', '2024-01-01T10:00:00+00:00'),
  ('aaaaaaaa-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 'Second', NULL, '2024-01-01T11:00:00+00:00', '2024-01-03T11:00:00+00:00'),
  ('aaaaaaaa-0000-4000-8000-000000000003', '22222222-2222-4222-8222-222222222222', 'Other', 'secret', '2024-01-02T10:00:00+00:00', '2024-01-02T10:00:00+00:00');
