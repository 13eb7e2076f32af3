//! Feedback: the interviewer's drafts and submission, one's own interviews,
//! and the loop's submitted feedback behind the blind rule. Feedback text is
//! stored exactly as written and never logged.

mod mine;
pub mod reminders;

pub use mine::{
    AgendaInterviews, MineCursor, MyInterview, MyInterviews, agenda_interviews_in, my_interviews,
    my_interviews_in, parse_mine_filter,
};

use chrono::NaiveDateTime;
use serde_json::json;

use crate::auth::Caller;
use crate::db::feedback::{self as rows, DraftValues, Stored};
use crate::db::loops::{self, Interview, InterviewLoop, PanelEntry};
use crate::db::users::User;
use crate::db::{Db, DbConn, now};
use crate::domain::feedback::{
    Draft, FeedbackStatus, Rating, RatingEntry, Timing, Vote, Warning, check_complete, warnings,
};
use crate::domain::{InterviewId, LoopId, LoopStatus};
use crate::error::ServiceError;
use crate::links::Links;
use crate::services::hiring::access::{Access, load_visible};
use crate::services::hiring::{audit, more_signal};

/// One interview's feedback as its reader may see it.
#[derive(Debug, Clone)]
pub struct FeedbackRead {
    pub interview_id: i64,
    pub interviewer_id: i64,
    pub status: FeedbackStatus,
    pub draft: Draft,
    pub submitted_at: Option<NaiveDateTime>,
    pub timing: Option<Timing>,
    pub updated_at: Option<NaiveDateTime>,
    /// Quality warnings, for the feedback's own author.
    pub warnings: Vec<Warning>,
}

fn draft_of(stored: &Stored) -> Draft {
    Draft {
        ratings: stored
            .ratings
            .iter()
            .map(|r| RatingEntry {
                competency_id: r.competency_id,
                rating: r.rating.and_then(Rating::new),
                evidence: r.evidence.clone(),
            })
            .collect(),
        vote: stored.row.vote.as_deref().and_then(|v| v.parse().ok()),
        summary: stored.row.summary.clone(),
    }
}

fn read(interview: &Interview, stored: Option<&Stored>, with_warnings: bool) -> FeedbackRead {
    let draft = stored.map(draft_of).unwrap_or_default();
    FeedbackRead {
        interview_id: interview.id,
        interviewer_id: interview.interviewer_id,
        status: FeedbackStatus::of(stored.map(|s| s.row.status.as_str())),
        warnings: if with_warnings {
            warnings(&draft)
        } else {
            Vec::new()
        },
        draft,
        submitted_at: stored.and_then(|s| s.row.submitted_at),
        timing: stored.and_then(|s| s.row.timing.as_deref().and_then(Timing::parse)),
        updated_at: stored.map(|s| s.row.updated_at),
    }
}

/// The actor's own interview, its loop and the competencies it assesses;
/// anyone else's interview does not exist for them.
fn own_interview(
    c: &mut DbConn,
    actor: &User,
    id: InterviewId,
) -> Result<(Interview, InterviewLoop, Vec<i64>), ServiceError> {
    // The loop with its panel in one query; the interview is in the panel.
    let (lp, panel) = loops::with_panel_of_interview(c, id.get())?.ok_or(ServiceError::NotFound)?;
    let entry = panel
        .into_iter()
        .find(|e| e.interview.id == id.get() && e.interview.interviewer_id == actor.id)
        .ok_or(ServiceError::NotFound)?;
    Ok((entry.interview, lp, entry.competency_ids))
}

/// Feedback is written while the loop is scheduled, and late while its debrief is open.
fn takes_feedback(lp: &InterviewLoop) -> Result<(), ServiceError> {
    match lp.status {
        status if status.takes_feedback() => Ok(()),
        LoopStatus::Draft => Err(ServiceError::conflict(
            "loop_not_scheduled",
            "The loop is not scheduled yet; feedback opens once it is.",
        )),
        other => Err(ServiceError::conflict(
            "loop_closed",
            format!("A {other} loop takes no more feedback."),
        )),
    }
}

fn already_submitted() -> ServiceError {
    ServiceError::conflict(
        "already_submitted",
        "This feedback was submitted and cannot change.",
    )
}

/// The actor's own feedback on one of their interviews (pending when nothing
/// was written yet), with its quality warnings.
pub async fn own(db: &Db, actor: &User, id: InterviewId) -> Result<FeedbackRead, ServiceError> {
    let actor = actor.clone();
    db.run(move |c| {
        let (interview, _, _) = own_interview(c, &actor, id)?;
        let stored = rows::find_by_interview(c, interview.id)?;
        Ok(read(&interview, stored.as_ref(), true))
    })
    .await
}

/// Saves a draft: the whole draft is replaced by `draft` (last write wins; the
/// same draft saved twice changes nothing). Only competencies assigned to the
/// interview may be rated.
pub async fn save_draft(
    db: &Db,
    caller: Caller,
    id: InterviewId,
    draft: Draft,
) -> Result<FeedbackRead, ServiceError> {
    caller
        .write(db, move |c, actor| save_draft_in(c, actor, id, &draft))
        .await
}

/// [`save_draft`] inside the caller's transaction.
pub fn save_draft_in(
    c: &mut DbConn,
    actor: &User,
    id: InterviewId,
    draft: &Draft,
) -> Result<FeedbackRead, ServiceError> {
    // Saves and submissions of one interview happen one at a time.
    rows::lock_for_feedback(c, id.get())?;
    let (interview, lp, assigned) = own_interview(c, actor, id)?;
    takes_feedback(&lp)?;
    let stored = rows::find_by_interview(c, interview.id)?;
    if stored
        .as_ref()
        .is_some_and(|s| s.row.status == rows::SUBMITTED)
    {
        return Err(already_submitted());
    }
    let problems: Vec<_> = draft
        .ratings
        .iter()
        .enumerate()
        .filter(|(_, r)| !assigned.contains(&r.competency_id))
        .map(|(i, _)| crate::domain::FieldProblem {
            field: format!("ratings[{i}].competency_id"),
            message: "is not a competency assigned to this interview".into(),
        })
        .collect();
    if !problems.is_empty() {
        return Err(ServiceError::Invalid(problems));
    }
    let mut sorted = draft.clone();
    sorted.ratings.sort_by_key(|r| r.competency_id);
    let unchanged = stored.as_ref().is_some_and(|s| draft_of(s) == sorted);
    if !unchanged {
        let values = DraftValues {
            vote: sorted.vote.map(Vote::as_str),
            summary: sorted.summary.as_deref(),
            ratings: sorted
                .ratings
                .iter()
                .map(|r| {
                    (
                        r.competency_id,
                        r.rating.map(|x| i64::from(x.get())),
                        r.evidence.as_str(),
                    )
                })
                .collect(),
        };
        rows::save_draft(c, interview.id, &values, now())?;
        let stored = rows::find_by_interview(c, interview.id)?;
        return Ok(read(&interview, stored.as_ref(), true));
    }
    // The same draft again: what is stored is what was read.
    Ok(read(&interview, stored.as_ref(), true))
}

/// Submits the actor's draft once the interview has started: complete or 422
/// naming every missing field; once only; immutable after. The loop's log
/// records who submitted and when, never what.
pub async fn submit(
    db: &Db,
    links: &Links,
    actor: &User,
    id: InterviewId,
    attested: bool,
) -> Result<FeedbackRead, ServiceError> {
    let (actor, links) = (actor.clone(), links.clone());
    db.write(move |c| submit_in(c, &actor, id, attested, &links))
        .await
}

/// [`submit`] inside the caller's transaction.
fn submit_in(
    c: &mut DbConn,
    actor: &User,
    id: InterviewId,
    attested: bool,
    links: &Links,
) -> Result<FeedbackRead, ServiceError> {
    // Saves and submissions of one interview happen one at a time.
    rows::lock_for_feedback(c, id.get())?;
    let (interview, lp, assigned) = own_interview(c, actor, id)?;
    takes_feedback(&lp)?;
    let stored = rows::find_by_interview(c, interview.id)?;
    if stored
        .as_ref()
        .is_some_and(|s| s.row.status == rows::SUBMITTED)
    {
        return Err(already_submitted());
    }
    let at = now();
    if interview.starts_at > at {
        return Err(ServiceError::conflict(
            "interview_not_started",
            "Feedback can be submitted once the interview has started.",
        ));
    }
    let draft = stored.as_ref().map(draft_of).unwrap_or_default();
    check_complete(&draft, &assigned, attested)?;
    let Some(stored) = stored else {
        return Err(ServiceError::Internal(anyhow::anyhow!(
            "complete feedback without a stored draft"
        )));
    };
    let timing = if lp.status == LoopStatus::InDebrief {
        Timing::LateAfterDebrief
    } else if at > interview.feedback_due_at {
        Timing::Late
    } else {
        Timing::OnTime
    };
    if !rows::submit(c, stored.row.id, at, timing.as_str())? {
        return Err(already_submitted());
    }
    audit::record(
        c,
        lp.id,
        Some(actor.id),
        "feedback_submitted",
        &json!({ "interview_id": interview.id, "interviewer_id": actor.id, "timing": timing }),
    )?;
    tracing::info!(interview.id = interview.id, loop.id = lp.id, "feedback submitted");
    // A follow-up asked for by "more signal" may complete with this feedback.
    more_signal::reopen_if_ready(c, lp.id, links)?;
    let stored = rows::find_by_interview(c, interview.id)?;
    Ok(read(&interview, stored.as_ref(), true))
}

/// The web form's submission: what is on the screen is saved as the draft,
/// then submitted with the attestation. A refused submission (incomplete,
/// not started) still keeps the draft: the save commits on its own first.
pub async fn save_and_submit(
    db: &Db,
    links: &Links,
    actor: &User,
    id: InterviewId,
    draft: Draft,
    attested: bool,
) -> Result<FeedbackRead, ServiceError> {
    let (actor, links) = (actor.clone(), links.clone());
    db.write(move |c| {
        save_draft_in(c, &actor, id, &draft)?;
        // A refusal (incomplete, not started) is checked before anything is
        // written, so the saved draft may commit; any other failure rolls back.
        match submit_in(c, &actor, id, attested, &links) {
            Ok(read) => Ok(Ok(read)),
            Err(refused @ (ServiceError::Invalid(_) | ServiceError::Conflict { .. })) => {
                Ok(Err(refused))
            }
            Err(other) => Err(other),
        }
    })
    .await?
}

/// The submitted feedback of a loop, behind the blind rule: a panel member
/// sees it once they submitted their own (403 `submit_own_feedback_first`
/// before); the loop's recruiter, a hiring manager who does not interview and
/// admins once the debrief is open (403 `debrief_not_open` before). Drafts are
/// never shown to anyone but their author.
pub async fn for_loop(
    db: &Db,
    actor: &User,
    id: LoopId,
) -> Result<Vec<FeedbackRead>, ServiceError> {
    let actor = actor.clone();
    db.run(move |c| {
        let (lp, access) = load_visible(c, id, &actor)?;
        let panel = loops::panel(c, lp.id)?;
        may_read(&lp, &panel, &access, actor.id)?;
        submitted(c, &lp, &panel)
    })
    .await
}

/// The blind rule (SPEC §3), for the feedback and the debrief packet alike: a
/// panel member reads the panel's feedback once they submitted their own; the
/// recruiter, a hiring manager who does not interview and admins once the
/// debrief is open. `access` says what the actor is to the loop (who may not
/// see the loop at all never gets here).
///
/// The panel at hand carries each interview's feedback status, so this asks
/// the database nothing.
pub fn may_read(
    lp: &InterviewLoop,
    panel: &[PanelEntry],
    access: &Access,
    actor_id: i64,
) -> Result<(), ServiceError> {
    if access.interviewer {
        let own = panel
            .iter()
            .find(|e| e.interview.interviewer_id == actor_id)
            .ok_or(ServiceError::NotFound)?;
        if own.feedback() != FeedbackStatus::Submitted {
            return Err(ServiceError::forbidden(
                "submit_own_feedback_first",
                "Submit your own feedback to see the panel's.",
            ));
        }
        Ok(())
    } else if lp.status.debrief_held() {
        Ok(())
    } else {
        Err(ServiceError::forbidden(
            "debrief_not_open",
            "The panel's feedback is shown once the debrief is open.",
        ))
    }
}

/// The submitted feedback of a loop's panel, in interview order, on `conn`.
pub fn submitted(
    c: &mut DbConn,
    lp: &InterviewLoop,
    panel: &[PanelEntry],
) -> Result<Vec<FeedbackRead>, ServiceError> {
    let submitted = rows::submitted_for_loop(c, lp.id)?;
    Ok(submitted_on_panel(&submitted, panel))
}

/// The submitted feedback `stored` (read with the debrief's record) of the
/// interviews on `panel`, in interview order.
pub fn submitted_on_panel(stored: &[Stored], panel: &[PanelEntry]) -> Vec<FeedbackRead> {
    stored
        .iter()
        .filter_map(|s| {
            panel
                .iter()
                .find(|e| e.interview.id == s.row.interview_id)
                .map(|e| read(&e.interview, Some(s), false))
        })
        .collect()
}

/// Everything the interviewer's page shows: the kit, their own feedback, and
/// (under the blind rule) the loop's submitted feedback with the names it needs.
#[derive(Debug, Clone)]
pub struct Desk {
    pub kit: crate::services::hiring::kit::Kit,
    pub own: FeedbackRead,
    /// The loop's submitted feedback, or why it is not shown yet.
    pub panel_feedback: Result<Vec<FeedbackRead>, String>,
    /// Names of the panel's interviewers and of every competency on the panel.
    pub people: std::collections::HashMap<i64, String>,
    pub competency_names: std::collections::HashMap<i64, String>,
}

/// The interviewer's page for one of their interviews, read in one go.
pub async fn desk(db: &Db, actor: &User, id: InterviewId) -> Result<Desk, ServiceError> {
    let actor = actor.clone();
    db.run(move |c| {
        let kit = crate::services::hiring::kit::kit_in(c, actor.id, id)?;
        let stored = rows::find_by_interview(c, kit.interview.id)?;
        let own = read(&kit.interview, stored.as_ref(), true);
        let (lp, access) = load_visible(c, LoopId(kit.lp.id), &actor)?;
        let panel = loops::panel(c, lp.id)?;
        let panel_feedback = match may_read(&lp, &panel, &access, actor.id) {
            Ok(()) => Ok(submitted(c, &lp, &panel)?),
            Err(ServiceError::Forbidden { detail, .. }) => Err(detail),
            Err(other) => return Err(other),
        };
        let people_ids: Vec<i64> = panel.iter().map(|e| e.interview.interviewer_id).collect();
        let people = crate::db::users::find_many(c, &people_ids)?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        let mut competency_ids: Vec<i64> = panel
            .iter()
            .flat_map(|e| e.competency_ids.clone())
            .collect();
        competency_ids.sort_unstable();
        competency_ids.dedup();
        let competency_names = crate::db::competencies::find_many(c, &competency_ids)?
            .into_iter()
            .map(|x| (x.id, x.name))
            .collect();
        Ok(Desk {
            kit,
            own,
            panel_feedback,
            people,
            competency_names,
        })
    })
    .await
}
