use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

pub const ISSUER: &str = "barraiser";
pub const TOKEN_LIFETIME_SECS: i64 = 3600;

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
        let iat = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            iat,
            exp: iat + TOKEN_LIFETIME_SECS,
            iss: ISSUER.to_owned(),
            ver: token_version,
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// Every failure is the same 401 `invalid_token`, without detail.
    pub fn verify(&self, token: &str) -> Result<(i64, Claims), ApiError> {
        let invalid = || ApiError::Unauthenticated("invalid_token");
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| invalid())?;
        let claims = data.claims;
        if claims.iat > chrono::Utc::now().timestamp() + self.validation.leeway as i64 {
            return Err(invalid());
        }
        let user_id = claims.sub.parse::<i64>().map_err(|_| invalid())?;
        Ok((user_id, claims))
    }
}
