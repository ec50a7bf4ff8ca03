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
    FOREIGN KEY(created_by_id) REFERENCES users (id),
    FOREIGN KEY(organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    FOREIGN KEY(provider_id) REFERENCES providers (id) ON DELETE CASCADE,
    FOREIGN KEY(updated_by_id) REFERENCES users (id)
);

CREATE INDEX ix_provider_credentials_provider_id ON provider_credentials (provider_id);

CREATE INDEX ix_provider_credentials_organization_id ON provider_credentials (organization_id);

CREATE INDEX ix_provider_credentials_credential_type ON provider_credentials (credential_type);

CREATE INDEX ix_provider_credentials_provider_id_is_deleted ON provider_credentials (provider_id, is_deleted);

UPDATE alembic_version SET version_num='20260115_0300' WHERE alembic_version.version_num = '20260115_0200';
