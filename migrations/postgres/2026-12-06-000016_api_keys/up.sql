-- API keys for integrations. A key acts as its own account (a "machine"
-- user with the key's role, who never signs in and is never offered as a
-- person), so every rule and the audit trails name it. Only the SHA-256 of
-- the key and a short prefix to recognise it are kept.
ALTER TABLE users ADD COLUMN machine BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE api_keys (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL UNIQUE REFERENCES users (id),
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_by_id BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
