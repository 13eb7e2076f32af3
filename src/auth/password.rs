use std::sync::Arc;

use anyhow::Context;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use tokio::sync::Semaphore;

use crate::error::ServiceError;

/// argon2id with the OWASP parameters: m = 19456 KiB, t = 2, p = 1.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("the OWASP parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes and verifies passwords on the blocking pool, at most `limit` at a
/// time: each one holds 19 MiB, so a flood of sign-ins queues here instead of
/// exhausting memory.
#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// Verified against when the email is unknown, so that answer takes as long as a wrong password.
    dummy_hash: Arc<str>,
}

impl Passwords {
    pub fn new(limit: usize) -> anyhow::Result<Self> {
        let dummy = hash_now(&super::random_hex(16))?;
        Ok(Self {
            permits: Arc::new(Semaphore::new(limit.max(1))),
            dummy_hash: dummy.into(),
        })
    }

    pub async fn hash(&self, password: String) -> Result<String, ServiceError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .context("password semaphore closed")?;
        Ok(actix_web::web::block(move || hash_now(&password)).await??)
    }

    /// Checks `password` against `stored`; with no stored hash it burns the same
    /// time on a dummy hash and answers `false`.
    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<bool, ServiceError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .context("password semaphore closed")?;
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.dummy_hash.to_string());
        let ok = actix_web::web::block(move || {
            argon2()
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok()
        })
        .await?;
        Ok(ok && known)
    }
}

/// Hashes synchronously (start-up, CLI). Request handlers use [`Passwords::hash`].
pub fn hash_now(password: &str) -> anyhow::Result<String> {
    let hash = argon2()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))?;
    Ok(hash.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let hash = hash_now("correct horse battery staple").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            argon2()
                .verify_password(b"correct horse battery staple", hash.as_str())
                .is_ok()
        );
        assert!(
            argon2()
                .verify_password(b"wrong horse battery staple", hash.as_str())
                .is_err()
        );
    }
}
