//! More signal (SPEC §11): the bar raiser closes the debrief, or the hiring
//! manager (once per loop) decides, asking for more evidence on named
//! competencies. The loop goes back to `scheduled`; the recruiter adds a
//! follow-up interview for them in the builder, where the independence rules
//! hold for its interviewer as for any other; and when the follow-up's
//! feedback is in, the debrief reopens with everything said before kept.
//!
//! A request's follow-ups are the interviews added after it (an id above the
//! panel's highest when it was made). The debrief reopens on the submission
//! that leaves every follow-up submitted and every named competency covered
//! by one, while the loop's report is green; the bar raiser may also open it
//! again by hand, as any debrief, with an override when feedback is missing.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use serde_json::json;

use super::access::load_visible;
use super::loop_mail::mail_people;
use super::{audit, independence};
use crate::auth::Caller;
use crate::db::debrief::{self as debrief_rows, DebriefRow};
use crate::db::loops::{self, InterviewLoop, LoopChanges, PanelEntry};
use crate::db::signal_requests::{self as rows, NewSignalRequest, SignalRequestRow};
use crate::db::users::User;
use crate::db::{Db, DbConn, competencies, now, requisitions};
use crate::domain::feedback::FeedbackStatus;
use crate::domain::{LoopId, LoopStatus};
use crate::error::ServiceError;
use crate::links::Links;
use crate::mail::templates;

/// Who asked for more signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requester {
    BarRaiser,
    HiringManager,
}

impl Requester {
    pub fn as_str(self) -> &'static str {
        match self {
            Requester::BarRaiser => "bar_raiser",
            Requester::HiringManager => "hiring_manager",
        }
    }
}

/// A request for more signal and where its follow-up stands. It carries no
/// debrief content (the rationale is in the packet), so anyone who sees the
/// loop may read it, the follow-up's interviewer included.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SignalRequest {
    pub id: i64,
    /// `bar_raiser` or `hiring_manager`.
    pub requested_as: String,
    pub requested_by_id: i64,
    /// The competencies that lacked evidence.
    pub competency_ids: Vec<i64>,
    pub requested_at: DateTime<Utc>,
    /// When the debrief reopened on it; `null` while the follow-up is awaited.
    pub reopened_at: Option<DateTime<Utc>>,
    /// The interviews added after the request: its follow-ups.
    pub follow_up_interview_ids: Vec<i64>,
    /// Named competencies that no follow-up interview covers yet.
    pub uncovered_competency_ids: Vec<i64>,
    /// Follow-up interviews whose feedback is not submitted yet.
    pub awaiting_feedback_interview_ids: Vec<i64>,
}

fn view(row: &SignalRequestRow, panel: &[PanelEntry]) -> SignalRequest {
    let follow_ups: Vec<&PanelEntry> = panel
        .iter()
        .filter(|e| e.interview.id > row.last_interview_id)
        .collect();
    let covered: BTreeSet<i64> = follow_ups
        .iter()
        .flat_map(|e| e.competency_ids.iter().copied())
        .collect();
    SignalRequest {
        id: row.id,
        requested_as: row.requested_as.clone(),
        requested_by_id: row.requested_by_id,
        competency_ids: row.competency_ids(),
        requested_at: row.requested_at.and_utc(),
        reopened_at: row.reopened_at.map(|t| t.and_utc()),
        follow_up_interview_ids: follow_ups.iter().map(|e| e.interview.id).collect(),
        uncovered_competency_ids: row
            .competency_ids()
            .into_iter()
            .filter(|c| !covered.contains(c))
            .collect(),
        awaiting_feedback_interview_ids: follow_ups
            .iter()
            .filter(|e| e.feedback() != FeedbackStatus::Submitted)
            .map(|e| e.interview.id)
            .collect(),
    }
}

impl SignalRequest {
    /// The follow-up is complete: it exists, covers every named competency,
    /// and all of its feedback is submitted.
    pub fn follow_up_done(&self) -> bool {
        !self.follow_up_interview_ids.is_empty()
            && self.uncovered_competency_ids.is_empty()
            && self.awaiting_feedback_interview_ids.is_empty()
    }
}

/// A request with what was said: its rationale and, for a hiring manager's,
/// the bar raiser's close it set aside. Debrief content: the packet's.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SignalRecord {
    #[serde(flatten)]
    pub request: SignalRequest,
    pub rationale: String,
    /// A hiring manager's request: the bar raiser's recommendation it set aside.
    pub previous_recommendation: Option<String>,
    pub previous_rationale: Option<String>,
    pub previous_closed_at: Option<DateTime<Utc>>,
}

/// The loop's requests with what was said, oldest first (for the packet),
/// from its requests as read with the debrief's record.
pub fn history_of(
    requests: Vec<rows::SignalRequestRow>,
    panel: &[PanelEntry],
) -> Vec<SignalRecord> {
    requests
        .into_iter()
        .map(|r| SignalRecord {
            request: view(&r, panel),
            previous_recommendation: r.previous_recommendation,
            previous_rationale: r.previous_rationale,
            previous_closed_at: r.previous_closed_at.map(|t| t.and_utc()),
            rationale: r.rationale,
        })
        .collect()
}

/// The loop's requests, oldest first, as views over `panel`.
pub fn requests_in(
    c: &mut DbConn,
    lp: &InterviewLoop,
    panel: &[PanelEntry],
) -> Result<Vec<SignalRequest>, ServiceError> {
    Ok(rows::of_loop(c, lp.id)?
        .iter()
        .map(|r| view(r, panel))
        .collect())
}

/// Whether the hiring manager has made their one request on the loop whose
/// requests these are (the room offers the form by the same rule).
pub fn manager_asked(requests: &[SignalRequest]) -> bool {
    requests
        .iter()
        .any(|r| r.requested_as == Requester::HiringManager.as_str())
}

/// The request whose follow-up is awaited, if any.
pub fn pending_in(
    c: &mut DbConn,
    lp: &InterviewLoop,
    panel: &[PanelEntry],
) -> Result<Option<SignalRequest>, ServiceError> {
    Ok(rows::pending(c, lp.id)?.map(|r| view(&r, panel)))
}

/// `GET /loops/{id}/signal-requests`: anyone who sees the loop.
pub async fn list(db: &Db, caller: Caller, id: LoopId) -> Result<Vec<SignalRequest>, ServiceError> {
    caller
        .run(db, move |c, actor| {
            let (lp, _) = load_visible(c, id, actor)?;
            let panel = loops::panel(c, lp.id)?;
            requests_in(c, &lp, &panel)
        })
        .await
}

/// The competencies of the loop: the requisition's and the panel's.
fn loop_competencies(
    c: &mut DbConn,
    lp: &InterviewLoop,
    panel: &[PanelEntry],
) -> Result<BTreeSet<i64>, ServiceError> {
    let mut known: BTreeSet<i64> = requisitions::competency_ids(c, lp.requisition_id)?
        .into_iter()
        .collect();
    known.extend(panel.iter().flat_map(|e| e.competency_ids.iter().copied()));
    Ok(known)
}

/// What a request needs besides the loop: who asks, for what, and why.
pub struct Ask<'a> {
    pub actor: &'a User,
    pub requester: Requester,
    pub competency_ids: &'a [i64],
    pub rationale: &'a str,
}

/// Records a request for more signal on a locked loop in debrief (the bar
/// raiser's close) or awaiting its decision (the hiring manager's, once per
/// loop, setting the bar raiser's close aside): the loop goes back to
/// `scheduled` and its recruiter is asked for a follow-up interview. The
/// caller has checked who the actor is to the loop.
pub fn request(
    c: &mut DbConn,
    lp: &InterviewLoop,
    ask: &Ask<'_>,
    debrief: Option<&DebriefRow>,
    links: &Links,
) -> Result<InterviewLoop, ServiceError> {
    let next = lp.status.ask_more_signal()?;
    let panel = loops::panel(c, lp.id)?;
    let known = loop_competencies(c, lp, &panel)?;
    if let Some(unknown) = ask.competency_ids.iter().find(|c| !known.contains(c)) {
        return Err(ServiceError::field(
            "competency_ids",
            format!("{unknown} is not a competency of this loop"),
        ));
    }
    if ask.requester == Requester::HiringManager && manager_asked(&requests_in(c, lp, &panel)?) {
        return Err(ServiceError::conflict(
            "more_signal_used",
            "The hiring manager may ask for more signal once per loop.",
        ));
    }
    // A hiring manager's request sets the bar raiser's close aside, kept here.
    let previous = debrief.filter(|d| d.closed_at.is_some());
    let at = now();
    let ids =
        serde_json::to_string(ask.competency_ids).map_err(|e| ServiceError::Internal(e.into()))?;
    let request_id = rows::insert(
        c,
        &NewSignalRequest {
            loop_id: lp.id,
            requested_by_id: ask.actor.id,
            requested_as: ask.requester.as_str(),
            competency_ids: &ids,
            rationale: ask.rationale,
            last_interview_id: panel.iter().map(|e| e.interview.id).max().unwrap_or(0),
            previous_recommendation: previous.and_then(|d| d.recommendation.as_deref()),
            previous_rationale: previous.and_then(|d| d.rationale.as_deref()),
            previous_closed_at: previous.and_then(|d| d.closed_at),
            requested_at: at,
        },
    )?;
    if previous.is_some() {
        debrief_rows::unclose(c, lp.id)?;
    }
    let lp = set_status(c, lp, next, at)?;
    let data = json!({
        "signal_request_id": request_id,
        "requested_as": ask.requester.as_str(),
        "competency_ids": ask.competency_ids,
    });
    match ask.requester {
        Requester::BarRaiser => {
            let mut data = data;
            data["recommendation"] = json!("more_signal");
            data["veto"] = json!(false);
            audit::record(c, lp.id, Some(ask.actor.id), "debrief_closed", &data)?;
        }
        Requester::HiringManager => {
            audit::record(c, lp.id, Some(ask.actor.id), "more_signal_requested", &data)?
        }
    }
    let names: Vec<String> = competencies::find_many(c, ask.competency_ids)?
        .into_iter()
        .map(|x| x.name)
        .collect();
    let mut recipients = vec![lp.recruiter_id];
    if ask.requester == Requester::HiringManager {
        recipients.push(lp.bar_raiser_id);
    }
    let url = links.edit_loop(LoopId(lp.id));
    mail_people(c, "more_signal_requested", &lp, &recipients, |about| {
        templates::more_signal_requested(about, &ask.actor.name, &names, &url)
    })?;
    tracing::info!(loop.id = lp.id, requested_as = ask.requester.as_str(), "more signal requested");
    Ok(lp)
}

fn set_status(
    c: &mut DbConn,
    lp: &InterviewLoop,
    next: LoopStatus,
    at: NaiveDateTime,
) -> Result<InterviewLoop, ServiceError> {
    Ok(loops::update(
        c,
        lp.id,
        &LoopChanges {
            status: Some(next.as_str().into()),
            updated_at: Some(at),
            ..Default::default()
        },
    )?)
}

/// After a feedback submission on loop `loop_id`: when the loop awaits more
/// signal and this submission completed the follow-up, with the report
/// green, the debrief reopens (status `in_debrief`, everything said before
/// kept) and the panel, the hiring manager and the recruiter are told.
pub fn reopen_if_ready(
    c: &mut DbConn,
    loop_id: i64,
    links: &Links,
) -> Result<Option<InterviewLoop>, ServiceError> {
    // Most submissions are not a follow-up's: look before taking the loop's lock.
    if rows::pending(c, loop_id)?.is_none() {
        return Ok(None);
    }
    loops::lock(c, loop_id)?;
    let Some(lp) = loops::find(c, loop_id)? else {
        return Ok(None);
    };
    if lp.status != LoopStatus::Scheduled {
        return Ok(None);
    }
    let Some(row) = rows::pending(c, lp.id)? else {
        return Ok(None);
    };
    let panel = loops::panel(c, lp.id)?;
    if !view(&row, &panel).follow_up_done()
        || !independence::evaluate_with_panel(c, &lp, &panel)?.ok
    {
        return Ok(None);
    }
    let lp = reopen(c, &lp, &panel, None, links)?;
    Ok(Some(lp))
}

/// Reopens the held debrief of a locked, scheduled loop: marks the pending
/// request answered, moves the loop to `in_debrief`, records
/// `debrief_reopened` (by `actor` when the bar raiser opened it by hand) and
/// tells the panel, the hiring manager and the recruiter.
pub fn reopen(
    c: &mut DbConn,
    lp: &InterviewLoop,
    panel: &[PanelEntry],
    by_hand: Option<(&User, Option<&str>)>,
    links: &Links,
) -> Result<InterviewLoop, ServiceError> {
    let next = lp.status.open_debrief()?;
    let at = now();
    let pending = rows::pending(c, lp.id)?;
    if let Some(row) = &pending {
        rows::mark_reopened(c, row.id, at)?;
    }
    let lp = set_status(c, lp, next, at)?;
    let missing: Vec<i64> = panel
        .iter()
        .filter(|e| e.feedback() != FeedbackStatus::Submitted)
        .map(|e| e.interview.id)
        .collect();
    audit::record(
        c,
        lp.id,
        by_hand.map(|(u, _)| u.id),
        "debrief_reopened",
        &json!({
            "signal_request_id": pending.as_ref().map(|r| r.id),
            "override_reason": by_hand.and_then(|(_, reason)| reason),
            "missing_interview_ids": missing,
        }),
    )?;
    let mut recipients: Vec<i64> = panel.iter().map(|e| e.interview.interviewer_id).collect();
    recipients.extend([lp.hiring_manager_id, lp.recruiter_id]);
    let url = links.debrief_room(LoopId(lp.id));
    mail_people(c, "debrief_reopened", &lp, &recipients, |about| {
        templates::debrief_reopened(about, &url)
    })?;
    tracing::info!(loop.id = lp.id, "debrief reopened");
    Ok(lp)
}
