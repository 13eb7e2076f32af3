-- The organisation's tamper-evident audit trail, beside the loops' chains:
-- changes of people, roles, bar raiser status, reporting lines, the
-- competency library and the outbox, one chain for the whole organisation.
-- Each row stores hash = SHA-256(prev_hash ‖ content); rows are only inserted.
CREATE TABLE org_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    seq BIGINT NOT NULL UNIQUE,
    actor_id BIGINT REFERENCES users (id),
    kind TEXT NOT NULL,
    subject_type TEXT NOT NULL CHECK (subject_type IN ('user', 'competency', 'message', 'organisation')),
    subject_id BIGINT,
    data TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX org_events_subject ON org_events (subject_type, subject_id, seq);
CREATE INDEX org_events_kind ON org_events (kind, seq);
