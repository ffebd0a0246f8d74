DROP VIEW public.public_notes;
ALTER TABLE public.notes DROP COLUMN is_public;
