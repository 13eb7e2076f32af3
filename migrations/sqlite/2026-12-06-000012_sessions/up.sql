-- Signed-in sessions, one row each: a browser's (its cookie holds the key) or
-- an API token's (its `sid` claim holds the key). Only the SHA-256 of each key
-- is kept. Deleting the row ends the session at once, on every instance.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    key_hash TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('browser', 'api')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
