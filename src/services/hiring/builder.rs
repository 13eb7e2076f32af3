//! The recruiter's loop builder: a live preview of a loop being assembled or
//! edited, and the creation of a loop together with a new candidate.
//!
//! The preview *rehearses* the real change (creation or edit) in a
//! transaction that is rolled back, so the builder shows exactly the report
//! and the refusals the change itself would give: a rule lives in one place.
//! Beside it come what does not block a loop but a recruiter should know:
//! interviewers booked at overlapping times, and interviews in the past.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::candidates::{self, NewPerson};
use super::loops::{self, LoopEdit, NewLoop};
use super::read::LoopRead;
use super::suggestions::{self, Suggestion};
use crate::db::loops as loop_rows;
use crate::db::users::{self, User};
use crate::db::{Db, DbConn, requisitions};
use crate::domain::FeedbackWindow;
use crate::domain::independence::Report;
use crate::domain::panel::ProposedInterview;
use crate::domain::{CandidateId, FieldProblem, LoopId, RequisitionId, Role, UserId};
use crate::error::ServiceError;
use crate::links::Links;
use crate::services::people::picker::Pick;

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
    pub feedback_window: FeedbackWindow,
    pub panel: Vec<ProposedInterview>,
    /// People the form names beyond the bar raiser and the panel (rows that
    /// do not parse yet), for their pickers.
    pub also_named: Vec<i64>,
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
        feedback_window: s.feedback_window,
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
        Some(id) => {
            requisitions::find(c, id.get())?.filter(|r| super::requisitions::recruits_for(actor, r))
        }
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

/// The panel row a suggested bar raiser takes when the recruiter picks them:
/// the row of the bar raiser they replace, unless the suggested person is on
/// the panel already (then only the bar raiser changes). One action leaves
/// the report green when the suggestion is eligible, instead of a bar raiser
/// who does not interview.
pub fn seat_for_suggested(
    current: Option<UserId>,
    suggested: UserId,
    interviewers: &[Option<i64>],
) -> Option<usize> {
    if interviewers.contains(&Some(suggested.get())) {
        return None;
    }
    let current = current?;
    interviewers.iter().position(|i| *i == Some(current.get()))
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
    // The candidate sits every interview: two at once cannot both happen.
    for (j, p) in panel.iter().enumerate() {
        let clash = panel[..j]
            .iter()
            .position(|q| q.starts_at < p.ends_at && q.ends_at > p.starts_at);
        if let Some(i) = clash {
            out.push(FieldProblem {
                field: format!("interviews[{j}].starts_at"),
                message: format!(
                    "the candidate has interview {} at an overlapping time",
                    i + 1
                ),
            });
        }
    }
    let candidate = match &sketch.candidate {
        Some(CandidateChoice::Existing(id)) => Some(id.get()),
        _ => None,
    };
    if let Some(candidate) = candidate {
        let theirs = loop_rows::candidate_bookings(
            c,
            candidate,
            from.naive_utc(),
            to.naive_utc(),
            sketch.editing.map(LoopId::get),
        )?;
        for (i, p) in panel.iter().enumerate() {
            let count = theirs
                .iter()
                .filter(|b| b.starts_at.and_utc() < p.ends_at && b.ends_at.and_utc() > p.starts_at)
                .count();
            if count > 0 {
                out.push(FieldProblem {
                    field: format!("interviews[{i}].starts_at"),
                    message: format!(
                        "the candidate has {count} interview{} in another loop at an overlapping time",
                        if count == 1 { "" } else { "s" }
                    ),
                });
            }
        }
    }
    Ok(out)
}

/// What the builder's form offers to choose from.
#[derive(Debug, Default)]
pub struct Choices {
    /// Open requisitions the actor recruits for (all open ones for an admin),
    /// and the edited loop's own even when closed.
    pub requisitions: Vec<super::requisitions::RequisitionRead>,
    /// The actor's candidates (every candidate for an admin), erased ones left out.
    pub candidates: Vec<candidates::Candidate>,
    /// The people the form names (bar raiser, interviewers), as their
    /// pickers show them; the pickers search for the others.
    pub named: HashMap<i64, Pick>,
    /// The competencies the requisitions require.
    pub competencies: Vec<crate::db::competencies::Competency>,
}

/// Where the builder starts.
#[derive(Debug, Clone)]
pub enum Start {
    /// An empty form for a new loop.
    Fresh,
    /// The form holding an existing loop, to edit it.
    Existing(LoopId),
    /// The form as submitted.
    Sketch(Sketch),
}

/// The builder: the form's content, its choices and the live preview.
#[derive(Debug)]
pub struct Workbench {
    pub sketch: Sketch,
    pub choices: Choices,
    pub preview: Preview,
    /// The edited loop's request for more signal whose follow-up interview
    /// is awaited: the builder says which competencies it must cover.
    pub follow_up: Option<super::more_signal::SignalRequest>,
}

fn sketch_of(c: &mut DbConn, actor: &User, id: LoopId) -> Result<Sketch, ServiceError> {
    let lp = super::access::load_for(c, id, actor, super::access::Access::can_change)?;
    // The builder opens only on a loop that an edit may change.
    lp.status.check_editable()?;
    let panel = loop_rows::panel(c, lp.id)?;
    Ok(Sketch {
        editing: Some(id),
        requisition_id: Some(RequisitionId(lp.requisition_id)),
        candidate: Some(CandidateChoice::Existing(CandidateId(lp.candidate_id))),
        bar_raiser_id: Some(UserId(lp.bar_raiser_id)),
        feedback_window: FeedbackWindow::stored(lp.feedback_window_hours),
        also_named: Vec::new(),
        panel: panel
            .into_iter()
            .map(|e| ProposedInterview {
                id: Some(e.interview.id),
                interviewer_id: e.interview.interviewer_id,
                competency_ids: e.competency_ids,
                starts_at: e.interview.starts_at.and_utc(),
                ends_at: e.interview.ends_at.and_utc(),
            })
            .collect(),
    })
}

fn choices_in(c: &mut DbConn, actor: &User, sketch: &Sketch) -> Result<Choices, ServiceError> {
    let admin = actor.role == Role::Admin;
    let mut reqs: Vec<requisitions::Requisition> =
        requisitions::list(c, (!admin).then_some(actor.id), None, 500)?
            .into_iter()
            .filter(|r| super::requisitions::recruits_for(actor, r))
            .filter(|r| r.status == "open" || Some(RequisitionId(r.id)) == sketch.requisition_id)
            .collect();
    reqs.sort_by(|a, b| a.title.cmp(&b.title).then(a.id.cmp(&b.id)));
    let ids: Vec<i64> = reqs.iter().map(|r| r.id).collect();
    let mut required = requisitions::competency_ids_of_many(c, &ids)?;
    let requisitions: Vec<super::requisitions::RequisitionRead> = reqs
        .into_iter()
        .map(|requisition| super::requisitions::RequisitionRead {
            competency_ids: required.remove(&requisition.id).unwrap_or_default(),
            requisition,
        })
        .collect();
    let mut competency_ids: Vec<i64> = requisitions
        .iter()
        .flat_map(|r| r.competency_ids.clone())
        .chain(sketch.panel.iter().flat_map(|p| p.competency_ids.clone()))
        .collect();
    competency_ids.sort_unstable();
    competency_ids.dedup();
    let mut candidates: Vec<candidates::Candidate> =
        crate::db::candidates::list(c, (!admin).then_some(actor.id), None, None, 1000)?
            .into_iter()
            .filter(|x| x.erased_at.is_none())
            .collect();
    candidates.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let mut named: Vec<i64> = sketch
        .panel
        .iter()
        .map(|p| p.interviewer_id)
        .chain(sketch.bar_raiser_id.map(UserId::get))
        .chain(sketch.also_named.iter().copied())
        .collect();
    named.sort_unstable();
    named.dedup();
    let named = users::find_many(c, &named)?
        .into_iter()
        .map(|u| {
            (
                u.id,
                Pick {
                    id: u.id,
                    name: u.name,
                    email: u.email,
                    department: u.department,
                    load: None,
                },
            )
        })
        .collect();
    Ok(Choices {
        requisitions,
        candidates,
        named,
        competencies: crate::db::competencies::find_many(c, &competency_ids)?,
    })
}

/// The builder for `start`: its choices and the preview of what it holds, in
/// one rehearsal (nothing is written).
pub async fn workbench(
    db: &Db,
    links: &Links,
    actor: &User,
    start: Start,
) -> Result<Workbench, ServiceError> {
    let (actor, links) = (actor.clone(), links.clone());
    db.rehearse(move |c| {
        if let Start::Existing(id) = &start {
            // A loop the actor may not see is not found, whatever their role.
            super::access::load_visible(c, *id, &actor)?;
        }
        crate::auth::require_recruiting(&actor)?;
        let (sketch, evaluate) = match start {
            Start::Fresh => (Sketch::default(), false),
            Start::Existing(id) => (sketch_of(c, &actor, id)?, true),
            Start::Sketch(s) => (s, true),
        };
        let choices = choices_in(c, &actor, &sketch)?;
        let preview = if evaluate {
            preview_in(c, &actor, &sketch, &links, Utc::now())?
        } else {
            Preview::default()
        };
        let follow_up = match sketch.editing {
            Some(id) => {
                let lp = loop_rows::find(c, id.get())?.ok_or(ServiceError::NotFound)?;
                let panel = loop_rows::panel(c, lp.id)?;
                super::more_signal::pending_in(c, &lp, &panel)?
                    .filter(|_| lp.status == crate::domain::LoopStatus::Scheduled)
            }
            None => None,
        };
        Ok(Workbench {
            sketch,
            choices,
            preview,
            follow_up,
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggested_bar_raiser_takes_the_replaced_bar_raisers_row_unless_already_seated() {
        let panel = [Some(7), Some(8), None, Some(9)];
        assert_eq!(
            seat_for_suggested(Some(UserId(8)), UserId(5), &panel),
            Some(1)
        );
        assert_eq!(
            seat_for_suggested(Some(UserId(8)), UserId(9), &panel),
            None,
            "already on it"
        );
        assert_eq!(
            seat_for_suggested(Some(UserId(4)), UserId(5), &panel),
            None,
            "nobody to replace"
        );
        assert_eq!(seat_for_suggested(None, UserId(5), &panel), None);
    }
}
