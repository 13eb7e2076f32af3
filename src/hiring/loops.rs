//! Loop operations. Each runs inside one transaction of the caller: checks,
//! writes, a fresh independence report, an audit event and the mail it causes
//! all commit together or not at all.

use std::collections::HashMap;

use chrono::{NaiveDateTime, TimeDelta};
use serde_json::{Value, json};

use super::access::load_for_change;
use super::{audit, independence, invitations};
use crate::db::loops::{
    self, InterviewLoop, InterviewValues, LoopChanges, NewInterviewLoop, PanelEntry,
};
use crate::db::users::{self, User};
use crate::db::{DbConn, candidates, competencies, now, requisitions};
use crate::domain::independence::Report;
use crate::domain::panel::ProposedInterview;
use crate::domain::{DomainError, LoopStatus, Role};
use crate::error::ApiError;
use crate::mail::calendar::Method;

/// A parsed `POST /loops`.
#[derive(Debug, Clone)]
pub struct NewLoop {
    pub requisition_id: i64,
    pub candidate_id: i64,
    pub bar_raiser_id: i64,
    pub hiring_manager_id: Option<i64>,
    pub recruiter_id: Option<i64>,
    pub feedback_window_hours: i64,
    pub panel: Vec<ProposedInterview>,
}

/// A parsed `PATCH /loops/{id}`.
#[derive(Debug, Clone)]
pub struct LoopEdit {
    pub bar_raiser_id: Option<i64>,
    pub panel: Option<Vec<ProposedInterview>>,
}

fn active_user(conn: &mut DbConn, field: &str, id: i64) -> Result<User, ApiError> {
    match users::find(conn, id)? {
        None => Err(ApiError::field(field, "no user has this id")),
        Some(u) if !u.active => Err(ApiError::field(field, "this user is deactivated")),
        Some(u) => Ok(u),
    }
}

/// Interviewers exist and are active; competencies exist and are active, except
/// a retired one an interview already had (it stays on old loops).
fn check_panel(
    conn: &mut DbConn,
    panel: &[ProposedInterview],
    existing: &[PanelEntry],
) -> Result<(), ApiError> {
    let mut ids: Vec<i64> = panel
        .iter()
        .flat_map(|p| p.competency_ids.iter().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let known: HashMap<i64, bool> = competencies::find_many(conn, &ids)?
        .into_iter()
        .map(|c| (c.id, c.active))
        .collect();
    for (i, p) in panel.iter().enumerate() {
        active_user(
            conn,
            &format!("interviews[{i}].interviewer_id"),
            p.interviewer_id,
        )?;
        let had = existing
            .iter()
            .find(|e| Some(e.interview.id) == p.id)
            .map(|e| e.competency_ids.as_slice())
            .unwrap_or(&[]);
        for c in &p.competency_ids {
            match known.get(c) {
                None => {
                    return Err(ApiError::field(
                        format!("interviews[{i}].competency_ids"),
                        format!("competency {c} does not exist"),
                    ));
                }
                Some(false) if !had.contains(c) => {
                    return Err(ApiError::field(
                        format!("interviews[{i}].competency_ids"),
                        format!("competency {c} is retired"),
                    ));
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}

fn values(p: &ProposedInterview, window_hours: i64) -> InterviewValues {
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

/// Creates a draft (even with a red report, so the recruiter sees why). Drafts send no mail.
pub fn create(conn: &mut DbConn, actor: &User, input: &NewLoop) -> Result<i64, ApiError> {
    let requisition = requisitions::find(conn, input.requisition_id)?
        .filter(|r| actor.role == Role::Admin || r.recruiter_id == actor.id)
        .ok_or_else(|| ApiError::field("requisition_id", "no requisition of yours has this id"))?;
    if requisition.status != "open" {
        return Err(ApiError::field(
            "requisition_id",
            "the requisition is closed",
        ));
    }
    let candidate = candidates::find(conn, input.candidate_id)?
        .filter(|c| actor.role == Role::Admin || c.created_by_id == actor.id)
        .ok_or_else(|| ApiError::field("candidate_id", "no candidate of yours has this id"))?;
    if candidate.erased_at.is_some() {
        return Err(ApiError::field(
            "candidate_id",
            "the candidate's data was erased",
        ));
    }
    active_user(conn, "bar_raiser_id", input.bar_raiser_id)?;
    let hiring_manager_id = input
        .hiring_manager_id
        .unwrap_or(requisition.hiring_manager_id);
    active_user(conn, "hiring_manager_id", hiring_manager_id)?;
    let recruiter_id = input.recruiter_id.unwrap_or(requisition.recruiter_id);
    let recruiter = active_user(conn, "recruiter_id", recruiter_id)?;
    if !matches!(recruiter.role, Role::Recruiter | Role::Admin) {
        return Err(ApiError::field(
            "recruiter_id",
            "the recruiter must hold the recruiter or admin role",
        ));
    }
    check_panel(conn, &input.panel, &[])?;

    let at = now();
    let id = loops::insert(
        conn,
        &NewInterviewLoop {
            requisition_id: requisition.id,
            candidate_id: candidate.id,
            hiring_manager_id,
            recruiter_id,
            bar_raiser_id: input.bar_raiser_id,
            feedback_window_hours: input.feedback_window_hours,
            status: LoopStatus::Draft.as_str(),
            independence_ok: false,
            created_at: at,
            updated_at: at,
        },
    )?;
    for p in &input.panel {
        loops::insert_interview(conn, id, &values(p, input.feedback_window_hours), at)?;
    }
    let lp = loops::find(conn, id)?.ok_or(ApiError::NotFound)?;
    let panel = loops::panel(conn, id)?;
    let report = independence::evaluate_with_panel(conn, &lp, &panel)?;
    let lp = loops::update(
        conn,
        id,
        &LoopChanges {
            independence_ok: Some(report.ok),
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
    Ok(id)
}

fn independence_failed(report: &Report) -> ApiError {
    let failing: Vec<_> = report.failing().cloned().collect();
    let rules: Vec<&str> = failing.iter().map(|c| c.rule).collect();
    ApiError::unprocessable(
        "independence_failed",
        format!(
            "The loop fails independence or composition rules: {}.",
            rules.join(", ")
        ),
    )
    .with_extra(json!({ "failing": failing }))
}

/// Makes the loop's panel `panel`: entries with the id of an existing
/// interview keep it (moving it bumps its SEQUENCE), entries without an id are
/// new, interviews left out are removed. Returns the interviews that need a
/// new invitation and the removed ones (which need a cancellation).
fn apply_panel(
    conn: &mut DbConn,
    lp: &InterviewLoop,
    before_panel: &[PanelEntry],
    panel: &[ProposedInterview],
    at: NaiveDateTime,
) -> Result<(Vec<i64>, Vec<PanelEntry>), ApiError> {
    let mut requests: Vec<i64> = Vec::new();
    let mut cancelled: Vec<PanelEntry> = Vec::new();
    for (i, p) in panel.iter().enumerate() {
        if let Some(existing_id) = p.id {
            let existing = before_panel
                .iter()
                .find(|e| e.interview.id == existing_id)
                .ok_or_else(|| {
                    ApiError::field(
                        format!("interviews[{i}].id"),
                        "is not an interview of this loop",
                    )
                })?;
            if existing.interview.interviewer_id != p.interviewer_id {
                return Err(ApiError::field(
                    format!("interviews[{i}].interviewer_id"),
                    "an interview keeps its interviewer; remove it and add a new one",
                ));
            }
        }
    }
    check_panel(conn, panel, before_panel)?;
    for old in before_panel {
        if !panel.iter().any(|p| p.id == Some(old.interview.id)) {
            loops::delete_interview(conn, old.interview.id)?;
            cancelled.push(old.clone());
        }
    }
    for p in panel {
        let v = values(p, lp.feedback_window_hours);
        match p
            .id
            .and_then(|pid| before_panel.iter().find(|e| e.interview.id == pid))
        {
            Some(old) => {
                let moved =
                    old.interview.starts_at != v.starts_at || old.interview.ends_at != v.ends_at;
                let sequence = old.interview.sequence + i64::from(moved);
                loops::update_interview(conn, old.interview.id, &v, sequence, at)?;
                if moved {
                    requests.push(old.interview.id);
                }
            }
            None => requests.push(loops::insert_interview(conn, lp.id, &v, at)?),
        }
    }
    Ok((requests, cancelled))
}

pub fn edit(
    conn: &mut DbConn,
    actor: &User,
    id: i64,
    edit: &LoopEdit,
    public_url: &str,
) -> Result<(), ApiError> {
    let lp = load_for_change(conn, id, actor)?;
    if !lp.status.is_editable() {
        return Err(DomainError::State {
            code: "loop_not_editable",
            detail: format!("A {} loop cannot be edited.", lp.status),
        }
        .into());
    }
    let before_panel = loops::panel(conn, id)?;
    let before = snapshot(&lp, &before_panel);
    if let Some(bar_raiser_id) = edit.bar_raiser_id {
        active_user(conn, "bar_raiser_id", bar_raiser_id)?;
    }
    let at = now();
    let (requests, cancelled) = match &edit.panel {
        Some(panel) => apply_panel(conn, &lp, &before_panel, panel, at)?,
        None => (Vec::new(), Vec::new()),
    };
    let lp_after = loops::update(
        conn,
        id,
        &LoopChanges {
            bar_raiser_id: edit.bar_raiser_id,
            updated_at: Some(at),
            ..Default::default()
        },
    )?;
    let after_panel = loops::panel(conn, id)?;
    let report = independence::evaluate_with_panel(conn, &lp_after, &after_panel)?;
    if lp.status == LoopStatus::Scheduled && lp.independence_ok && !report.ok {
        return Err(independence_failed(&report));
    }
    audit::record(
        conn,
        id,
        Some(actor.id),
        "loop_edited",
        &json!({ "before": before, "after": snapshot(&lp_after, &after_panel) }),
    )?;
    independence::store_result(conn, &lp_after, &report, Some(actor.id), public_url)?;
    if lp.status == LoopStatus::Scheduled {
        let to_request: Vec<&PanelEntry> = after_panel
            .iter()
            .filter(|e| requests.contains(&e.interview.id))
            .collect();
        invitations::queue(conn, &lp_after, &to_request, Method::Request, public_url)?;
        let to_cancel: Vec<&PanelEntry> = cancelled.iter().collect();
        invitations::queue(conn, &lp_after, &to_cancel, Method::Cancel, public_url)?;
    }
    Ok(())
}

pub fn schedule(
    conn: &mut DbConn,
    actor: &User,
    id: i64,
    public_url: &str,
) -> Result<(), ApiError> {
    let lp = load_for_change(conn, id, actor)?;
    let next = lp.status.schedule()?;
    let report = independence::evaluate_loop(conn, &lp)?;
    if !report.ok {
        return Err(independence_failed(&report));
    }
    let lp = loops::update(
        conn,
        id,
        &LoopChanges {
            status: Some(next.as_str().into()),
            independence_ok: Some(true),
            flagged_at: Some(None),
            updated_at: Some(now()),
            ..Default::default()
        },
    )?;
    audit::record(
        conn,
        id,
        Some(actor.id),
        "loop_scheduled",
        &json!({ "before": { "status": "draft" }, "after": { "status": next } }),
    )?;
    invitations::queue_panel(conn, &lp, Method::Request, public_url)?;
    tracing::info!(loop.id = id, by = actor.id, "loop scheduled");
    Ok(())
}

pub fn cancel(
    conn: &mut DbConn,
    actor: &User,
    id: i64,
    reason: &str,
    public_url: &str,
) -> Result<(), ApiError> {
    let lp = load_for_change(conn, id, actor)?;
    let next = lp.status.cancel()?;
    let lp_after = loops::update(
        conn,
        id,
        &LoopChanges {
            status: Some(next.as_str().into()),
            cancel_reason: Some(Some(reason.to_owned())),
            updated_at: Some(now()),
            ..Default::default()
        },
    )?;
    audit::record(
        conn,
        id,
        Some(actor.id),
        "loop_cancelled",
        &json!({ "before": { "status": lp.status }, "after": { "status": next }, "reason": reason }),
    )?;
    if lp.status != LoopStatus::Draft {
        invitations::queue_panel(conn, &lp_after, Method::Cancel, public_url)?;
    }
    tracing::info!(loop.id = id, by = actor.id, "loop cancelled");
    Ok(())
}
