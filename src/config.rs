//! Configuration from environment variables, each with a default that works on
//! a laptop. Loaded once in `main` and passed down; never a global.

use std::fmt;

use anyhow::{Context, bail};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone)]
pub struct Settings {
    /// `DATABASE_URL`: an SQLite path (default `barraiser.db`) or a `postgres://` URL.
    pub database_url: String,
    /// `BIND`: address of the HTTP listener (default `127.0.0.1:8080`; port 0 picks a free one).
    pub bind: String,
    /// `JWT_SECRET`: at least 32 characters; when unset, one is generated once and kept in the database.
    pub jwt_secret: Option<String>,
    /// `BARRAISER_ADMIN_EMAIL` / `BARRAISER_ADMIN_PASSWORD`: the first admin of an empty database.
    pub admin_email: Option<String>,
    pub admin_password: Option<String>,
    /// `DATABASE_POOL_SIZE` (default 8).
    pub pool_size: u32,
    /// `HTTP_WORKERS` (default: one per core).
    pub http_workers: usize,
    /// `PASSWORD_HASH_CONCURRENCY`: argon2 runs at once (default 4, 19 MiB each).
    pub password_hash_concurrency: usize,
    /// `LOG_FORMAT`: `text` (default) or `json`.
    pub log_format: LogFormat,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field(
                "database_backend",
                &crate::db::Backend::of_url(&self.database_url),
            )
            .field("bind", &self.bind)
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "***"))
            .field("admin_email", &self.admin_email.as_ref().map(|_| "***"))
            .field("pool_size", &self.pool_size)
            .field("http_workers", &self.http_workers)
            .field("log_format", &self.log_format)
            .finish_non_exhaustive()
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parsed<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    match var(name) {
        None => Ok(default),
        Some(raw) => raw
            .trim()
            .parse()
            .with_context(|| format!("{name} is not valid")),
    }
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Self> {
        let log_format = match var("LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => bail!("LOG_FORMAT must be text or json, not {other:?}"),
        };
        let settings = Settings {
            database_url: var("DATABASE_URL").unwrap_or_else(|| "barraiser.db".into()),
            bind: var("BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            jwt_secret: var("JWT_SECRET"),
            admin_email: var("BARRAISER_ADMIN_EMAIL"),
            admin_password: var("BARRAISER_ADMIN_PASSWORD"),
            pool_size: parsed("DATABASE_POOL_SIZE", 8)?,
            http_workers: parsed(
                "HTTP_WORKERS",
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )?,
            password_hash_concurrency: parsed("PASSWORD_HASH_CONCURRENCY", 4)?,
            log_format,
        };
        settings.check()?;
        Ok(settings)
    }

    /// Fails fast on values that would only break later.
    pub fn check(&self) -> anyhow::Result<()> {
        if let Some(secret) = &self.jwt_secret
            && secret.len() < 32
        {
            bail!("JWT_SECRET must be at least 32 characters");
        }
        if self.admin_email.is_some() != self.admin_password.is_some() {
            bail!("set both BARRAISER_ADMIN_EMAIL and BARRAISER_ADMIN_PASSWORD, or neither");
        }
        Ok(())
    }
}
