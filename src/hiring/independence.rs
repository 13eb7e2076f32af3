//! Gathers the facts of a loop with a bounded number of queries (two recursive
//! chain queries whatever the depth of the organisation) and evaluates the rules;
//! re-evaluates the open loops an organisational change can affect.

use std::collections::HashMap;

use serde_json::json;

use crate::db::loops::{self, InterviewLoop, LoopChanges, PanelEntry};
use crate::db::users::{self, User};
use crate::db::{DbConn, candidates, competencies, now, requisitions};
use crate::domain::LoopStatus;
use crate::domain::independence::{self, Facts, Named, PanelSlot, Person, Report};
use crate::error::ApiError;
use crate::hiring::audit;
use crate::mail::{self, Outgoing, templates};

fn person(conn: &mut DbConn, user: &User) -> Result<Person, ApiError> {
    let chain = users::management_chain(conn, user.id)?;
    Ok(Person {
        id: user.id,
        name: user.name.clone(),
        role: user.role,
        active: user.active,
        bar_raiser: user.bar_raiser,
        managers: chain
            .into_iter()
            .skip(1)
            .map(|l| Named {
                id: l.id,
                name: l.name,
            })
            .collect(),
    })
}

/// The facts of `lp` with its current `panel`.
pub fn facts(
    conn: &mut DbConn,
    lp: &InterviewLoop,
    panel: &[PanelEntry],
) -> Result<Facts, ApiError> {
    let requisition = requisitions::find(conn, lp.requisition_id)?.ok_or(ApiError::NotFound)?;
    let required_ids = requisitions::competency_ids(conn, requisition.id)?;
    let required = competencies::find_many(conn, &required_ids)?;
    let candidate = candidates::find(conn, lp.candidate_id)?.ok_or(ApiError::NotFound)?;
    let mut ids = vec![lp.hiring_manager_id, lp.bar_raiser_id, lp.recruiter_id];
    ids.extend(panel.iter().map(|p| p.interview.interviewer_id));
    ids.extend(candidate.referred_by_id);
    let people: HashMap<i64, User> = users::find_many(conn, &ids)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let get = |id: i64| people.get(&id).ok_or(ApiError::NotFound);
    let named = |id: i64| {
        get(id).map(|u| Named {
            id,
            name: u.name.clone(),
        })
    };
    let slots = panel
        .iter()
        .map(|p| {
            Ok(PanelSlot {
                interviewer: named(p.interview.interviewer_id)?,
                interviewer_active: get(p.interview.interviewer_id)?.active,
                competency_ids: p.competency_ids.clone(),
                starts_at: p.interview.starts_at.and_utc(),
                ends_at: p.interview.ends_at.and_utc(),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(Facts {
        hiring_manager: person(conn, get(lp.hiring_manager_id)?)?,
        bar_raiser: person(conn, get(lp.bar_raiser_id)?)?,
        recruiter: named(lp.recruiter_id)?,
        referred_by: candidate.referred_by_id.map(named).transpose()?,
        required_competencies: required
            .into_iter()
            .map(|c| Named {
                id: c.id,
                name: c.name,
            })
            .collect(),
        min_panel_size: requisition.min_panel_size,
        panel: slots,
    })
}

/// A fresh report for the loop as it stands (inside the caller's transaction).
pub fn evaluate_loop(conn: &mut DbConn, lp: &InterviewLoop) -> Result<Report, ApiError> {
    let panel = loops::panel(conn, lp.id)?;
    evaluate_with_panel(conn, lp, &panel)
}

/// Like [`evaluate_loop`], for a caller that already loaded the loop's panel.
pub fn evaluate_with_panel(
    conn: &mut DbConn,
    lp: &InterviewLoop,
    panel: &[PanelEntry],
) -> Result<Report, ApiError> {
    Ok(independence::evaluate(&facts(conn, lp, panel)?))
}

fn failing_details(report: &Report) -> Vec<String> {
    report
        .failing()
        .map(|c| format!("{}: {}", c.rule, c.detail))
        .collect()
}

/// Stores a loop's new report result: the cached flag, `flagged_at` (set when a
/// scheduled loop turns red, cleared when it is green again), an
/// `independence_changed` event and, when it turned red after scheduling, a mail
/// to its recruiter. Does nothing when the result did not change.
pub fn store_result(
    conn: &mut DbConn,
    lp: &InterviewLoop,
    report: &Report,
    actor_id: Option<i64>,
    public_url: &str,
) -> Result<InterviewLoop, ApiError> {
    if lp.independence_ok == report.ok {
        return Ok(lp.clone());
    }
    let after_scheduling = lp.status != LoopStatus::Draft;
    let flagged_at = match (report.ok, after_scheduling) {
        (true, _) => Some(None),
        (false, true) => Some(Some(now())),
        (false, false) => None,
    };
    let updated = loops::update(
        conn,
        lp.id,
        &LoopChanges {
            independence_ok: Some(report.ok),
            flagged_at,
            updated_at: Some(now()),
            ..Default::default()
        },
    )?;
    let failing: Vec<&str> = report.failing().map(|c| c.rule).collect();
    audit::record(
        conn,
        lp.id,
        actor_id,
        "independence_changed",
        &json!({ "before": { "ok": lp.independence_ok }, "after": { "ok": report.ok, "failing": failing } }),
    )?;
    if !report.ok && after_scheduling {
        let recruiter = users::find(conn, lp.recruiter_id)?.ok_or(ApiError::NotFound)?;
        let requisition = requisitions::find(conn, lp.requisition_id)?.ok_or(ApiError::NotFound)?;
        mail::enqueue(
            conn,
            &Outgoing {
                kind: "independence_turned_red",
                to: vec![recruiter.email.clone()],
                cc: Vec::new(),
                content: templates::independence_turned_red(
                    &recruiter.name,
                    &requisition.title,
                    &failing_details(report),
                    &format!("{public_url}/api/v1/loops/{}", lp.id),
                ),
                invite: None,
            },
        )?;
    }
    Ok(updated)
}

/// Re-evaluates the open loops that a change to `user_id` can affect (with
/// `manager_changed`, also those of everyone below them), inside the caller's
/// transaction. Returns how many loops changed result.
pub fn reevaluate_after_change(
    conn: &mut DbConn,
    user_id: i64,
    manager_changed: bool,
    actor_id: Option<i64>,
    public_url: &str,
) -> Result<usize, ApiError> {
    let mut changed = 0;
    for loop_id in loops::open_loops_touching(conn, user_id, manager_changed)? {
        loops::lock(conn, loop_id)?;
        let Some(lp) = loops::find(conn, loop_id)? else {
            continue;
        };
        let report = evaluate_loop(conn, &lp)?;
        if report.ok != lp.independence_ok {
            store_result(conn, &lp, &report, actor_id, public_url)?;
            changed += 1;
        }
    }
    Ok(changed)
}
