//! Logging: `tracing` with an `EnvFilter` from `RUST_LOG` (default `info`),
//! human-readable or JSON lines (`LOG_FORMAT=json`). Nothing here ever records
//! a secret, a token, a password or candidate data: request logs carry the
//! method, the path without its query string, the status and the duration.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use tracing::Instrument;
use tracing_subscriber::EnvFilter;

use crate::process::config::LogFormat;

pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// One line per request, inside a span that handler logs inherit; the
/// request also counts in the metrics, by route pattern.
pub async fn log_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.path().to_owned();
    let span = tracing::info_span!("http", %method, %path);
    let result = next.call(req).instrument(span.clone()).await;
    let _entered = span.enter();
    let duration_ms = started.elapsed().as_millis() as u64;
    match &result {
        Ok(res) => {
            let status = res.status().as_u16();
            if let Some(metrics) = res
                .request()
                .app_data::<actix_web::web::Data<std::sync::Arc<crate::metrics::Metrics>>>()
            {
                let route = res
                    .request()
                    .match_pattern()
                    .unwrap_or_else(|| "unmatched".into());
                metrics.observe(
                    method.as_str(),
                    &route,
                    status,
                    started.elapsed().as_secs_f64(),
                );
            }
            if status >= 500 {
                tracing::error!(status, duration_ms, "request served");
            } else {
                tracing::info!(status, duration_ms, "request served");
            }
        }
        Err(err) => tracing::warn!(error = %err, duration_ms, "request failed"),
    }
    result
}
