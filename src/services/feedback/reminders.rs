//! Reminders about overdue feedback: to the interviewer at most every 24 h
//! while the loop is scheduled and the feedback not submitted; from the second
//! reminder on, the interviewer's manager and the loop's recruiter are copied.
//! Each reminder is claimed with a conditional update, so several instances
//! on one database send it once. "Now" is a parameter: tests drive the clock.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::watch;

use crate::db::feedback as rows;
use crate::db::{Db, requisitions, users};
use crate::domain::InterviewId;
use crate::error::ServiceError;
use crate::links::Links;
use crate::mail::{self, Outgoing, templates};
use crate::metrics::Metrics;

/// The least time between two reminders about the same interview.
pub const EVERY: TimeDelta = TimeDelta::hours(24);

/// Queues every reminder due at `now`; returns how many.
pub async fn send_due(db: &Db, links: &Links, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    let links = links.clone();
    let now = now.naive_utc();
    db.write(move |c| {
        let mut sent = 0;
        for due in rows::overdue(c, now, now - EVERY)? {
            if !rows::claim_reminder(c, due.interview_id, due.reminders_sent, now)? {
                continue; // another instance sent this one
            }
            let interviewer = users::find(c, due.interviewer_id)?.ok_or(ServiceError::NotFound)?;
            let requisition =
                requisitions::find(c, due.requisition_id)?.ok_or(ServiceError::NotFound)?;
            let candidate = crate::db::loops::find(c, due.loop_id)?
                .and_then(|lp| crate::db::candidates::find(c, lp.candidate_id).transpose())
                .transpose()?
                .map(|x| x.name)
                .unwrap_or_default();
            let nth = due.reminders_sent + 1;
            let mut cc = Vec::new();
            if nth > 1 {
                let manager = match interviewer.manager_id {
                    Some(id) => users::find(c, id)?.filter(|m| m.active),
                    None => None,
                };
                let recruiter = users::find(c, due.recruiter_id)?.filter(|r| r.active);
                cc.extend(manager.map(|m| m.email));
                cc.extend(recruiter.map(|r| r.email));
                cc.retain(|e| *e != interviewer.email);
                cc.dedup();
            }
            let url = links.interview(InterviewId(due.interview_id));
            mail::enqueue(
                c,
                &Outgoing {
                    kind: "feedback_reminder",
                    to: vec![interviewer.email.clone()],
                    cc,
                    content: templates::feedback_reminder(
                        &templates::LoopAbout {
                            recipient_name: &interviewer.name,
                            candidate_name: &candidate,
                            role_title: &requisition.title,
                        },
                        due.feedback_due_at.and_utc(),
                        interviewer.zone(),
                        u32::try_from(nth).unwrap_or(u32::MAX),
                        &url,
                    ),
                    invite: None,
                },
            )?;
            tracing::info!(
                interview.id = due.interview_id,
                nth,
                "feedback reminder queued"
            );
            sent += 1;
        }
        Ok(sent)
    })
    .await
}

/// Looks for due reminders every `interval` until `shutdown` turns true.
pub async fn run(
    db: Db,
    links: Links,
    metrics: Arc<Metrics>,
    interval: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    while !*shutdown.borrow() {
        match send_due(&db, &links, Utc::now()).await {
            Ok(n) => metrics.reminders_sent(n),
            Err(e) => tracing::error!(error = ?e, "feedback reminders failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = shutdown.changed() => {}
        }
    }
}
