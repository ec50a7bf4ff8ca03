-- Running upgrade 20251110_1400 -> 20251218_0900

CREATE TABLE conversations (
    id SERIAL NOT NULL,
    organization_id INTEGER NOT NULL,
    provider_id INTEGER NOT NULL,
    subject VARCHAR(255) NOT NULL,
    created_by_id INTEGER NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
    last_message_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (id),
    FOREIGN KEY(created_by_id) REFERENCES users (id),
    FOREIGN KEY(organization_id) REFERENCES organizations (id),
    FOREIGN KEY(provider_id) REFERENCES providers (id) ON DELETE CASCADE
);

CREATE TABLE messages (
    id SERIAL NOT NULL,
    conversation_id INTEGER NOT NULL,
    sender_user_id INTEGER,
    body TEXT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
    read_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (id),
    FOREIGN KEY(conversation_id) REFERENCES conversations (id) ON DELETE CASCADE,
    FOREIGN KEY(sender_user_id) REFERENCES users (id)
);

CREATE INDEX ix_messages_conversation_id ON messages (conversation_id);

UPDATE alembic_version SET version_num='20251218_0900' WHERE alembic_version.version_num = '20251110_1400';
