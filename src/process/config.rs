//! Configuration from environment variables, each with a default that works on
//! a laptop. Loaded once in `main` and passed down; never a global.

use std::fmt;
use std::time::Duration;

use anyhow::{Context, bail};

use crate::mail::{MailSettings, MailTransport};

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
    /// `PASSWORD_HASH_CONCURRENCY`: argon2 threads (default half the cores, 19 MiB each).
    pub password_hash_concurrency: usize,
    /// `LOG_FORMAT`: `text` (default) or `json`.
    pub log_format: LogFormat,
    /// `ANALYTICS_MIN_LOOPS` (default 5, at least 1): the loops that must stand
    /// behind one person's figures in the analytics before they are shown.
    pub analytics: crate::services::analytics::Privacy,
    /// `LIVE_STREAMS_PER_PERSON` (default 8): the debrief room's live streams
    /// one person may hold open at once.
    pub streams_per_person: usize,
    /// `INSIGHTS_REFRESH_SECS` (default 300; 0 turns it off): how often the
    /// worker computes the insights pages' preset periods ahead.
    pub insights_refresh: Option<std::time::Duration>,
    pub mail: MailSettings,
    /// `WEBHOOK_ALLOW_PRIVATE_NETWORKS` (default false): whether webhooks may
    /// go to loopback and private networks, over `http` too.
    pub webhooks: crate::webhooks::Reach,
    /// `OIDC_ISSUER`, `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET`: single sign-on
    /// (all three, or none).
    pub sso: Option<crate::auth::sso::SsoSettings>,
    /// `PASSWORD_SIGN_IN` (default true): false turns password sign-in off
    /// for people (API keys still work); it needs single sign-on.
    pub password_sign_in: bool,
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
            .field("mail", &self.mail)
            .finish_non_exhaustive()
    }
}

/// Where the service is reached when `PUBLIC_URL` is not set: the address it
/// listens on (`localhost` for an address that means every interface).
pub fn default_public_url(bind: &str) -> String {
    let (host, port) = bind.rsplit_once(':').unwrap_or((bind, "80"));
    let host = match host {
        "0.0.0.0" | "[::]" | "::" | "" => "localhost",
        h => h,
    };
    format!("http://{host}:{port}")
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

impl MailSettings {
    /// `bind` gives the default public URL.
    pub fn from_env(bind: &str) -> anyhow::Result<Self> {
        let smtp = var("SMTP_URL");
        let dir = std::path::PathBuf::from(var("MAIL_DIR").unwrap_or_else(|| "mail".into()));
        let transport = match (var("MAIL_TRANSPORT").as_deref(), smtp) {
            (None | Some("smtp"), Some(url)) => MailTransport::Smtp(url),
            (Some("smtp"), None) => bail!("MAIL_TRANSPORT=smtp needs SMTP_URL"),
            (None | Some("file"), _) => MailTransport::Dir(dir),
            (Some("log"), _) => MailTransport::Log,
            (Some(other), _) => bail!("MAIL_TRANSPORT must be smtp, file or log, not {other:?}"),
        };
        let worker = match var("MAIL_WORKER").as_deref() {
            None | Some("on") | Some("true") => true,
            Some("off") | Some("false") => false,
            Some(other) => bail!("MAIL_WORKER must be on or off, not {other:?}"),
        };
        Ok(Self {
            transport,
            smtp_ca_file: var("SMTP_CA_FILE").map(std::path::PathBuf::from),
            from: var("MAIL_FROM").unwrap_or_else(|| "barraiser <barraiser@localhost>".into()),
            public_url: var("PUBLIC_URL")
                .unwrap_or_else(|| default_public_url(bind))
                .trim_end_matches('/')
                .to_owned(),
            worker,
            poll_interval: Duration::from_millis(parsed("MAIL_POLL_INTERVAL_MS", 2000)?),
            retry_base: Duration::from_secs(parsed("MAIL_RETRY_BASE_SECS", 60)?),
            retry_max: Duration::from_secs(parsed("MAIL_RETRY_MAX_SECS", 3600)?),
        })
    }
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Self> {
        let bind = var("BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        let log_format = match var("LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => bail!("LOG_FORMAT must be text or json, not {other:?}"),
        };
        let settings = Settings {
            database_url: var("DATABASE_URL").unwrap_or_else(|| "barraiser.db".into()),
            mail: MailSettings::from_env(&bind)?,
            bind,
            jwt_secret: var("JWT_SECRET"),
            admin_email: var("BARRAISER_ADMIN_EMAIL"),
            admin_password: var("BARRAISER_ADMIN_PASSWORD"),
            pool_size: parsed("DATABASE_POOL_SIZE", 8)?,
            http_workers: parsed(
                "HTTP_WORKERS",
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )?,
            // Half the cores: a sign-in storm must leave the others to the reads.
            password_hash_concurrency: parsed(
                "PASSWORD_HASH_CONCURRENCY",
                std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1)),
            )?,
            log_format,
            streams_per_person: parsed(
                "LIVE_STREAMS_PER_PERSON",
                crate::services::debrief::live::STREAMS_PER_PERSON,
            )?,
            insights_refresh: match parsed(
                "INSIGHTS_REFRESH_SECS",
                crate::services::analytics::kept::DEFAULT_REFRESH.as_secs(),
            )? {
                0 => None,
                secs => Some(std::time::Duration::from_secs(secs)),
            },
            analytics: crate::services::analytics::Privacy {
                min_loops_per_person: parsed(
                    "ANALYTICS_MIN_LOOPS",
                    crate::services::analytics::DEFAULT_MIN_LOOPS_PER_PERSON,
                )?,
            },
            webhooks: crate::webhooks::Reach {
                allow_private_networks: parsed("WEBHOOK_ALLOW_PRIVATE_NETWORKS", false)?,
            },
            sso: match (
                var("OIDC_ISSUER"),
                var("OIDC_CLIENT_ID"),
                var("OIDC_CLIENT_SECRET"),
            ) {
                (None, None, None) => None,
                (Some(issuer), Some(client_id), Some(client_secret)) => {
                    Some(crate::auth::sso::SsoSettings {
                        issuer: issuer.trim().to_owned(),
                        client_id: client_id.trim().to_owned(),
                        client_secret,
                    })
                }
                _ => bail!(
                    "single sign-on needs all of OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"
                ),
            },
            password_sign_in: parsed("PASSWORD_SIGN_IN", true)?,
        };
        settings.check()?;
        Ok(settings)
    }

    /// Fails fast, before anything is created, on every value that would only
    /// break later, naming the variable and the form it takes.
    pub fn check(&self) -> anyhow::Result<()> {
        use std::net::ToSocketAddrs;
        if self.analytics.min_loops_per_person == 0 {
            bail!("ANALYTICS_MIN_LOOPS must be at least 1");
        }
        if !self.password_sign_in && self.sso.is_none() {
            bail!(
                "PASSWORD_SIGN_IN=false needs single sign-on (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET): nobody could sign in"
            );
        }
        if let Some(secret) = &self.jwt_secret
            && secret.len() < 32
        {
            bail!("JWT_SECRET must be at least 32 characters");
        }
        match (&self.admin_email, &self.admin_password) {
            (Some(email), Some(password)) => {
                crate::domain::Email::parse("BARRAISER_ADMIN_EMAIL", email)
                    .map_err(|e| anyhow::anyhow!("BARRAISER_ADMIN_EMAIL is not valid: {e}"))?;
                crate::domain::NewPassword::parse("BARRAISER_ADMIN_PASSWORD", password.clone())
                    .map_err(|e| anyhow::anyhow!("BARRAISER_ADMIN_PASSWORD is not valid: {e}"))?;
            }
            (None, None) => {}
            _ => bail!("set both BARRAISER_ADMIN_EMAIL and BARRAISER_ADMIN_PASSWORD, or neither"),
        }
        if self
            .bind
            .to_socket_addrs()
            .map_or(true, |mut a| a.next().is_none())
        {
            bail!(
                "BIND must be host:port, such as 127.0.0.1:8080 or 0.0.0.0:80, not {:?}",
                self.bind
            );
        }
        if let Some((scheme, _)) = self.database_url.split_once("://")
            && !matches!(scheme, "postgres" | "postgresql" | "sqlite" | "file")
        {
            bail!(
                "DATABASE_URL must be postgres://user:password@host:5432/database or an SQLite path, not a {scheme}:// URL"
            );
        }
        for (name, value) in [
            ("DATABASE_POOL_SIZE", self.pool_size as usize),
            ("HTTP_WORKERS", self.http_workers),
            ("PASSWORD_HASH_CONCURRENCY", self.password_hash_concurrency),
            ("LIVE_STREAMS_PER_PERSON", self.streams_per_person),
        ] {
            if value == 0 {
                bail!("{name} must be at least 1");
            }
        }
        self.mail.check()
    }
}

#[cfg(test)]
mod tests {
    use super::default_public_url;

    #[test]
    fn links_point_where_the_service_listens_unless_public_url_says_otherwise() {
        assert_eq!(
            default_public_url("127.0.0.1:9090"),
            "http://127.0.0.1:9090"
        );
        assert_eq!(default_public_url("0.0.0.0:8080"), "http://localhost:8080");
        assert_eq!(default_public_url("[::]:8080"), "http://localhost:8080");
    }
}
