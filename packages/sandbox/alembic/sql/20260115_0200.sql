-- Running upgrade 20251218_0900 -> 20260115_0200

CREATE TABLE notifications (
    id SERIAL NOT NULL,
    user_id INTEGER NOT NULL,
    event_type VARCHAR(50) NOT NULL,
    title VARCHAR(255) NOT NULL,
    body TEXT,
    read_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
    PRIMARY KEY (id),
    FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_notifications_user_id_created_at ON notifications (user_id, created_at);

UPDATE alembic_version SET version_num='20260115_0200' WHERE alembic_version.version_num = '20251218_0900';
