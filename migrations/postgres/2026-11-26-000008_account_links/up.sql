-- Single-use links to set a password: an invitation to a new account (72 h)
-- or a reset (1 h). Only the SHA-256 of each token is kept.
CREATE TABLE account_links (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'reset')),
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX account_links_user_created ON account_links (user_id, created_at);
