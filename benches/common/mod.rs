//! What the benchmarks share: the settings of a service that sends no mail.

use std::time::Duration;

use barraiser::mail::{MailSettings, MailTransport};
use barraiser::process::config::{LogFormat, Settings};

/// Settings for a benchmark's database at `url`: a small pool, the log mail
/// transport, no worker.
pub fn settings(url: &str) -> Settings {
    Settings {
        database_url: url.to_owned(),
        bind: "127.0.0.1:0".into(),
        jwt_secret: Some("bench-secret-bench-secret-bench-secret".into()),
        admin_email: Some("admin@bench.test".into()),
        admin_password: Some("bench-password-123".into()),
        pool_size: 2,
        http_workers: 1,
        password_hash_concurrency: 1,
        log_format: LogFormat::Text,
        analytics: Default::default(),
        streams_per_person: barraiser::services::debrief::live::STREAMS_PER_PERSON,
        // Tests and benchmarks keep the insights themselves, when they mean to.
        insights_refresh: None,
        sso: None,
        password_sign_in: true,
        webhooks: Default::default(),
        mail: MailSettings {
            transport: MailTransport::Log,
            smtp_ca_file: None,
            from: "bench <bench@bench.test>".into(),
            public_url: "http://bench.test".into(),
            worker: false,
            poll_interval: Duration::from_secs(1),
            retry_base: Duration::from_secs(60),
            retry_max: Duration::from_secs(3600),
        },
    }
}
