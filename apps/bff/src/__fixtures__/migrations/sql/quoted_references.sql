-- The same SQL as it finally ran: the reserved word in double quotes.
BEGIN;
ALTER TABLE providers ADD COLUMN fcvs_fid VARCHAR(50);
ALTER TABLE providers ADD COLUMN "references" JSONB;
COMMIT;
