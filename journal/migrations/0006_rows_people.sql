-- Version 6 (both backends): who each row of a batch is, beside its
-- outcome, and the note that says what became of it (success text is a
-- note, not an error): `certbatch results --batch` rebuilds them.
ALTER TABLE rows ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE rows ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE rows ADD COLUMN note TEXT NOT NULL DEFAULT '';
