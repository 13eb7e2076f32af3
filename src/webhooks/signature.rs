//! Signatures as the Standard Webhooks specification gives them: the secret
//! is `whsec_` and base64; the signed content is `{id}.{timestamp}.{body}`;
//! the header is `v1,` and the base64 of its HMAC-SHA256. Receivers verify
//! with the specification's reference libraries (the tests do, with its
//! Python package).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What every secret starts with.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new secret: 24 random bytes.
pub fn new_secret() -> String {
    let mut key = [0u8; 24];
    getrandom::fill(&mut key).expect("the operating system's random source is available");
    format!("{SECRET_PREFIX}{}", STANDARD.encode(key))
}

/// A new message id (`webhook-id`): `msg_` and 32 hex digits.
pub fn new_message_id() -> String {
    format!("msg_{}", crate::auth::random_hex(16))
}

/// The `webhook-signature` header for `body` sent as message `id` at
/// `timestamp` (Unix seconds), or `None` for a secret this service never makes.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix(SECRET_PREFIX)?).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    Some(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the specification's own test suites (svix/standard-webhooks).
    #[test]
    fn signs_the_specifications_example() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            sign(secret, id, 1614265330, body).as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }

    #[test]
    fn a_new_secret_signs_and_a_foreign_one_does_not() {
        let secret = new_secret();
        assert!(secret.starts_with(SECRET_PREFIX));
        assert!(sign(&secret, "msg_1", 1, "{}").is_some());
        assert!(sign("not-a-secret", "msg_1", 1, "{}").is_none());
        assert_ne!(new_message_id(), new_message_id());
    }
}
