use std::collections::HashMap;
use std::sync::Mutex;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::session::KeyHash;

pub const ISSUER: &str = "barraiser";
pub const TOKEN_LIFETIME_SECS: i64 = 3600;
/// A browser session lasts a working day (the cookie expires with it).
pub const SESSION_LIFETIME_SECS: i64 = 8 * 3600;

/// The access token's claims. `ver` is the user's token version: a password or
/// role change bumps it, which revokes every token issued before. `sid` is
/// the key of the token's session (see `auth::session`): signing out ends it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub ver: i64,
    pub sid: String,
}

/// What a token that verified says, as a request needs it: its user, the
/// token version it was issued for and the hash of its session's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    pub user_id: i64,
    pub version: i64,
    pub session: KeyHash,
    exp: i64,
}

/// How many verified tokens are kept (an hour's tokens of a large company's
/// integrations; some 400 bytes each).
const VERIFIED_CAPACITY: usize = 4096;

/// HS256 keys and the validation rules, built once at start-up, and the
/// tokens that verified.
///
/// A token's signature is checked once: the same string under the same key
/// verifies the same way every time, so a request with a token seen before
/// costs a map lookup and the expiry check instead of base64, HMAC-SHA256 and
/// two JSON documents (6 % of the API's loop read in the profile).
/// Only tokens that verified are kept, so forged ones cannot crowd them
/// out. Revocation is untouched: the session, the user and the token version
/// are checked against the database at every request, as before.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    verified: Mutex<HashMap<Box<str>, Verified>>,
}

impl TokenKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256); // the only algorithm accepted
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "iss"]);
        validation.leeway = 30;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            verified: Mutex::new(HashMap::new()),
        }
    }

    /// A token for the API session whose key is `session_key`; it lives as
    /// long as the session.
    pub fn issue(
        &self,
        user_id: i64,
        token_version: i64,
        session_key: &str,
    ) -> anyhow::Result<String> {
        let iat = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            iat,
            exp: iat + TOKEN_LIFETIME_SECS,
            iss: ISSUER.to_owned(),
            ver: token_version,
            sid: session_key.to_owned(),
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// What a valid token says; `None` for every failure alike (tampered,
    /// expired, another algorithm or key, issued in the future, naming no
    /// session key).
    pub fn verify(&self, token: &str) -> Option<Verified> {
        self.verify_at(token, chrono::Utc::now().timestamp())
    }

    /// [`TokenKeys::verify`] at `now` (seconds since the epoch).
    fn verify_at(&self, token: &str, now: i64) -> Option<Verified> {
        let leeway = self.validation.leeway as i64;
        // Expired as `jsonwebtoken` decides it: `exp` more than the leeway ago.
        let live = |v: &Verified| v.exp >= now - leeway;
        let verified = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = verified.get(token) {
            return live(v).then_some(*v);
        }
        drop(verified);
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        let claims = data.claims;
        if claims.iat > now + leeway {
            return None;
        }
        let found = Verified {
            user_id: claims.sub.parse::<i64>().ok()?,
            version: claims.ver,
            session: KeyHash::of(&claims.sid)?,
            exp: claims.exp,
        };
        let mut verified = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        if verified.len() >= VERIFIED_CAPACITY {
            verified.retain(|_, v| live(v));
            if verified.len() >= VERIFIED_CAPACITY {
                verified.clear();
            }
        }
        verified.insert(token.into(), found);
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a secret of the tests, long enough for HS256";
    const SESSION: &str = "6f33239a9d0cd6aa436531dc8d337bde9dcd3b6b8a1a92bafb028e276a395d57";

    fn token(secret: &[u8], iat: i64, exp: i64) -> String {
        let claims = Claims {
            sub: "7".into(),
            iat,
            exp,
            iss: ISSUER.into(),
            ver: 3,
            sid: SESSION.into(),
        };
        let key = EncodingKey::from_secret(secret);
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key).unwrap()
    }

    #[test]
    fn a_token_seen_before_verifies_the_same_until_it_expires() {
        let keys = TokenKeys::new(SECRET);
        let now = chrono::Utc::now().timestamp();
        let t = token(SECRET, now, now + 60);
        let first = keys.verify_at(&t, now).expect("a fresh token verifies");
        assert_eq!((first.user_id, first.version), (7, 3));
        assert_eq!(Some(first.session), KeyHash::of(SESSION));
        assert_eq!(keys.verified.lock().unwrap().len(), 1);
        assert_eq!(keys.verify_at(&t, now + 30), Some(first));
        // Within the leeway past its expiry, then no more: from the kept entry.
        assert_eq!(keys.verify_at(&t, now + 60 + 30), Some(first));
        assert_eq!(keys.verify_at(&t, now + 60 + 31), None);
    }

    #[test]
    fn tokens_that_do_not_verify_are_not_kept() {
        let keys = TokenKeys::new(SECRET);
        let now = chrono::Utc::now().timestamp();
        let forged = token(b"another secret, just as long as the first", now, now + 60);
        let future = token(SECRET, now + 3600, now + 7200);
        let expired = token(SECRET, now - 7200, now - 3600);
        for t in [&forged, &future, &expired, &"not a token".to_owned()] {
            assert_eq!(keys.verify_at(t, now), None);
        }
        assert!(keys.verified.lock().unwrap().is_empty());
    }

    #[test]
    fn the_kept_tokens_are_bounded() {
        let keys = TokenKeys::new(SECRET);
        let now = chrono::Utc::now().timestamp();
        for i in 0..VERIFIED_CAPACITY as i64 + 10 {
            let t = token(SECRET, now - i, now + 60);
            assert!(keys.verify_at(&t, now).is_some());
            assert!(keys.verified.lock().unwrap().len() <= VERIFIED_CAPACITY);
        }
    }
}
