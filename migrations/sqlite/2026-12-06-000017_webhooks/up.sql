-- Webhooks (see the PostgreSQL migration of the same name).
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL,
    description TEXT,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_by_id BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    message_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_response_code INTEGER,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (webhook_id, id);
CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at TIMESTAMP NOT NULL,
    response_code INTEGER,
    duration_ms BIGINT NOT NULL,
    error TEXT
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id, id);
-- The organisation's trail names webhooks as the subject of their changes
-- (SQLite changes a CHECK by rebuilding the table; every row is kept as it was).
CREATE TABLE org_events_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    seq BIGINT NOT NULL UNIQUE,
    actor_id BIGINT REFERENCES users (id),
    kind TEXT NOT NULL,
    subject_type TEXT NOT NULL CHECK (subject_type IN ('user', 'competency', 'message', 'webhook', 'organisation')),
    subject_id BIGINT,
    data TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO org_events_new (id, seq, actor_id, kind, subject_type, subject_id, data, at, prev_hash, hash)
    SELECT id, seq, actor_id, kind, subject_type, subject_id, data, at, prev_hash, hash FROM org_events;
DROP TABLE org_events;
ALTER TABLE org_events_new RENAME TO org_events;
CREATE INDEX org_events_subject ON org_events (subject_type, subject_id, seq);
CREATE INDEX org_events_kind ON org_events (kind, seq);
