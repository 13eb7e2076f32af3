//! Editing a loop: its bar raiser and its panel, while it is a draft or
//! scheduled. Kept interviews keep their feedback, moved ones are invited
//! again, removed ones are cancelled, and a scheduled green loop never turns
//! red by an edit.

use chrono::NaiveDateTime;
use serde_json::json;

use super::access::load_for_change;
use super::read::LoopRead;
use super::{audit, debrief_proposal, independence, invitations};
use crate::db::loops::{self, InterviewLoop, LoopChanges, PanelEntry};
use crate::db::users::User;
use crate::db::{Db, DbConn, now};
use crate::domain::panel::ProposedInterview;
use crate::domain::{DomainError, LoopId, LoopStatus, UserId};
use crate::error::ServiceError;
use crate::links::Links;
use crate::mail::calendar::Method;
use crate::mail::templates::InterviewChange;
use crate::services::org;

use super::loops::{LoopEdit, check_panel, independence_failed, snapshot, values};

/// Makes the loop's panel `panel`: entries with the id of an existing
/// interview keep it (moving it bumps its SEQUENCE), entries without an id are
/// new, interviews left out are removed. Returns the interviews that need a
/// new invitation, the removed ones (which need a cancellation), and what
/// changed in the kept ones (their interviewers are told).
fn apply_panel(
    conn: &mut DbConn,
    lp: &InterviewLoop,
    before_panel: &[PanelEntry],
    panel: &[ProposedInterview],
    at: NaiveDateTime,
) -> Result<PanelOutcome, ServiceError> {
    let mut problems = Vec::new();
    for (i, p) in panel.iter().enumerate() {
        if let Some(existing_id) = p.id {
            match before_panel.iter().find(|e| e.interview.id == existing_id) {
                None => problems.push(DomainError::invalid(
                    format!("interviews[{i}].id"),
                    "is not an interview of this loop",
                )),
                Some(existing) if existing.interview.interviewer_id != p.interviewer_id => problems
                    .push(DomainError::invalid(
                        format!("interviews[{i}].interviewer_id"),
                        "an interview keeps its interviewer; remove it and add a new one",
                    )),
                Some(_) => {}
            }
        }
    }
    crate::domain::all_ok(problems.into_iter().map(Err::<(), _>))?;
    let removed: Vec<i64> = before_panel
        .iter()
        .map(|e| e.interview.id)
        .filter(|id| !panel.iter().any(|p| p.id == Some(*id)))
        .collect();
    let submitted = crate::db::feedback::statuses(conn, &removed)?
        .into_iter()
        .filter(|(_, s)| s == crate::db::feedback::SUBMITTED)
        .count();
    if submitted > 0 {
        return Err(ServiceError::conflict(
            "feedback_submitted",
            "An interview whose feedback was submitted cannot be removed from the loop.",
        ));
    }
    check_panel(conn, panel, before_panel)?;
    let mut requests: Vec<i64> = Vec::new();
    let mut cancelled: Vec<PanelEntry> = Vec::new();
    let mut kept: Vec<(i64, Kept)> = Vec::new();
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
                let mut new_ids = v.competency_ids.clone();
                new_ids.sort_unstable();
                let reassigned = old.competency_ids != new_ids;
                // Either change updates the calendar event: the description lists the competencies.
                let sequence = old.interview.sequence + i64::from(moved || reassigned);
                loops::update_interview(conn, old.interview.id, &v, sequence, at)?;
                if moved || reassigned {
                    requests.push(old.interview.id);
                    kept.push((
                        old.interview.id,
                        Kept {
                            moved_from: moved.then(|| {
                                (
                                    old.interview.starts_at.and_utc(),
                                    old.interview.ends_at.and_utc(),
                                )
                            }),
                            competencies_were: reassigned.then(|| old.competency_ids.clone()),
                        },
                    ));
                }
            }
            None => requests.push(loops::insert_interview(conn, lp.id, &v, at)?),
        }
    }
    Ok(PanelOutcome {
        requests,
        cancelled,
        kept,
    })
}

/// What [`apply_panel`] did: interviews to invite, removed ones to cancel,
/// and what changed in the kept ones.
#[derive(Debug, Default)]
struct PanelOutcome {
    requests: Vec<i64>,
    cancelled: Vec<PanelEntry>,
    kept: Vec<(i64, Kept)>,
}

/// What changed in an interview an edit kept.
#[derive(Debug, Clone)]
struct Kept {
    moved_from: Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)>,
    competencies_were: Option<Vec<i64>>,
}

/// [`edit`] inside the caller's transaction.
pub fn edit_in(
    conn: &mut DbConn,
    actor: &User,
    id: LoopId,
    edit: &LoopEdit,
    links: &Links,
) -> Result<LoopRead, ServiceError> {
    let lp = load_for_change(conn, id, actor)?;
    lp.status.check_editable()?;
    let before_panel = loops::panel(conn, id.get())?;
    let before = snapshot(&lp, &before_panel);
    if let Some(bar_raiser_id) = edit.bar_raiser_id {
        org::active(conn, "bar_raiser_id", bar_raiser_id)?;
    }
    let at = now();
    let PanelOutcome {
        requests,
        cancelled,
        kept,
    } = match &edit.panel {
        Some(panel) => apply_panel(conn, &lp, &before_panel, panel, at)?,
        None => PanelOutcome::default(),
    };
    let lp_after = loops::update(
        conn,
        id.get(),
        &LoopChanges {
            bar_raiser_id: edit.bar_raiser_id.map(UserId::get),
            updated_at: Some(at),
            ..Default::default()
        },
    )?;
    let after_panel = loops::panel(conn, id.get())?;
    let report = independence::evaluate_with_panel(conn, &lp_after, &after_panel)?;
    if lp.status == LoopStatus::Scheduled && lp.independence_ok && !report.ok {
        return Err(independence_failed(&report));
    }
    audit::record(
        conn,
        id.get(),
        Some(actor.id),
        "loop_edited",
        &json!({ "before": before, "after": snapshot(&lp_after, &after_panel) }),
    )?;
    let lp_after = independence::store_result(conn, &lp_after, &report, Some(actor.id), links)?;
    if lp.status == LoopStatus::Scheduled {
        let to_request: Vec<&PanelEntry> = after_panel
            .iter()
            .filter(|e| requests.contains(&e.interview.id))
            .collect();
        let changes = describe_changes(conn, &kept)?;
        invitations::queue_with_changes(
            conn,
            &lp_after,
            &to_request,
            Method::Request,
            &changes,
            links,
        )?;
        let to_cancel: Vec<&PanelEntry> = cancelled.iter().collect();
        invitations::queue(conn, &lp_after, &to_cancel, Method::Cancel, links)?;
        let before_people = debrief_proposal::people_of(&lp, &before_panel);
        debrief_proposal::propose(conn, actor, &lp_after, &after_panel, &before_people, links)?;
    }
    Ok(LoopRead {
        lp: lp_after,
        panel: after_panel,
        report,
    })
}
/// Edits the bar raiser and the panel of a draft or scheduled loop.
pub async fn edit(
    db: &Db,
    links: &Links,
    actor: &User,
    id: LoopId,
    input: LoopEdit,
) -> Result<LoopRead, ServiceError> {
    let (actor, links) = (actor.clone(), links.clone());
    db.write(move |c| edit_in(c, &actor, id, &input, &links))
        .await
}

/// What changed in kept interviews, with competency names, in one query.
fn describe_changes(
    conn: &mut DbConn,
    kept: &[(i64, Kept)],
) -> Result<std::collections::HashMap<i64, InterviewChange>, ServiceError> {
    let ids: Vec<i64> = kept
        .iter()
        .flat_map(|(_, k)| k.competencies_were.clone().unwrap_or_default())
        .collect();
    let names: std::collections::HashMap<i64, String> =
        crate::db::competencies::find_many(conn, &ids)?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
    Ok(kept
        .iter()
        .map(|(id, k)| {
            (
                *id,
                InterviewChange {
                    moved_from: k.moved_from,
                    competencies_were: k
                        .competencies_were
                        .as_ref()
                        .map(|ids| ids.iter().filter_map(|c| names.get(c).cloned()).collect()),
                },
            )
        })
        .collect())
}
