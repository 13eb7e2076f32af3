//! The delivery worker: claims due messages from the outbox, sends them, and
//! records the outcome. Runs inside `serve` and alone as `barraiser worker`;
//! any number of workers may share one PostgreSQL database.

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use tokio::sync::watch;

use super::{Mailer, SendError};
use crate::db::outbox::{self, ClaimedMessage};
use crate::db::{Db, now};
use crate::error::ServiceError;
use crate::webhooks::Deliverer;

/// How long a claim lasts: a worker that dies mid-delivery releases its
/// messages to the others after this (delivery is at least once).
const LEASE: TimeDelta = TimeDelta::minutes(5);
const BATCH: i64 = 20;

/// Exponential back-off for transient failures: `base`, `2 × base`, … capped at `max`.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub base: Duration,
    pub max: Duration,
}

impl RetryPolicy {
    /// The wait after the `attempts`-th failed attempt (1-based).
    pub fn delay(&self, attempts: i64) -> Duration {
        let exp = attempts.clamp(1, 32) as u32 - 1;
        self.base
            .saturating_mul(2u32.saturating_pow(exp))
            .min(self.max)
    }
}

#[derive(Clone)]
pub struct Worker {
    db: Db,
    mailer: Arc<Mailer>,
    policy: RetryPolicy,
    poll_interval: Duration,
    /// Webhooks wait in an outbox of their own and go out beside the mail.
    webhooks: Deliverer,
}

impl Worker {
    pub fn new(
        db: Db,
        mailer: Mailer,
        policy: RetryPolicy,
        poll_interval: Duration,
        webhooks: Deliverer,
    ) -> Self {
        Self {
            db,
            mailer: Arc::new(mailer),
            policy,
            poll_interval,
            webhooks,
        }
    }

    /// Claims one batch of due messages and delivers it one by one; returns
    /// how many it handled. When `shutdown` turns true it finishes the message
    /// in hand and hands the rest of the batch back to the queue at once, so
    /// another instance sends them instead of waiting out the lease.
    pub async fn run_once(&self, shutdown: &watch::Receiver<bool>) -> Result<usize, ServiceError> {
        let claimed = self
            .db
            .write(|c| {
                let at = now();
                Ok(outbox::claim_due(c, at, at + LEASE, BATCH)?)
            })
            .await?;
        let count = claimed.len();
        let mut queue = claimed.into_iter();
        while let Some(message) = queue.next() {
            let outcome = self.mailer.send(&message).await;
            self.record(message, outcome).await?;
            if *shutdown.borrow() {
                let rest: Vec<i64> = queue.map(|m| m.id).collect();
                if !rest.is_empty() {
                    let n = rest.len();
                    self.db
                        .write(move |c| Ok(outbox::release(c, &rest, now())?))
                        .await?;
                    tracing::info!(released = n, "shutting down: unsent messages handed back");
                }
                return Ok(count);
            }
        }
        Ok(count)
    }

    async fn record(
        &self,
        message: ClaimedMessage,
        outcome: Result<(), SendError>,
    ) -> Result<(), ServiceError> {
        let policy = self.policy;
        let id = message.id;
        match &outcome {
            Ok(()) => tracing::info!(outbox.id = id, kind = %message.kind, "mail sent"),
            Err(e) => {
                tracing::warn!(outbox.id = id, kind = %message.kind, error = ?e, "mail delivery failed")
            }
        }
        self.db
            .write(move |c| {
                match outcome {
                    Ok(()) => outbox::mark_sent(c, id)?,
                    Err(SendError::Permanent(error)) => outbox::mark_failed(c, id, &error)?,
                    Err(SendError::Transient(error)) => {
                        let wait = TimeDelta::from_std(policy.delay(message.attempts))
                            .unwrap_or(TimeDelta::hours(1));
                        let next = now() + wait;
                        if next > message.give_up_at {
                            let error =
                                format!("gave up after {} attempts: {error}", message.attempts);
                            outbox::mark_failed(c, id, &error)?;
                        } else {
                            outbox::schedule_retry(c, id, &error, next)?;
                        }
                    }
                }
                Ok(())
            })
            .await
    }

    /// Delivers mail and webhooks until `shutdown` turns true; a message or
    /// a webhook being sent is finished first.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::info!("mail worker started");
        while !*shutdown.borrow() {
            let (mail, hooks) = tokio::join!(
                self.run_once(&shutdown),
                crate::webhooks::run_once(&self.db, &self.webhooks, &shutdown)
            );
            let mut busy = false;
            for (what, cycle) in [("mail", mail), ("webhook", hooks)] {
                match cycle {
                    Ok(n) => busy |= n > 0,
                    Err(e) => tracing::error!(error = ?e, what, "delivery cycle failed"),
                }
            }
            if busy {
                continue;
            }
            tokio::select! {
                _ = tokio::time::sleep(self.poll_interval) => {}
                _ = shutdown.changed() => {}
            }
        }
        tracing::info!("mail worker stopped");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_from_the_base_and_is_capped() {
        let policy = RetryPolicy {
            base: Duration::from_secs(60),
            max: Duration::from_secs(3600),
        };
        let secs: Vec<u64> = (1..=8).map(|n| policy.delay(n).as_secs()).collect();
        assert_eq!(secs, [60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(policy.delay(1000).as_secs(), 3600);
    }
}
