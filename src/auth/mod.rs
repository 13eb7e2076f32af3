//! Sign-in: argon2id passwords, HS256 access tokens and the extractor that
//! turns a Bearer token into the current user on every request.

mod extractor;
mod jwt;
mod password;
pub mod throttle;

pub use extractor::CurrentUser;
pub use jwt::{Claims, TOKEN_LIFETIME_SECS, TokenKeys};
pub use password::{Passwords, hash_now};

/// A random secret of `bytes` bytes, hex-encoded.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system's random source is available");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}
