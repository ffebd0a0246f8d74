-- SQLite twin of nhost/migrations/default/1700000000002_add_moderator_role/up.sql.
INSERT INTO auth_roles (role) VALUES ('moderator') ON CONFLICT DO NOTHING;
