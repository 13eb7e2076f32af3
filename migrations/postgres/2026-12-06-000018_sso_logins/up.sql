-- Single sign-on begun and not yet finished: one row per trip to the OpenID
-- Provider, taken (deleted) by the callback, so a state is good once. The
-- state and the browser's key are kept as SHA-256 only; the PKCE verifier and
-- the nonce live here ten minutes at most, never in the browser.
CREATE TABLE sso_logins (
    state_hash TEXT PRIMARY KEY,
    browser_hash TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX sso_logins_created ON sso_logins (created_at);
