-- Version 6 (both backends): who each row of a batch is, beside its
-- outcome, and the note that says what became of it (success text is a
-- note, not an error): `certbatch results --batch` rebuilds them.
ALTER TABLE rows ADD COLUMN name TEXT NOT NULL DEFAULT '';   -- the person's name as the input wrote it
ALTER TABLE rows ADD COLUMN email TEXT NOT NULL DEFAULT '';  -- the primary email as the input wrote it
ALTER TABLE rows ADD COLUMN note TEXT NOT NULL DEFAULT '';   -- what happened when it is no problem (recovered, skipped because ...)
