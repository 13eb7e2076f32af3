//! The state every request handler can reach, built once at start-up.

use crate::auth::{Passwords, TokenKeys};
use crate::db::Db;

/// What every request handler can reach.
pub struct AppState {
    pub db: Db,
    pub tokens: TokenKeys,
    pub passwords: Passwords,
    /// Base of the links in mail.
    pub public_url: String,
}
