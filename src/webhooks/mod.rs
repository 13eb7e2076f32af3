//! Sending webhooks: one signed POST per attempt, to checked addresses only,
//! with a 10 s timeout and no redirects. What is sent, to whom and when is
//! decided in `services::webhooks`; the worker (`mail::worker`) claims the
//! due deliveries and calls [`Deliverer::deliver`] for each.

pub mod address;
pub mod signature;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use tokio::sync::watch;

use crate::db::webhooks::{self as hooks, NewAttempt, Outcome};
use crate::db::{Db, now};
use crate::error::ServiceError;
pub use address::Reach;

/// How long a receiver has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The resolver of the webhook client: it hands the connection only
/// addresses that pass the checks, at every delivery.
struct CheckedResolver(Reach);

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let reach = self.0;
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = address::resolve(name.as_str(), 0, reach)
                .await
                .map_err(|e| -> Box<dyn std::error::Error + Send + Sync> { Box::new(e) })?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// What one attempt came to.
#[derive(Debug, Clone)]
pub struct Attempted {
    /// The receiver's status code, if it answered.
    pub response_code: Option<u16>,
    /// Why it failed, if it did (a non-2xx answer, a timeout, a refused address).
    pub error: Option<String>,
    pub duration: Duration,
}

impl Attempted {
    pub fn succeeded(&self) -> bool {
        self.error.is_none()
    }
}

/// Sends webhooks.
#[derive(Clone)]
pub struct Deliverer {
    client: reqwest::Client,
    reach: Reach,
}

impl Deliverer {
    pub fn new(reach: Reach) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            // A redirect could lead anywhere: the answer counts as it is.
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(CheckedResolver(reach)))
            .user_agent(concat!("barraiser-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { client, reach })
    }

    /// One attempt: `body` POSTed to `url`, signed with `secret` as message `id` now.
    pub async fn deliver(&self, url: &str, secret: &str, id: &str, body: &str) -> Attempted {
        let started = Instant::now();
        let result = self.send(url, secret, id, body).await;
        let duration = started.elapsed();
        match result {
            Ok(code) if (200..300).contains(&code) => Attempted {
                response_code: Some(code),
                error: None,
                duration,
            },
            Ok(code) => Attempted {
                response_code: Some(code),
                error: Some(format!("the receiver answered {code}")),
                duration,
            },
            Err(error) => Attempted {
                response_code: None,
                error: Some(error),
                duration,
            },
        }
    }

    async fn send(&self, url: &str, secret: &str, id: &str, body: &str) -> Result<u16, String> {
        // The form again (the setting may have changed since registration),
        // and an address written in the URL, which no resolver sees.
        // A name is resolved and checked by CheckedResolver.
        let parsed = address::check_url(url, self.reach).map_err(|e| format!("the URL {e}"))?;
        let timestamp = chrono::Utc::now().timestamp();
        let signature = signature::sign(secret, id, timestamp, body)
            .ok_or_else(|| "the endpoint's secret is not one this service made".to_owned())?;
        let response = self
            .client
            .post(parsed)
            .header("content-type", "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body.to_owned())
            .send()
            .await
            .map_err(describe)?;
        Ok(response.status().as_u16())
    }
}

/// A failed request in words, with the cause (a refused address says which).
fn describe(e: reqwest::Error) -> String {
    if e.is_timeout() {
        return format!("no answer within {} s", TIMEOUT.as_secs());
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The waits after the first, second, … sixth failed attempt (SPEC §10);
/// after the seventh, the delivery has failed.
pub const RETRY_AFTER: [Duration; 6] = [
    Duration::from_secs(5),
    Duration::from_secs(5 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(5 * 3600),
    Duration::from_secs(10 * 3600),
];

/// The wait before the next attempt after `attempts` failed ones, or `None`
/// when there is none left.
pub fn retry_after(attempts: i64) -> Option<Duration> {
    usize::try_from(attempts)
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| RETRY_AFTER.get(i).copied())
}

/// How long a claim lasts: a worker that dies mid-delivery releases its
/// deliveries to the others after this (a batch takes at most `BATCH` × 10 s).
const LEASE: chrono::TimeDelta = chrono::TimeDelta::minutes(5);
const BATCH: i64 = 20;

/// Claims one batch of due deliveries and attempts each, oldest first;
/// returns how many it handled. On `shutdown` it finishes the delivery in
/// hand and hands the rest back at once.
pub async fn run_once(
    db: &Db,
    deliverer: &Deliverer,
    shutdown: &watch::Receiver<bool>,
) -> Result<usize, ServiceError> {
    let (claimed, endpoints) = db
        .write(|c| {
            let at = now();
            let claimed = hooks::claim_due(c, at, at + LEASE, BATCH)?;
            let mut ids: Vec<i64> = claimed.iter().map(|d| d.webhook_id).collect();
            ids.sort_unstable();
            ids.dedup();
            let endpoints = if ids.is_empty() {
                Vec::new()
            } else {
                hooks::find_many(c, &ids)?
            };
            Ok((claimed, endpoints))
        })
        .await?;
    let count = claimed.len();
    let mut queue = claimed.into_iter();
    while let Some(delivery) = queue.next() {
        let Some(endpoint) = endpoints.iter().find(|e| e.id == delivery.webhook_id) else {
            continue; // removed since: its deliveries went with it
        };
        let attempted_at = now();
        let attempted = deliverer
            .deliver(
                &endpoint.url,
                &endpoint.secret,
                &delivery.message_id,
                &delivery.payload,
            )
            .await;
        record(db, &delivery, attempted_at, attempted).await?;
        if *shutdown.borrow() {
            let rest: Vec<i64> = queue.map(|d| d.id).collect();
            if !rest.is_empty() {
                db.write(move |c| Ok(hooks::release(c, &rest, now())?))
                    .await?;
            }
            break;
        }
    }
    Ok(count)
}

async fn record(
    db: &Db,
    delivery: &hooks::Claimed,
    attempted_at: chrono::NaiveDateTime,
    attempted: Attempted,
) -> Result<(), ServiceError> {
    let outcome = if attempted.succeeded() {
        tracing::info!(delivery.id = delivery.id, code = ?attempted.response_code, "webhook delivered");
        Outcome::Delivered
    } else {
        tracing::warn!(delivery.id = delivery.id, error = ?attempted.error, "webhook delivery failed");
        match retry_after(delivery.attempts) {
            Some(wait) => Outcome::RetryAt(
                now() + chrono::TimeDelta::from_std(wait).unwrap_or(chrono::TimeDelta::hours(1)),
            ),
            None => Outcome::Failed,
        }
    };
    let id = delivery.id;
    db.write(move |c| {
        hooks::record_attempt(
            c,
            &NewAttempt {
                delivery_id: id,
                attempted_at,
                response_code: attempted.response_code.map(i32::from),
                duration_ms: i64::try_from(attempted.duration.as_millis()).unwrap_or(i64::MAX),
                error: attempted.error.as_deref(),
            },
            outcome,
        )?;
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_follow_the_schedule_then_stop() {
        let waits: Vec<Option<u64>> = (0..=8)
            .map(|n| retry_after(n).map(|d| d.as_secs()))
            .collect();
        assert_eq!(
            waits,
            [
                None,
                Some(5),
                Some(300),
                Some(1800),
                Some(7200),
                Some(18000),
                Some(36000),
                None,
                None
            ]
        );
    }
}
