//! Sign-in: argon2id passwords, HS256 access tokens, the per-account budget of
//! password checks, and the services that sign people in and change passwords.

mod caller;
mod jwt;
mod password;
mod roles;
mod sign_in;
pub mod throttle;

pub use caller::Caller;
pub use jwt::{Claims, SESSION_LIFETIME_SECS, TOKEN_LIFETIME_SECS, TokenKeys};
pub use password::{Passwords, hash_now};
pub use roles::{require_admin, require_recruiting};
pub use sign_in::{change_password, sign_in, user_of_token};

/// A random secret of `bytes` bytes, hex-encoded.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system's random source is available");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}
