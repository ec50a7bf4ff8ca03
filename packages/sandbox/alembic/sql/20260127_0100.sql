-- Running upgrade 20260115_0300 -> 20260127_0100

-- autocommit_block: `alembic upgrade --sql` prints COMMIT; before this statement and BEGIN; after it.
-- PostgreSQL 12+ accepts ADD VALUE inside a transaction (the value is usable once committed),
-- so it stays inline here and the pending migrations still apply in one transaction.
ALTER TYPE coordinator_action_type ADD VALUE 'stage_changed';

UPDATE alembic_version SET version_num='20260127_0100' WHERE alembic_version.version_num = '20260115_0300';
