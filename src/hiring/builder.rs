//! The recruiter's loop builder: a live preview of a loop being assembled or
//! edited, and the creation of a loop together with a new candidate.
//!
//! The preview *rehearses* the real change (creation or edit) in a
//! transaction that is rolled back, so the builder shows exactly the report
//! and the refusals the change itself would give: a rule lives in one place.
//! Beside it come what does not block a loop but a recruiter should know:
//! interviewers booked at overlapping times, and interviews in the past.

use chrono::{DateTime, Utc};

use super::candidates::{self, NewPerson};
use super::loops::{self, LoopEdit, NewLoop};
use super::read::LoopRead;
use super::suggestions::{self, Suggestion};
use crate::db::loops as loop_rows;
use crate::db::users::{self, User};
use crate::db::{Db, DbConn, requisitions};
use crate::domain::independence::Report;
use crate::domain::panel::ProposedInterview;
use crate::domain::{CandidateId, FieldProblem, LoopId, RequisitionId, Role, UserId};
use crate::error::ServiceError;
use crate::links::Links;

/// Who the loop is for: a candidate on file or one added with the loop.
#[derive(Debug, Clone)]
pub enum CandidateChoice {
    Existing(CandidateId),
    New(NewPerson),
}

/// A loop being assembled: what the builder's form holds so far.
#[derive(Debug, Clone, Default)]
pub struct Sketch {
    /// The loop being edited; `None` while creating one.
    pub editing: Option<LoopId>,
    pub requisition_id: Option<RequisitionId>,
    pub candidate: Option<CandidateChoice>,
    pub bar_raiser_id: Option<UserId>,
    pub feedback_window_hours: Option<i64>,
    pub panel: Vec<ProposedInterview>,
}

/// What the builder shows beside the form.
#[derive(Debug, Default)]
pub struct Preview {
    /// The report the loop would have; `None` until it can be evaluated.
    pub report: Option<Report>,
    /// What the change itself would refuse, field by field.
    pub problems: Vec<FieldProblem>,
    /// A refusal that is about the loop as a whole (e.g. one already open).
    pub conflict: Option<String>,
    /// Eligible bar raisers, least loaded first (once the requisition is known).
    pub suggestions: Vec<Suggestion>,
    /// What does not block the loop: overlapping bookings, times in the past.
    pub warnings: Vec<FieldProblem>,
}

/// The loop the sketch describes, with every part it needs.
fn complete(s: &Sketch, existing: Option<CandidateId>) -> Option<NewLoop> {
    Some(NewLoop {
        requisition_id: s.requisition_id?,
        candidate_id: existing?,
        bar_raiser_id: s.bar_raiser_id?,
        hiring_manager_id: None,
        recruiter_id: None,
        feedback_window_hours: s.feedback_window_hours.unwrap_or(24),
        panel: s.panel.clone(),
    })
}

/// Adds the candidate if the sketch brings a new one; the id to use.
fn candidate_in(
    c: &mut DbConn,
    actor: &User,
    choice: Option<&CandidateChoice>,
) -> Result<Option<CandidateId>, ServiceError> {
    Ok(match choice {
        Some(CandidateChoice::Existing(id)) => Some(*id),
        Some(CandidateChoice::New(person)) => {
            Some(CandidateId(candidates::create_in(c, actor, person)?.id))
        }
        None => None,
    })
}

fn preview_in(
    c: &mut DbConn,
    actor: &User,
    sketch: &Sketch,
    links: &Links,
    now: DateTime<Utc>,
) -> Result<Preview, ServiceError> {
    crate::auth::require_recruiting(actor)?;
    let mut preview = Preview {
        warnings: warnings(c, sketch, now)?,
        ..Preview::default()
    };
    let requisition = match sketch.requisition_id {
        Some(id) => requisitions::find(c, id.get())?
            .filter(|r| actor.role == Role::Admin || r.recruiter_id == actor.id),
        None => None,
    };
    let outcome = match sketch.editing {
        Some(id) => {
            let edit = LoopEdit {
                bar_raiser_id: sketch.bar_raiser_id,
                panel: Some(sketch.panel.clone()),
            };
            loops::edit_in(c, actor, id, &edit, links).map(Some)
        }
        None => candidate_in(c, actor, sketch.candidate.as_ref()).and_then(|candidate| {
            match complete(sketch, candidate) {
                Some(new) => loops::create_in(c, actor, &new).map(Some),
                None => Ok(None),
            }
        }),
    };
    let candidate_for_suggestions = match (&outcome, &sketch.candidate) {
        (Ok(Some(read)), _) => Some(read.lp.candidate_id),
        (_, Some(CandidateChoice::Existing(id))) => Some(id.get()),
        _ => None,
    };
    match outcome {
        Ok(Some(LoopRead { report, .. })) => preview.report = Some(report),
        Ok(None) => {}
        Err(ServiceError::Invalid(problems)) => preview.problems = problems,
        Err(ServiceError::IndependenceFailed { failing }) => {
            // An edit that would turn a scheduled loop red: the report it would have.
            preview.report = Some(Report {
                ok: false,
                checks: failing,
            });
            preview.conflict = Some(
                "This change would make the scheduled loop fail the rules below, so it cannot be saved."
                    .into(),
            );
        }
        Err(ServiceError::Conflict { detail, .. } | ServiceError::Rule { detail, .. }) => {
            preview.conflict = Some(detail)
        }
        Err(other) => return Err(other),
    }
    if let Some(r) = requisition {
        preview.suggestions = suggestions::suggest_for(
            c,
            r.hiring_manager_id,
            r.recruiter_id,
            candidate_for_suggestions,
        )?;
    }
    Ok(preview)
}

/// The preview of a sketch, from a rehearsal of the change it describes.
pub async fn preview(
    db: &Db,
    links: &Links,
    actor: &User,
    sketch: Sketch,
) -> Result<Preview, ServiceError> {
    let (actor, links) = (actor.clone(), links.clone());
    db.rehearse(move |c| preview_in(c, &actor, &sketch, &links, Utc::now()))
        .await
}

/// Creates the loop the sketch describes, with its new candidate if it brings
/// one, in one transaction.
pub async fn create(db: &Db, actor: &User, sketch: Sketch) -> Result<LoopRead, ServiceError> {
    let actor = actor.clone();
    db.write(move |c| {
        let candidate = candidate_in(c, &actor, sketch.candidate.as_ref())?;
        let mut missing = Vec::new();
        for (field, absent) in [
            ("requisition_id", sketch.requisition_id.is_none()),
            ("candidate_id", candidate.is_none()),
            ("bar_raiser_id", sketch.bar_raiser_id.is_none()),
        ] {
            if absent {
                missing.push(FieldProblem {
                    field: field.into(),
                    message: "is required".into(),
                });
            }
        }
        let new = complete(&sketch, candidate).ok_or(ServiceError::Invalid(missing))?;
        loops::create_in(c, &actor, &new)
    })
    .await
}

/// Interviews that lie in the past, and interviewers already booked at an
/// overlapping time (in another open loop or twice in this panel).
fn warnings(
    c: &mut DbConn,
    sketch: &Sketch,
    now: DateTime<Utc>,
) -> Result<Vec<FieldProblem>, ServiceError> {
    let panel = &sketch.panel;
    let mut out = Vec::new();
    for (i, p) in panel.iter().enumerate() {
        if p.starts_at < now {
            out.push(FieldProblem {
                field: format!("interviews[{i}].starts_at"),
                message: "lies in the past".into(),
            });
        }
    }
    let (Some(from), Some(to)) = (
        panel.iter().map(|p| p.starts_at).min(),
        panel.iter().map(|p| p.ends_at).max(),
    ) else {
        return Ok(out);
    };
    let ids: Vec<i64> = panel.iter().map(|p| p.interviewer_id).collect();
    let booked = loop_rows::bookings(
        c,
        &ids,
        from.naive_utc(),
        to.naive_utc(),
        sketch.editing.map(LoopId::get),
    )?;
    let names = users::find_many(c, &ids)?;
    let name = |id: i64| {
        names
            .iter()
            .find(|u| u.id == id)
            .map_or_else(|| format!("person {id}"), |u| u.name.clone())
    };
    for (i, p) in panel.iter().enumerate() {
        let overlaps = |s: DateTime<Utc>, e: DateTime<Utc>| s < p.ends_at && e > p.starts_at;
        let elsewhere = booked.iter().filter(|b| {
            b.interviewer_id == p.interviewer_id
                && overlaps(b.starts_at.and_utc(), b.ends_at.and_utc())
        });
        let here = panel.iter().enumerate().filter(|(j, q)| {
            *j != i && q.interviewer_id == p.interviewer_id && overlaps(q.starts_at, q.ends_at)
        });
        let count = elsewhere.count() + here.count();
        if count > 0 {
            out.push(FieldProblem {
                field: format!("interviews[{i}].interviewer_id"),
                message: format!(
                    "{} is already booked at an overlapping time ({count} other interview{})",
                    name(p.interviewer_id),
                    if count == 1 { "" } else { "s" }
                ),
            });
        }
    }
    Ok(out)
}
