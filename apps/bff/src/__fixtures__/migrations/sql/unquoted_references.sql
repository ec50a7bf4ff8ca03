-- The story's consolidated SQL, first try: `references` is a reserved word.
BEGIN;
ALTER TABLE providers ADD COLUMN fcvs_fid VARCHAR(50);
ALTER TABLE providers ADD COLUMN references JSONB;
COMMIT;
