-- SQLite twin of nhost/migrations/default/1700000000001_add_public_notes/up.sql.
ALTER TABLE notes ADD COLUMN is_public boolean NOT NULL DEFAULT false;

CREATE VIEW public_notes AS
SELECT id, title, content, created_at, updated_at
FROM notes
WHERE is_public;
