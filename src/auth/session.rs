//! Sessions with a server-side identity. Signing in starts one: a browser's
//! key travels in its `session` cookie, an API token's in its `sid` claim.
//! The database keeps only the SHA-256 of each key. Signing out deletes the
//! row; a password change, a deactivation and "sign out everywhere" delete
//! every row of the person. Every request looks its session up in the same
//! query that loads its user, so an ended session stops working at once, on
//! every instance that shares the database.

use chrono::{NaiveDateTime, TimeDelta};
use sha2::{Digest, Sha256};

use crate::db::{DbConn, sessions};

/// Who holds the session's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// A browser: the key is the value of the `session` cookie.
    Browser,
    /// An integration: the key is inside a signed access token.
    Api,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Browser => "browser",
            Self::Api => "api",
        }
    }

    /// How long a session lives: a working day in a browser, an hour for a token.
    pub fn lifetime_secs(self) -> i64 {
        match self {
            Self::Browser => super::SESSION_LIFETIME_SECS,
            Self::Api => super::TOKEN_LIFETIME_SECS,
        }
    }
}

/// The length of a session key in hex characters (256 random bits).
const KEY_HEX_LEN: usize = 64;

/// The SHA-256 of a session key: what the database keeps and looks up.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct KeyHash([u8; 32]);

impl std::fmt::Debug for KeyHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyHash(…)")
    }
}

impl KeyHash {
    /// The hash of a key as presented; `None` for anything that is not a key
    /// this service makes (so a JWT in the cookie or garbage never reaches
    /// the database).
    pub fn of(key: &str) -> Option<Self> {
        (key.len() == KEY_HEX_LEN && key.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self(Sha256::digest(key.as_bytes()).into()))
    }

    pub fn hex(&self) -> String {
        hex::encode(self.0)
    }
}

/// A new session's key, given once to its holder.
pub struct SessionKey(String);

impl SessionKey {
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionKey(***)")
    }
}

/// Starts a session of `kind` for `user_id` (and forgets the person's expired ones).
pub fn start(
    conn: &mut DbConn,
    user_id: i64,
    kind: SessionKind,
    now: NaiveDateTime,
) -> diesel::QueryResult<SessionKey> {
    let key = super::random_hex(KEY_HEX_LEN / 2);
    let hash = KeyHash::of(&key).expect("a fresh key has the key's shape");
    sessions::delete_expired_of(conn, user_id, now)?;
    sessions::insert(
        conn,
        user_id,
        &hash.hex(),
        kind.as_str(),
        now,
        now + TimeDelta::seconds(kind.lifetime_secs()),
    )?;
    Ok(SessionKey(key))
}

/// Ends every session of a person (a password change, a deactivation, "sign
/// out everywhere"); answers how many were live or expired.
pub fn end_all(conn: &mut DbConn, user_id: i64) -> diesel::QueryResult<usize> {
    sessions::delete_all_of(conn, user_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_keys_of_the_services_own_shape_are_looked_up() {
        let key = crate::auth::random_hex(32);
        assert!(KeyHash::of(&key).is_some());
        assert_ne!(KeyHash::of(&key), KeyHash::of(&crate::auth::random_hex(32)));
        for other in [
            "",
            "abc",
            "eyJhbGciOiJIUzI1NiJ9.e30.x",
            &"g".repeat(64),
            &"a".repeat(65),
        ] {
            assert!(KeyHash::of(other).is_none(), "{other:?}");
        }
    }
}
