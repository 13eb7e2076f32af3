//! Where mail goes and how it is delivered, as configured (read from the
//! environment by `process::config`), and the check that names every value
//! that cannot work.

use std::fmt;
use std::time::Duration;

use anyhow::{Context, bail};

/// Where mail goes.
#[derive(Clone, PartialEq, Eq)]
pub enum MailTransport {
    /// `SMTP_URL`, e.g. `smtp://host:25`, `smtp://host:587?tls=required`, `smtps://user:pass@host:465`.
    Smtp(String),
    /// `MAIL_DIR`: one `.eml` file per message (the default, `./mail`).
    Dir(std::path::PathBuf),
    /// The log (development).
    Log,
}

impl fmt::Debug for MailTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Smtp(_) => f.write_str("Smtp(***)"), // the URL may hold credentials
            Self::Dir(dir) => write!(f, "Dir({})", dir.display()),
            Self::Log => f.write_str("Log"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct MailSettings {
    pub transport: MailTransport,
    /// `SMTP_CA_FILE`: a PEM certificate to trust for the SMTP server's TLS, beside
    /// the public roots (for relays with a private CA).
    pub smtp_ca_file: Option<std::path::PathBuf>,
    /// `MAIL_FROM` (default `barraiser <barraiser@localhost>`).
    pub from: String,
    /// `PUBLIC_URL`: the address people open, used in links (default `http://127.0.0.1:8080`).
    pub public_url: String,
    /// `MAIL_WORKER`: `on` (default) runs the delivery worker inside `serve`.
    pub worker: bool,
    /// `MAIL_POLL_INTERVAL_MS` (default 2000).
    pub poll_interval: Duration,
    /// `MAIL_RETRY_BASE_SECS` (default 60): the first retry's wait; it doubles each time…
    pub retry_base: Duration,
    /// `MAIL_RETRY_MAX_SECS` (default 3600): …up to this.
    pub retry_max: Duration,
}

impl MailSettings {
    /// The mail settings that cannot work, named.
    pub fn check(&self) -> anyhow::Result<()> {
        self.from.parse::<lettre::message::Mailbox>().map_err(|_| {
            anyhow::anyhow!(
                "MAIL_FROM must be an address such as \"barraiser <hire@example.com>\", not {:?}",
                self.from
            )
        })?;
        match url::Url::parse(&self.public_url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
            _ => bail!(
                "PUBLIC_URL must be an absolute http(s) URL such as https://hire.example.com, not {:?}",
                self.public_url
            ),
        }
        match &self.transport {
            MailTransport::Smtp(raw) => match url::Url::parse(raw) {
                Ok(u) if matches!(u.scheme(), "smtp" | "smtps") && u.host().is_some() => {}
                _ => bail!(
                    "SMTP_URL must be smtp://host:port or smtps://user:password@host:465 (the value is not shown: it may hold a password)"
                ),
            },
            MailTransport::Dir(dir) => {
                std::fs::create_dir_all(dir).with_context(|| {
                    format!(
                        "MAIL_DIR must be a folder barraiser can write to: {}",
                        dir.display()
                    )
                })?;
                let meta = std::fs::metadata(dir)?;
                if !meta.is_dir() || meta.permissions().readonly() {
                    bail!(
                        "MAIL_DIR must be a folder barraiser can write to: {}",
                        dir.display()
                    );
                }
            }
            MailTransport::Log => {}
        }
        if let Some(ca) = &self.smtp_ca_file
            && !ca.is_file()
        {
            bail!("SMTP_CA_FILE must be a readable PEM file: {}", ca.display());
        }
        if self.poll_interval.is_zero() {
            bail!("MAIL_POLL_INTERVAL_MS must be at least 1");
        }
        if self.retry_base.is_zero() || self.retry_max < self.retry_base {
            bail!(
                "MAIL_RETRY_BASE_SECS must be at least 1 and MAIL_RETRY_MAX_SECS at least as long"
            );
        }
        Ok(())
    }
}
