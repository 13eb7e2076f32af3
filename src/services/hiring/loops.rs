//! Loops: assembly, scheduling and cancellation, and their reads (edits are in
//! `loop_edits`, re-exported here). Each change runs in one transaction: checks, writes, a fresh independence report,
//! an audit event and the mail it causes commit together or not at all, and
//! the change answers with the read model it computed.

use chrono::{NaiveDateTime, TimeDelta};
use serde_json::{Value, json};

use super::access::{
    Access, load_for, load_for_change, load_visible_with_panel, visible_with_panel,
};
use super::read::{self, LoopRead};
use super::{audit, debrief_proposal, independence, invitations, suggestions};
use crate::auth::{Caller, require_recruiting};
pub use crate::db::loops::Participation;
use crate::db::loops::{
    self, InterviewLoop, InterviewValues, LoopChanges, NewInterviewLoop, PanelEntry,
};
use crate::db::users::User;
use crate::db::{Db, DbConn, candidates, now, requisitions};
use crate::domain::FeedbackWindow;
use crate::domain::independence::Report;
use crate::domain::panel::ProposedInterview;
use crate::domain::{
    CandidateId, FieldProblem, Listing, LoopId, LoopStatus, OneLine, Page, RequisitionId, Role,
    UserId,
};
use crate::error::ServiceError;
use crate::links::Links;
use crate::mail::calendar::Method;
use crate::services::org;

pub use super::loop_edits::{edit, edit_in};

/// A parsed `POST /loops`.
#[derive(Debug, Clone)]
pub struct NewLoop {
    pub requisition_id: RequisitionId,
    pub candidate_id: CandidateId,
    pub bar_raiser_id: UserId,
    pub hiring_manager_id: Option<UserId>,
    pub recruiter_id: Option<UserId>,
    pub feedback_window: FeedbackWindow,
    pub panel: Vec<ProposedInterview>,
}

/// A parsed `PATCH /loops/{id}`.
#[derive(Debug, Clone)]
pub struct LoopEdit {
    pub bar_raiser_id: Option<UserId>,
    pub panel: Option<Vec<ProposedInterview>>,
}

/// Interviewers exist and are active; competencies exist and are active, except
/// a retired one an interview already had (it stays on old loops). Every
/// problem is reported at once.
pub(super) fn check_panel(
    conn: &mut DbConn,
    panel: &[ProposedInterview],
    existing: &[PanelEntry],
) -> Result<(), ServiceError> {
    let people = panel.iter().enumerate().map(|(i, p)| {
        org::active(
            conn,
            &format!("interviews[{i}].interviewer_id"),
            UserId(p.interviewer_id),
        )
        .map(|_| ())
    });
    let people: Vec<Result<(), ServiceError>> = people.collect();
    let requested: Vec<&[i64]> = panel.iter().map(|p| p.competency_ids.as_slice()).collect();
    let held: Vec<&[i64]> = panel
        .iter()
        .map(|p| {
            existing
                .iter()
                .find(|e| Some(e.interview.id) == p.id)
                .map(|e| e.competency_ids.as_slice())
                .unwrap_or(&[])
        })
        .collect();
    let competencies = crate::services::competencies::check_assignable(
        conn,
        |i| format!("interviews[{i}].competency_ids"),
        &requested,
        &held,
    );
    let mut problems = Vec::new();
    for result in people.into_iter().chain([competencies]) {
        match result {
            Ok(()) => {}
            Err(ServiceError::Invalid(p)) => problems.extend(p),
            Err(other) => return Err(other),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(problems))
    }
}

pub(super) fn values(p: &ProposedInterview, window_hours: i64) -> InterviewValues {
    let ends_at = p.ends_at.naive_utc();
    InterviewValues {
        interviewer_id: p.interviewer_id,
        starts_at: p.starts_at.naive_utc(),
        ends_at,
        feedback_due_at: ends_at + TimeDelta::hours(window_hours),
        competency_ids: p.competency_ids.clone(),
    }
}

fn ts(at: NaiveDateTime) -> String {
    at.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// What the audit log records of a loop's composition.
pub fn snapshot(lp: &InterviewLoop, panel: &[PanelEntry]) -> Value {
    json!({
        "status": lp.status,
        "bar_raiser_id": lp.bar_raiser_id,
        "interviews": panel.iter().map(|p| json!({
            "id": p.interview.id,
            "interviewer_id": p.interview.interviewer_id,
            "competency_ids": p.competency_ids,
            "starts_at": ts(p.interview.starts_at),
            "ends_at": ts(p.interview.ends_at),
        })).collect::<Vec<_>>(),
    })
}

/// Who a new loop's hiring manager and recruiter are. The hiring manager is
/// always the requisition's (the bar raiser's independence is proved against
/// the person who decides; a different one would be a loop of another role).
/// The recruiter is the requisition's, which for a recruiter is the caller;
/// only an admin assigns a loop to another recruiter.
fn loop_people(
    actor: &User,
    requisition: &requisitions::Requisition,
    input: &NewLoop,
) -> Result<(UserId, UserId), ServiceError> {
    let hiring_manager = UserId(requisition.hiring_manager_id);
    let mut problems = Vec::new();
    if input.hiring_manager_id.is_some_and(|h| h != hiring_manager) {
        problems.push(FieldProblem {
            field: "hiring_manager_id".into(),
            message: format!(
                "must be the requisition's hiring manager ({hiring_manager}); change the requisition to change who decides"
            ),
        });
    }
    let recruiter = match input.recruiter_id {
        Some(other) if other.get() != actor.id && actor.role != Role::Admin => {
            problems.push(FieldProblem {
                field: "recruiter_id".into(),
                message: format!(
                    "must be you ({}): only an admin assigns a loop to another recruiter",
                    actor.id
                ),
            });
            other
        }
        Some(chosen) => chosen,
        None => UserId(requisition.recruiter_id),
    };
    if !problems.is_empty() {
        return Err(ServiceError::Invalid(problems));
    }
    Ok((hiring_manager, recruiter))
}

/// Creates a draft (even with a red report, so the recruiter sees why) inside
/// the caller's transaction. Drafts send no mail.
pub fn create_in(
    conn: &mut DbConn,
    actor: &User,
    input: &NewLoop,
) -> Result<LoopRead, ServiceError> {
    require_recruiting(actor)?;
    let requisition = requisitions::find(conn, input.requisition_id.get())?
        .filter(|r| super::requisitions::recruits_for(actor, r))
        .ok_or_else(|| {
            ServiceError::field("requisition_id", "no requisition of yours has this id")
        })?;
    if requisition.status != "open" {
        return Err(ServiceError::field(
            "requisition_id",
            "the requisition is closed",
        ));
    }
    let candidate = candidates::find(conn, input.candidate_id.get())?
        .filter(|c| actor.role == Role::Admin || c.created_by_id == actor.id)
        .ok_or_else(|| ServiceError::field("candidate_id", "no candidate of yours has this id"))?;
    if candidate.erased_at.is_some() {
        return Err(ServiceError::field(
            "candidate_id",
            "the candidate's data was erased",
        ));
    }
    org::active(conn, "bar_raiser_id", input.bar_raiser_id)?;
    let (hiring_manager_id, recruiter_id) = loop_people(actor, &requisition, input)?;
    org::active(conn, "hiring_manager_id", hiring_manager_id)?;
    let recruiter = org::active(conn, "recruiter_id", recruiter_id)?;
    if !recruiter.role.recruits() {
        return Err(ServiceError::field(
            "recruiter_id",
            "the recruiter must hold the recruiter or admin role",
        ));
    }
    check_panel(conn, &input.panel, &[])?;
    if let Some(open) = loops::open_loop_of(conn, candidate.id, requisition.id)? {
        return Err(ServiceError::conflict(
            "loop_already_open",
            format!("The candidate already has an open loop ({open}) for this requisition."),
        ));
    }

    let at = now();
    let id = loops::insert(
        conn,
        &NewInterviewLoop {
            requisition_id: requisition.id,
            candidate_id: candidate.id,
            hiring_manager_id: hiring_manager_id.get(),
            recruiter_id: recruiter_id.get(),
            bar_raiser_id: input.bar_raiser_id.get(),
            feedback_window_hours: input.feedback_window.hours(),
            status: LoopStatus::Draft.as_str(),
            independence_ok: false,
            created_at: at,
            updated_at: at,
        },
    )?;
    for p in &input.panel {
        loops::insert_interview(conn, id, &values(p, input.feedback_window.hours()), at)?;
    }
    let lp = loops::find(conn, id)?.ok_or(ServiceError::NotFound)?;
    let panel = loops::panel(conn, id)?;
    let report = independence::evaluate_with_panel(conn, &lp, &panel)?;
    let lp = loops::update(
        conn,
        id,
        &LoopChanges {
            independence_ok: Some(report.ok),
            independence_report: Some(Some(report.to_stored())),
            ..Default::default()
        },
    )?;
    audit::record(
        conn,
        id,
        Some(actor.id),
        "loop_created",
        &json!({ "after": snapshot(&lp, &panel), "independence_ok": report.ok }),
    )?;
    tracing::info!(loop.id = id, by = actor.id, independence_ok = report.ok, "loop created");
    Ok(LoopRead { lp, panel, report })
}

pub(super) fn independence_failed(report: &Report) -> ServiceError {
    ServiceError::IndependenceFailed {
        failing: report.failing().cloned().collect(),
    }
}

fn schedule_in(
    conn: &mut DbConn,
    actor: &User,
    id: LoopId,
    links: &Links,
) -> Result<LoopRead, ServiceError> {
    let lp = load_for_change(conn, id, actor)?;
    let next = lp.status.schedule()?;
    let panel = loops::panel(conn, id.get())?;
    let report = independence::evaluate_with_panel(conn, &lp, &panel)?;
    if !report.ok {
        return Err(independence_failed(&report));
    }
    let lp = loops::update(
        conn,
        id.get(),
        &LoopChanges {
            status: Some(next.as_str().into()),
            independence_ok: Some(true),
            independence_report: Some(Some(report.to_stored())),
            flagged_at: Some(None),
            updated_at: Some(now()),
            ..Default::default()
        },
    )?;
    audit::record(
        conn,
        id.get(),
        Some(actor.id),
        "loop_scheduled",
        &json!({ "before": { "status": "draft" }, "after": { "status": next } }),
    )?;
    let entries: Vec<&PanelEntry> = panel.iter().collect();
    invitations::queue(conn, &lp, &entries, Method::Request, links)?;
    debrief_proposal::propose(conn, actor, &lp, &panel, &Default::default(), links)?;
    tracing::info!(loop.id = id.get(), by = actor.id, "loop scheduled");
    Ok(LoopRead { lp, panel, report })
}

fn cancel_in(
    conn: &mut DbConn,
    actor: &User,
    id: LoopId,
    reason: &str,
    links: &Links,
) -> Result<LoopRead, ServiceError> {
    let lp = load_for_change(conn, id, actor)?;
    let next = lp.status.cancel()?;
    let lp_after = loops::update(
        conn,
        id.get(),
        &LoopChanges {
            status: Some(next.as_str().into()),
            cancel_reason: Some(Some(reason.to_owned())),
            updated_at: Some(now()),
            ..Default::default()
        },
    )?;
    audit::record(
        conn,
        id.get(),
        Some(actor.id),
        "loop_cancelled",
        &json!({ "before": { "status": lp.status }, "after": { "status": next }, "reason": reason }),
    )?;
    let read = read::read_one(conn, lp_after)?;
    if lp.status != LoopStatus::Draft {
        let entries: Vec<&PanelEntry> = read.panel.iter().collect();
        invitations::queue(conn, &read.lp, &entries, Method::Cancel, links)?;
    }
    if lp.status == LoopStatus::Scheduled {
        debrief_proposal::withdraw(conn, &read.lp, &read.panel, links)?;
    }
    tracing::info!(loop.id = id.get(), by = actor.id, "loop cancelled");
    Ok(read)
}

/// `POST /loops`: a draft with its report, even when red (recruiters and admins).
pub async fn create(db: &Db, actor: &User, input: NewLoop) -> Result<LoopRead, ServiceError> {
    let actor = actor.clone();
    db.write(move |c| create_in(c, &actor, &input)).await
}

/// `draft` → `scheduled`, only with a green report; invites the panel.
pub async fn schedule(
    db: &Db,
    links: &Links,
    actor: &User,
    id: LoopId,
) -> Result<LoopRead, ServiceError> {
    let (actor, links) = (actor.clone(), links.clone());
    db.write(move |c| schedule_in(c, &actor, id, &links)).await
}

/// Cancels an open loop with a reason; a scheduled panel gets cancellations.
pub async fn cancel(
    db: &Db,
    links: &Links,
    actor: &User,
    id: LoopId,
    reason: OneLine,
) -> Result<LoopRead, ServiceError> {
    let (actor, links) = (actor.clone(), links.clone());
    db.write(move |c| cancel_in(c, &actor, id, reason.as_ref(), &links))
        .await
}

/// One loop, for its participants and admins, on `conn`: a fixed number of
/// queries whatever the size of its panel.
pub fn get_in(conn: &mut DbConn, actor: &User, id: LoopId) -> Result<LoopRead, ServiceError> {
    let (lp, panel) = load_visible_with_panel(conn, id, actor)?;
    read::read_one_with_panel(conn, lp, panel)
}

/// One loop, for its participants and admins.
pub async fn get(db: &Db, caller: Caller, id: LoopId) -> Result<LoopRead, ServiceError> {
    caller
        .run_on_loop(db, id, move |c, actor, found| {
            let (lp, panel) = visible_with_panel(found, actor)?;
            read::read_one_with_panel(c, lp, panel)
        })
        .await
}

/// Which loops `GET /loops` lists.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoopFilter {
    pub role: Option<Participation>,
    pub status: Option<LoopStatus>,
}

/// A page of the loops the actor may see (admins: all; others: those they take
/// part in), in a fixed number of queries whatever the page size.
pub async fn list(
    db: &Db,
    caller: Caller,
    filter: LoopFilter,
    page: Page,
) -> Result<Listing<LoopRead>, ServiceError> {
    caller
        .run(db, move |c, actor| list_in(c, actor, filter, page))
        .await
}

/// [`list`] on `conn`: a fixed number of queries whatever the page size.
pub fn list_in(
    conn: &mut DbConn,
    actor: &User,
    filter: LoopFilter,
    page: Page,
) -> Result<Listing<LoopRead>, ServiceError> {
    let rows = loops::list_visible(
        conn,
        actor.id,
        actor.is_admin(),
        filter.role,
        filter.status,
        page.after,
        page.fetch(),
    )?;
    let listing = page.cut(rows, |lp| lp.id);
    Ok(Listing {
        items: read::read_many(conn, listing.items)?,
        next: listing.next,
    })
}

/// A fresh report (its recruiter, bar raiser, hiring manager; admins).
pub async fn independence(db: &Db, actor: &User, id: LoopId) -> Result<Report, ServiceError> {
    let actor = actor.clone();
    db.run(move |c| {
        let lp = load_for(c, id, &actor, Access::can_see_independence)?;
        independence::evaluate_loop(c, &lp)
    })
    .await
}

/// Eligible bar raisers, least loaded first (its recruiter, admins).
pub async fn bar_raiser_suggestions(
    db: &Db,
    actor: &User,
    id: LoopId,
) -> Result<Vec<suggestions::Suggestion>, ServiceError> {
    let actor = actor.clone();
    db.run(move |c| {
        let lp = load_for(c, id, &actor, Access::can_change)?;
        suggestions::suggest(c, &lp)
    })
    .await
}
