-- SQLite twin of nhost/migrations/default/1700000000000_create_notes/up.sql.
-- Types are declared with their Postgres names so the engine exposes the
-- same GraphQL scalars; uuids are lowercase text, timestamps ISO 8601 text.
CREATE TABLE notes (
    id uuid NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    user_id uuid NOT NULL,
    title text NOT NULL,
    content text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    updated_at timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
    CONSTRAINT notes_pkey PRIMARY KEY (id),
    CONSTRAINT notes_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth_users (id) ON UPDATE CASCADE ON DELETE CASCADE
);

CREATE TRIGGER set_public_notes_updated_at
AFTER UPDATE ON notes
FOR EACH ROW WHEN NEW.updated_at = OLD.updated_at
BEGIN
    UPDATE notes SET updated_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE id = NEW.id;
END;

CREATE INDEX notes_user_id_updated_at_idx ON notes (user_id, updated_at DESC);
