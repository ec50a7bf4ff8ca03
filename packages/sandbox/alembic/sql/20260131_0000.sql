-- Running upgrade 7702d353e5b8 -> 20260131_0000

CREATE TABLE payment_methods (
    id SERIAL NOT NULL,
    provider_id INTEGER NOT NULL,
    organization_id INTEGER NOT NULL,
    cc_type VARCHAR(20),
    cc_number_encrypted TEXT,
    cc_expiry_encrypted TEXT,
    cc_cvv_encrypted TEXT,
    cc_name VARCHAR(255),
    cc_billing_address TEXT,
    created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT now(),
    updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT now(),
    is_deleted BOOLEAN DEFAULT false,
    deleted_at TIMESTAMP WITHOUT TIME ZONE,
    created_by_id INTEGER,
    updated_by_id INTEGER,
    PRIMARY KEY (id),
    FOREIGN KEY(created_by_id) REFERENCES users (id),
    FOREIGN KEY(organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    FOREIGN KEY(provider_id) REFERENCES providers (id) ON DELETE CASCADE,
    FOREIGN KEY(updated_by_id) REFERENCES users (id)
);

CREATE INDEX ix_payment_methods_provider_id ON payment_methods (provider_id);

CREATE INDEX ix_payment_methods_organization_id ON payment_methods (organization_id);

ALTER TABLE providers ADD COLUMN home_address TEXT;

ALTER TABLE providers ADD COLUMN home_city VARCHAR(100);

ALTER TABLE providers ADD COLUMN home_state VARCHAR(2);

ALTER TABLE providers ADD COLUMN home_zip VARCHAR(10);

ALTER TABLE providers ADD COLUMN place_of_birth VARCHAR(255);

ALTER TABLE providers ADD COLUMN height VARCHAR(50);

ALTER TABLE providers ADD COLUMN weight INTEGER;

ALTER TABLE providers ADD COLUMN gender VARCHAR(20);

ALTER TABLE providers ADD COLUMN race VARCHAR(100);

ALTER TABLE providers ADD COLUMN previous_names TEXT;

ALTER TABLE providers ADD COLUMN name_change_documents TEXT;

ALTER TABLE providers ADD COLUMN citizenship_status VARCHAR(100);

ALTER TABLE providers ADD COLUMN green_card_uscis_number VARCHAR(50);

ALTER TABLE providers ADD COLUMN employer_start_date DATE;

ALTER TABLE providers ADD COLUMN "references" JSONB;

ALTER TABLE providers ADD COLUMN fcvs_fid VARCHAR(50);

ALTER TABLE providers ADD COLUMN aoa_number VARCHAR(50);

ALTER TABLE providers ADD COLUMN disclosure_notes TEXT;

ALTER TABLE providers ADD COLUMN renewal_preferences TEXT;

ALTER TABLE providers ADD COLUMN cv_reference TEXT;

ALTER TABLE licenses ADD COLUMN portal_pin TEXT;

ALTER TABLE licenses ADD COLUMN renewal_notes TEXT;

UPDATE alembic_version SET version_num='20260131_0000' WHERE alembic_version.version_num = '7702d353e5b8';
