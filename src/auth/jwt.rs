use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

pub const ISSUER: &str = "barraiser";
pub const TOKEN_LIFETIME_SECS: i64 = 3600;
/// A browser session lasts a working day (the cookie expires with it).
pub const SESSION_LIFETIME_SECS: i64 = 8 * 3600;

/// The access token's claims. `ver` is the user's token version: a password or
/// role change bumps it, which revokes every token issued before.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub ver: i64,
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

    pub fn issue(&self, user_id: i64, token_version: i64) -> anyhow::Result<String> {
        self.issue_for(user_id, token_version, TOKEN_LIFETIME_SECS)
    }

    /// A token that lives `lifetime_secs` (the browser session's is longer
    /// than the API's; both are revoked alike by the token version).
    pub fn issue_for(
        &self,
        user_id: i64,
        token_version: i64,
        lifetime_secs: i64,
    ) -> anyhow::Result<String> {
        let iat = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            iat,
            exp: iat + lifetime_secs,
            iss: ISSUER.to_owned(),
            ver: token_version,
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
