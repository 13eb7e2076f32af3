//! Sign-in: argon2id passwords, sessions with a server-side identity (a
//! browser's cookie, an API token's `sid`), HS256 access tokens, the
//! per-account budget of password checks, and the services that sign people
//! in and out and change passwords.

mod caller;
mod jwt;
mod password;
mod roles;
pub mod session;
mod sign_in;
pub mod sso;
pub mod throttle;

pub use caller::Caller;
pub use jwt::{Claims, SESSION_LIFETIME_SECS, TOKEN_LIFETIME_SECS, TokenKeys};
pub use password::{Passwords, hash_now};
pub use roles::{require_admin, require_recruiting};
pub use session::{SessionKey, SessionKind};
pub use sign_in::{
    change_password, live_sessions, password_sign_in_off, sign_in, sign_out, sign_out_everywhere,
};

/// What every API key starts with, so that a leaked one is recognisable.
pub const API_KEY_PREFIX: &str = "brk_";

/// A random secret of `bytes` bytes, hex-encoded.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system's random source is available");
    hex::encode(&buf)
}

/// The SHA-256 of a secret, hex-encoded: what the database keeps of link
/// tokens and session keys.
pub fn sha256_hex(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_hex_is_the_lower_case_hex_of_the_standard_digest() {
        // FIPS 180-2's example "abc".
        assert_eq!(
            super::sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(super::random_hex(16).len(), 32);
    }
}
