ALTER TABLE public.notes ADD COLUMN is_public boolean DEFAULT false NOT NULL;

CREATE VIEW public.public_notes AS
SELECT id, title, content, created_at, updated_at
FROM public.notes
WHERE is_public;
COMMENT ON VIEW public.public_notes IS 'The notes their authors made public, without the author.';
