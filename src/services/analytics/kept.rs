//! The insights pages' figures for their preset periods (the last 30, 90 and
//! 365 days), computed ahead by the worker and kept in the database, so that
//! a page people open daily reads one row instead of scanning a year of
//! feedback. The figures are the same functions' as the API's (`process_in`,
//! `calibration_in`), serialised as the API answers them; every instance
//! reads what any worker kept. A kept figure older than its freshness bound
//! is not used: the page computes a fresh one instead. Periods other than the
//! presets are always computed fresh.

use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::watch;

use super::{Calibration, Privacy, Process, calibration_in, may_calibrate, process_in};
use crate::auth::require_recruiting;
use crate::db::snapshots::{self, Snapshot};
use crate::db::users::User;
use crate::db::{Db, DbConn};
use crate::error::ServiceError;

/// The presets, in days.
pub const PRESETS: [i64; 3] = [30, 90, 365];

/// How long after a start the worker first keeps the figures.
pub const START_DELAY: Duration = Duration::from_secs(2);

/// The default of `INSIGHTS_REFRESH_SECS`.
pub const DEFAULT_REFRESH: Duration = Duration::from_secs(300);

/// Figures and when they were computed.
#[derive(Debug, Clone)]
pub struct Kept<T> {
    pub figures: T,
    pub computed_at: NaiveDateTime,
}

fn name(kind: &str, days: i64) -> String {
    format!("{kind}:{days}")
}

fn keep<T: Serialize>(
    c: &mut DbConn,
    name: String,
    figures: &T,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let body = serde_json::to_string(figures).map_err(|e| ServiceError::Internal(e.into()))?;
    snapshots::keep(
        c,
        &Snapshot {
            name,
            period_from: from.naive_utc(),
            period_to: to.naive_utc(),
            computed_at: to.naive_utc(),
            body,
        },
    )?;
    Ok(())
}

/// Computes and keeps the figures of every preset period ending at `now`:
/// each read on one connection, each written in a short transaction of its
/// own (the reads take the time; the writers are not held up by them).
pub async fn refresh(db: &Db, privacy: Privacy, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    use chrono::SubsecRound;
    // To the microsecond, as the API answers times.
    let now = now.trunc_subsecs(6);
    let mut kept = 0;
    for days in PRESETS {
        let from = now - TimeDelta::days(days);
        let process = db
            .run_analysis(move |c| process_in(c, privacy, from, now))
            .await?;
        let calibration = db
            .run_analysis(move |c| calibration_in(c, privacy, from, now))
            .await?;
        db.write(move |c| {
            keep(c, name("process", days), &process, from, now)?;
            keep(c, name("calibration", days), &calibration, from, now)
        })
        .await?;
        kept += 2;
    }
    Ok(kept)
}

async fn read<T: DeserializeOwned + Send + 'static>(
    db: &Db,
    name: String,
    fresh_after: NaiveDateTime,
) -> Result<Option<Kept<T>>, ServiceError> {
    db.run(move |c| {
        let Some(s) = snapshots::find(c, &name)? else {
            return Ok(None);
        };
        if s.computed_at < fresh_after {
            return Ok(None);
        }
        // A body that no longer reads (an older release wrote it) is simply
        // not used: the next refresh replaces it.
        Ok(serde_json::from_str(&s.body).ok().map(|figures| Kept {
            figures,
            computed_at: s.computed_at,
        }))
    })
    .await
}

/// The kept process metrics of the last `days` (a preset), if fresh enough:
/// computed after `fresh_after` (recruiters and admins).
pub async fn process(
    db: &Db,
    actor: &User,
    days: i64,
    fresh_after: DateTime<Utc>,
) -> Result<Option<Kept<Process>>, ServiceError> {
    require_recruiting(actor)?;
    if !PRESETS.contains(&days) {
        return Ok(None);
    }
    read(db, name("process", days), fresh_after.naive_utc()).await
}

/// The kept calibration of the last `days` (a preset), if fresh enough
/// (admins and certified bar raisers).
pub async fn calibration(
    db: &Db,
    actor: &User,
    days: i64,
    fresh_after: DateTime<Utc>,
) -> Result<Option<Kept<Calibration>>, ServiceError> {
    may_calibrate(actor)?;
    if !PRESETS.contains(&days) {
        return Ok(None);
    }
    read(db, name("calibration", days), fresh_after.naive_utc()).await
}

/// Refreshes the kept figures every `interval` until `shutdown` turns true
/// (where the mail worker runs).
pub async fn run(
    db: Db,
    privacy: Privacy,
    interval: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    // Not in the first moments of a start, when the service warms up and
    // serves its first requests; the figures kept before still serve.
    tokio::select! {
        _ = tokio::time::sleep(START_DELAY) => {}
        _ = shutdown.changed() => {}
    }
    while !*shutdown.borrow() {
        let started = std::time::Instant::now();
        match refresh(&db, privacy, Utc::now()).await {
            Ok(n) => tracing::debug!(
                kept = n,
                took_ms = started.elapsed().as_millis() as u64,
                "insights kept"
            ),
            Err(e) => tracing::error!(error = ?e, "keeping the insights failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = shutdown.changed() => {}
        }
    }
}
