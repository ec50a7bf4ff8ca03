-- Running upgrade 9c3d7a5b2e4f -> 20251110_1400

CREATE TYPE coordinator_action_type AS ENUM ('note_added', 'document_requested', 'license_renewed', 'status_changed', 'reminder_sent');

CREATE TABLE coordinator_actions (
    id SERIAL NOT NULL,
    organization_id INTEGER NOT NULL,
    coordinator_user_id INTEGER NOT NULL,
    provider_id INTEGER,
    action_type coordinator_action_type NOT NULL,
    details JSONB,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
    PRIMARY KEY (id),
    FOREIGN KEY(coordinator_user_id) REFERENCES users (id),
    FOREIGN KEY(organization_id) REFERENCES organizations (id),
    FOREIGN KEY(provider_id) REFERENCES providers (id) ON DELETE SET NULL
);

CREATE INDEX ix_coordinator_actions_provider_id_created_at ON coordinator_actions (provider_id, created_at);

UPDATE alembic_version SET version_num='20251110_1400' WHERE alembic_version.version_num = '9c3d7a5b2e4f';
