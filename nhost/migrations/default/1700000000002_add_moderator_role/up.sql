INSERT INTO auth.roles (role) VALUES ('moderator') ON CONFLICT DO NOTHING;
