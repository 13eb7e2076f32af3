//! The state every request handler can reach, built once at start-up.

use crate::auth::{Passwords, TokenKeys};
use crate::db::Db;
use crate::links::Links;

/// What every request handler can reach.
pub struct AppState {
    pub db: Db,
    pub tokens: TokenKeys,
    pub passwords: Passwords,
    /// Every address the service hands out, from the public URL.
    pub links: Links,
    /// How much must stand behind one person's figures in the analytics.
    pub analytics: crate::services::analytics::Privacy,
    /// How often the worker keeps the insights' preset periods (None: never;
    /// the pages then compute every figure fresh).
    pub insights_refresh: Option<std::time::Duration>,
    /// What `/metrics` exposes.
    pub metrics: std::sync::Arc<crate::metrics::Metrics>,
    /// The debrief room's open live streams.
    pub live: std::sync::Arc<crate::services::debrief::live::Live>,
    /// When this instance last wrote down each API key's use.
    pub key_uses: crate::services::api_keys::Uses,
    /// Where webhooks may be sent (`WEBHOOK_ALLOW_PRIVATE_NETWORKS`).
    pub webhooks: crate::webhooks::Reach,
    /// Single sign-on, when configured.
    pub sso: Option<std::sync::Arc<crate::auth::sso::Sso>>,
    /// Whether people may sign in with a password (`PASSWORD_SIGN_IN`).
    pub password_sign_in: bool,
}
