use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

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

/// HS256 keys and the validation rules, built once at start-up.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
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

    /// The user id and claims of a valid token; `None` for every failure
    /// alike (tampered, expired, another algorithm or key, issued in the future).
    pub fn verify(&self, token: &str) -> Option<(i64, Claims)> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        let claims = data.claims;
        if claims.iat > chrono::Utc::now().timestamp() + self.validation.leeway as i64 {
            return None;
        }
        let user_id = claims.sub.parse::<i64>().ok()?;
        Some((user_id, claims))
    }
}
