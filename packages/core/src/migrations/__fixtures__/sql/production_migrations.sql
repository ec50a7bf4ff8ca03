-- Consolidated production migrations 20260115_0200 -> 20260131_0000
-- Run with: tools/rds-query --mutate -f /tmp/production_migrations.sql
BEGIN;

-- 20260115_0300: provider_credentials
CREATE TABLE IF NOT EXISTS provider_credentials (
    id SERIAL PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    credential_type VARCHAR(20) CHECK (credential_type IN ('FCVS', 'AMA', 'AOA', 'IMLC', 'GMAIL', 'OTHER')),
    username TEXT,
    password TEXT,  -- Encrypted
    notes TEXT,
    data_source VARCHAR(50) DEFAULT 'manual_entry',
    created_at TIMESTAMP DEFAULT NOW(),
    updated_at TIMESTAMP DEFAULT NOW(),
    is_deleted BOOLEAN DEFAULT FALSE,
    deleted_at TIMESTAMP,
    created_by_id INTEGER REFERENCES users(id),
    updated_by_id INTEGER REFERENCES users(id)
);
CREATE INDEX IF NOT EXISTS ix_provider_credentials_id ON provider_credentials (id);
CREATE INDEX IF NOT EXISTS ix_provider_credentials_provider_id ON provider_credentials (provider_id);
CREATE INDEX IF NOT EXISTS ix_provider_credentials_organization_id ON provider_credentials (organization_id);
CREATE INDEX IF NOT EXISTS ix_provider_credentials_credential_type ON provider_credentials (credential_type);

-- 20260127_0100: enum value (PostgreSQL 12+ accepts ADD VALUE inside a transaction)
ALTER TYPE coordinator_action_type ADD VALUE IF NOT EXISTS 'stage_changed';

-- 7702d353e5b8: coordinator_notification_preferences
CREATE TABLE IF NOT EXISTS coordinator_notification_preferences (
    id SERIAL PRIMARY KEY,
    coordinator_user_id INTEGER UNIQUE NOT NULL REFERENCES users(id),
    email_enabled BOOLEAN DEFAULT true,
    email_event_types JSONB DEFAULT '{"credential_expiring_soon": true, "credential_expiring_90_days": true}'::jsonb,
    in_app_enabled BOOLEAN DEFAULT true,
    in_app_event_types JSONB DEFAULT '{"credential_expiring_soon": true}'::jsonb,
    digest_frequency VARCHAR(20) DEFAULT 'real_time',
    quiet_hours_start TIME,
    quiet_hours_end TIME,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);
CREATE UNIQUE INDEX IF NOT EXISTS ix_coordinator_notification_preferences_coordinator_user_id ON coordinator_notification_preferences (coordinator_user_id);

-- 20260131_0000: BlueShift provider fields + payment_methods
CREATE TABLE IF NOT EXISTS payment_methods (
    id SERIAL PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    cc_type VARCHAR(20),
    cc_number_encrypted TEXT,  -- Encrypted
    cc_expiry_encrypted TEXT,  -- Encrypted
    cc_cvv_encrypted TEXT,     -- Encrypted
    cc_name VARCHAR(255),
    cc_billing_address TEXT,
    created_at TIMESTAMP DEFAULT NOW(),
    updated_at TIMESTAMP DEFAULT NOW(),
    is_deleted BOOLEAN DEFAULT FALSE,
    deleted_at TIMESTAMP,
    created_by_id INTEGER REFERENCES users(id),
    updated_by_id INTEGER REFERENCES users(id)
);
CREATE INDEX IF NOT EXISTS ix_payment_methods_provider_id ON payment_methods (provider_id);
CREATE INDEX IF NOT EXISTS ix_payment_methods_organization_id ON payment_methods (organization_id);
ALTER TABLE providers ADD COLUMN IF NOT EXISTS home_address TEXT;
ALTER TABLE providers ADD COLUMN IF NOT EXISTS home_city VARCHAR(100);
ALTER TABLE providers ADD COLUMN IF NOT EXISTS home_state VARCHAR(2);
ALTER TABLE providers ADD COLUMN IF NOT EXISTS home_zip VARCHAR(10);
ALTER TABLE providers ADD COLUMN IF NOT EXISTS place_of_birth VARCHAR(255);
ALTER TABLE providers ADD COLUMN IF NOT EXISTS height VARCHAR(50);
ALTER TABLE providers ADD COLUMN IF NOT EXISTS weight INTEGER;
ALTER TABLE providers ADD COLUMN IF NOT EXISTS gender VARCHAR(20);
ALTER TABLE providers ADD COLUMN IF NOT EXISTS race VARCHAR(100);
ALTER TABLE providers ADD COLUMN IF NOT EXISTS previous_names TEXT;
ALTER TABLE providers ADD COLUMN IF NOT EXISTS name_change_documents TEXT;
ALTER TABLE providers ADD COLUMN IF NOT EXISTS citizenship_status VARCHAR(100);
ALTER TABLE providers ADD COLUMN IF NOT EXISTS green_card_uscis_number VARCHAR(50);
ALTER TABLE providers ADD COLUMN IF NOT EXISTS employer_start_date DATE;
ALTER TABLE providers ADD COLUMN IF NOT EXISTS "references" JSONB;  -- Quoted: reserved keyword
ALTER TABLE providers ADD COLUMN IF NOT EXISTS fcvs_fid VARCHAR(50);
ALTER TABLE providers ADD COLUMN IF NOT EXISTS aoa_number VARCHAR(50);
ALTER TABLE providers ADD COLUMN IF NOT EXISTS disclosure_notes TEXT;
ALTER TABLE providers ADD COLUMN IF NOT EXISTS renewal_preferences TEXT;
ALTER TABLE providers ADD COLUMN IF NOT EXISTS cv_reference TEXT;
ALTER TABLE licenses ADD COLUMN IF NOT EXISTS portal_pin TEXT;  -- Encrypted
ALTER TABLE licenses ADD COLUMN IF NOT EXISTS renewal_notes TEXT;

UPDATE alembic_version SET version_num = '20260131_0000' WHERE version_num = '20260115_0200';

COMMIT;
