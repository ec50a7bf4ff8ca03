-- Running upgrade 20260127_0100 -> 7702d353e5b8

CREATE TABLE coordinator_notification_preferences (
    id SERIAL NOT NULL,
    coordinator_user_id INTEGER NOT NULL,
    email_enabled BOOLEAN DEFAULT true,
    email_event_types JSONB DEFAULT '{
    "credential_expiring_soon": true,
    "credential_expiring_90_days": true,
    "credential_expiring_60_days": true,
    "credential_expiring_30_days": true,
    "new_credential_added": true,
    "credential_status_changed": true,
    "action_required": true,
    "provider_uploaded_document": true
}'::jsonb,
    in_app_enabled BOOLEAN DEFAULT true,
    in_app_event_types JSONB DEFAULT '{
    "credential_expiring_soon": true,
    "credential_expiring_90_days": true,
    "credential_expiring_60_days": true,
    "credential_expiring_30_days": true,
    "new_credential_added": true,
    "credential_status_changed": true,
    "action_required": true,
    "provider_uploaded_document": true
}'::jsonb,
    digest_frequency VARCHAR(20) DEFAULT 'real_time',
    quiet_hours_start TIME WITHOUT TIME ZONE,
    quiet_hours_end TIME WITHOUT TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
    PRIMARY KEY (id),
    FOREIGN KEY(coordinator_user_id) REFERENCES users (id)
);

CREATE UNIQUE INDEX ix_coordinator_notification_preferences_coordinator_user_id ON coordinator_notification_preferences (coordinator_user_id);

UPDATE alembic_version SET version_num='7702d353e5b8' WHERE alembic_version.version_num = '20260127_0100';
