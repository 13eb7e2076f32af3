//! Reminders about overdue feedback: to the interviewer at most every 24 h
//! while the loop is scheduled and the feedback not submitted; from the second
//! reminder on, the interviewer's manager and the loop's recruiter are copied.
//! Each reminder is claimed with a conditional update, so several instances
//! on one database send it once. "Now" is a parameter: tests drive the clock.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use tokio::sync::watch;

use crate::db::feedback as rows;
use crate::db::users::User;
use crate::db::{Db, requisitions, users};
use crate::domain::feedback::FeedbackStatus;
use crate::domain::{InterviewId, LoopId, LoopStatus};
use crate::error::ServiceError;
use crate::links::Links;
use crate::mail::{self, Outgoing, templates};
use crate::metrics::Metrics;
use crate::services::hiring::access::load_for_change;

/// The least time between two reminders about the same interview.
pub const EVERY: TimeDelta = TimeDelta::hours(24);

/// The least time between two reminders a recruiter sends by hand about
/// one interview.
pub const BY_HAND_EVERY: TimeDelta = TimeDelta::hours(1);

/// Whether a reminder may be sent by hand about an interview now: its loop
/// still collects feedback, the interview has taken place, its feedback is
/// not submitted, and no reminder went out in the last hour. The loop page
/// offers the button by this same rule.
pub fn may_remind(
    status: LoopStatus,
    feedback: FeedbackStatus,
    ends_at: NaiveDateTime,
    last_reminded_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(), ServiceError> {
    if !matches!(status, LoopStatus::Scheduled | LoopStatus::InDebrief) {
        return Err(ServiceError::conflict(
            "not_collecting_feedback",
            "This loop no longer collects feedback.",
        ));
    }
    if feedback == FeedbackStatus::Submitted {
        return Err(ServiceError::conflict(
            "feedback_submitted",
            "This feedback is already submitted.",
        ));
    }
    if ends_at > now {
        return Err(ServiceError::conflict(
            "interview_not_over",
            "The interview has not taken place yet.",
        ));
    }
    if let Some(last) = last_reminded_at
        && last > now - BY_HAND_EVERY
    {
        let minutes = (last + BY_HAND_EVERY - now).num_minutes().max(1);
        return Err(ServiceError::conflict(
            "reminded_recently",
            format!(
                "A reminder about this interview went out less than an hour ago; the next may go in {minutes} min."
            ),
        ));
    }
    Ok(())
}

/// A reminder sent by hand (the loop's recruiter or an admin) to an
/// interviewer whose feedback is awaited: at most one an hour per interview,
/// mailed and recorded in the loop's audit log, in one transaction.
pub async fn remind(
    db: &Db,
    links: &Links,
    actor: &User,
    id: InterviewId,
    now: DateTime<Utc>,
) -> Result<String, ServiceError> {
    let (actor, links) = (actor.clone(), links.clone());
    let now = now.naive_utc();
    db.write(move |c| {
        let interview =
            crate::db::interviews::find_interview(c, id.get())?.ok_or(ServiceError::NotFound)?;
        let lp = load_for_change(c, LoopId(interview.loop_id), &actor)?;
        let feedback = FeedbackStatus::of(
            rows::statuses(c, &[interview.id])?
                .into_iter()
                .next()
                .map(|(_, s)| s)
                .as_deref(),
        );
        let last = crate::db::interviews::last_reminded_at(c, interview.id)?;
        may_remind(lp.status, feedback, interview.ends_at, last, now)?;
        crate::db::interviews::set_last_reminded_at(c, interview.id, now)?;
        let interviewer = users::find(c, interview.interviewer_id)?.ok_or(ServiceError::NotFound)?;
        let requisition = requisitions::find(c, lp.requisition_id)?.ok_or(ServiceError::NotFound)?;
        let candidate = crate::db::candidates::find(c, lp.candidate_id)?
            .map(|x| x.name)
            .unwrap_or_default();
        mail::enqueue(
            c,
            &Outgoing {
                kind: "feedback_requested",
                to: vec![interviewer.email.clone()],
                cc: Vec::new(),
                content: templates::feedback_requested(
                    &templates::LoopAbout {
                        recipient_name: &interviewer.name,
                        candidate_name: &candidate,
                        role_title: &requisition.title,
                    },
                    interview.feedback_due_at.and_utc(),
                    interviewer.zone(),
                    &actor.name,
                    &links.interview(id),
                ),
                invite: None,
            },
        )?;
        crate::services::hiring::audit::record(
            c,
            lp.id,
            Some(actor.id),
            "reminder_sent",
            &serde_json::json!({ "interview_id": interview.id, "interviewer_id": interview.interviewer_id }),
        )?;
        Ok(interviewer.name)
    })
    .await
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: i64) -> NaiveDateTime {
        chrono::DateTime::parse_from_rfc3339("2026-12-01T12:00:00Z")
            .unwrap()
            .naive_utc()
            + TimeDelta::hours(h)
    }

    fn code(r: Result<(), ServiceError>) -> &'static str {
        match r {
            Ok(()) => "ok",
            Err(ServiceError::Conflict { code, .. }) => code,
            Err(_) => "other",
        }
    }

    #[test]
    fn a_reminder_by_hand_needs_a_past_interview_awaited_feedback_and_an_hour_between() {
        use FeedbackStatus::{Draft, Pending, Submitted};
        let (ended, now) = (at(-2), at(0));
        assert_eq!(
            code(may_remind(LoopStatus::Scheduled, Pending, ended, None, now)),
            "ok"
        );
        assert_eq!(
            code(may_remind(LoopStatus::InDebrief, Draft, ended, None, now)),
            "ok"
        );
        assert_eq!(
            code(may_remind(LoopStatus::Decided, Pending, ended, None, now)),
            "not_collecting_feedback"
        );
        assert_eq!(
            code(may_remind(
                LoopStatus::Scheduled,
                Submitted,
                ended,
                None,
                now
            )),
            "feedback_submitted"
        );
        assert_eq!(
            code(may_remind(LoopStatus::Scheduled, Pending, at(1), None, now)),
            "interview_not_over"
        );
        let recently = Some(now - TimeDelta::minutes(59));
        assert_eq!(
            code(may_remind(
                LoopStatus::Scheduled,
                Pending,
                ended,
                recently,
                now
            )),
            "reminded_recently"
        );
        let an_hour_ago = Some(now - TimeDelta::hours(1));
        assert_eq!(
            code(may_remind(
                LoopStatus::Scheduled,
                Pending,
                ended,
                an_hour_ago,
                now
            )),
            "ok"
        );
    }
}
