BEGIN;

-- Running upgrade 20260115_0200 -> 20260115_0300

CREATE TABLE provider_credentials (
    id SERIAL NOT NULL, 
    provider_id INTEGER NOT NULL, 
    organization_id INTEGER NOT NULL, 
    credential_type VARCHAR(20), 
    username TEXT, 
    password TEXT, 
    notes TEXT, 
    data_source VARCHAR(50) DEFAULT 'manual_entry', 
    created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT now(), 
    updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT now(), 
    is_deleted BOOLEAN DEFAULT false, 
    deleted_at TIMESTAMP WITHOUT TIME ZONE, 
    created_by_id INTEGER, 
    updated_by_id INTEGER, 
    PRIMARY KEY (id), 
    CONSTRAINT ck_provider_credentials_credential_type CHECK (credential_type IN ('FCVS', 'AMA', 'AOA', 'IMLC', 'GMAIL', 'OTHER')), 
    FOREIGN KEY(provider_id) REFERENCES providers (id) ON DELETE CASCADE, 
    FOREIGN KEY(organization_id) REFERENCES organizations (id) ON DELETE CASCADE, 
    FOREIGN KEY(created_by_id) REFERENCES users (id), 
    FOREIGN KEY(updated_by_id) REFERENCES users (id)
);

CREATE INDEX ix_provider_credentials_id ON provider_credentials (id);

CREATE INDEX ix_provider_credentials_provider_id ON provider_credentials (provider_id);

CREATE INDEX ix_provider_credentials_organization_id ON provider_credentials (organization_id);

CREATE INDEX ix_provider_credentials_credential_type ON provider_credentials (credential_type);

UPDATE alembic_version SET version_num='20260115_0300' WHERE alembic_version.version_num = '20260115_0200';

-- Running upgrade 20260115_0300 -> 20260127_0100

COMMIT;

ALTER TYPE coordinator_action_type ADD VALUE IF NOT EXISTS 'stage_changed';

BEGIN;

UPDATE alembic_version SET version_num='20260127_0100' WHERE alembic_version.version_num = '20260115_0300';

-- Running upgrade 20260127_0100 -> 7702d353e5b8

CREATE TABLE coordinator_notification_preferences (
    id SERIAL NOT NULL, 
    coordinator_user_id INTEGER NOT NULL, 
    email_enabled BOOLEAN DEFAULT true, 
    PRIMARY KEY (id), 
    FOREIGN KEY(coordinator_user_id) REFERENCES users (id)
);

CREATE UNIQUE INDEX ix_coordinator_notification_preferences_coordinator_user_id ON coordinator_notification_preferences (coordinator_user_id);

UPDATE alembic_version SET version_num='7702d353e5b8' WHERE alembic_version.version_num = '20260127_0100';

-- Running upgrade 7702d353e5b8 -> 20260131_0000

ALTER TABLE providers ADD COLUMN home_address TEXT;

ALTER TABLE providers ADD COLUMN "references" JSONB;

CREATE INDEX ix_providers_fcvs_fid ON providers (fcvs_fid);

UPDATE alembic_version SET version_num='20260131_0000' WHERE alembic_version.version_num = '7702d353e5b8';

COMMIT;
