//! The debrief: the bar raiser opens it once the panel's feedback is in, the
//! panel reads the packet and re-votes, the bar raiser notes and closes it
//! with a recommendation (and rarely a veto), the hiring manager decides, and
//! the panel commits. The mechanical composite stands beside it all. Every
//! step runs under the loop's row lock and is an event of its audit chain,
//! and no event carries feedback content or a vote.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;

use crate::db::debrief::{self as rows};
use crate::db::loops::{self, InterviewLoop, LoopChanges, PanelEntry};
use crate::db::users::User;
use crate::db::{Db, DbConn, now, requisitions};
use crate::domain::debrief::{Conclusion, Verdict};
use crate::domain::feedback::Vote;
use crate::domain::{LongText, LoopId, LoopStatus};
use crate::error::ServiceError;
use crate::links::Links;
use crate::mail::templates;
use crate::services::feedback::{self};
use crate::services::hiring::access::{Access, load_visible};
use crate::services::hiring::loop_mail::mail_people;
use crate::services::hiring::read::{self, LoopRead};
use crate::services::hiring::{audit, independence, more_signal};

pub mod live;
mod packet;
mod room;
pub use packet::{
    CompetencyEvidence, Decision, Evidence, Packet, ReadReceipt, Summary, Tally, VoteChange, Votes,
    get_packet, packet_in,
};
use packet::{composite_of, packet, votes_revealed};
pub use room::{Actions, Member, MemberState, Room, room, room_as, room_in, room_with_user};

fn only(code: &'static str, who: &str) -> ServiceError {
    ServiceError::forbidden(code, format!("Only the loop's {who} may do this."))
}

fn not_open() -> ServiceError {
    ServiceError::conflict("debrief_not_open", "The loop's debrief is not open.")
}

/// The loop, locked, and what the actor is to it.
fn locked(
    c: &mut DbConn,
    id: LoopId,
    actor: &User,
) -> Result<(InterviewLoop, Access), ServiceError> {
    loops::lock(c, id.get())?;
    load_visible(c, id, actor)
}

/// The loop, locked, for a panel member's step in its open debrief (a read
/// receipt, a vote): 403 `panel_only` for anyone else, 409 `debrief_not_open`.
fn open_to_panel_member(
    c: &mut DbConn,
    id: LoopId,
    actor: &User,
) -> Result<(InterviewLoop, Access), ServiceError> {
    let (lp, access) = locked(c, id, actor)?;
    if !access.interviewer {
        return Err(only("panel_only", "panel members"));
    }
    if lp.status != LoopStatus::InDebrief {
        return Err(not_open());
    }
    Ok((lp, access))
}

fn set_status(
    c: &mut DbConn,
    lp: &InterviewLoop,
    next: LoopStatus,
) -> Result<InterviewLoop, ServiceError> {
    Ok(loops::update(
        c,
        lp.id,
        &LoopChanges {
            status: Some(next.as_str().into()),
            updated_at: Some(now()),
            ..Default::default()
        },
    )?)
}

fn panel_ids(panel: &[PanelEntry]) -> Vec<i64> {
    panel.iter().map(|e| e.interview.interviewer_id).collect()
}

/// Opens the debrief (its bar raiser only, from `scheduled`, with a green
/// report, and with every interview's feedback submitted unless an
/// `override_reason` is given, which is recorded with the missing interviews).
pub async fn open(
    db: &Db,
    links: &Links,
    actor: &User,
    id: LoopId,
    override_reason: Option<LongText>,
) -> Result<LoopRead, ServiceError> {
    let (actor, links) = (actor.clone(), links.clone());
    db.write(move |c| {
        let (lp, access) = locked(c, id, &actor)?;
        if !access.bar_raiser {
            return Err(only("bar_raiser_only", "bar raiser"));
        }
        let next = lp.status.open_debrief()?;
        let panel = loops::panel(c, lp.id)?;
        let report = independence::evaluate_with_panel(c, &lp, &panel)?;
        if !report.ok {
            return Err(ServiceError::StillRed {
                failing: report.failing().cloned().collect(),
            });
        }
        let submitted: BTreeSet<i64> = feedback::submitted(c, &lp, &panel)?
            .iter()
            .map(|f| f.interview_id)
            .collect();
        let missing: Vec<i64> = panel
            .iter()
            .map(|e| e.interview.id)
            .filter(|i| !submitted.contains(i))
            .collect();
        if !missing.is_empty() && override_reason.is_none() {
            return Err(ServiceError::FeedbackIncomplete {
                missing_interview_ids: missing,
            });
        }
        let reason = override_reason.as_ref().map(AsRef::as_ref);
        if rows::exists(c, lp.id)? {
            // Held before and sent back for more signal: it reopens as it was.
            let lp = more_signal::reopen(c, &lp, &panel, Some((&actor, reason)), &links)?;
            return Ok(LoopRead { lp, panel, report });
        }
        let at = now();
        rows::open(c, lp.id, actor.id, at, reason, &json!(missing).to_string())?;
        let lp = set_status(c, &lp, next)?;
        audit::record(
            c,
            lp.id,
            Some(actor.id),
            "debrief_opened",
            &json!({ "override_reason": reason, "missing_interview_ids": missing }),
        )?;
        let mut recipients = panel_ids(&panel);
        recipients.extend([lp.hiring_manager_id, lp.recruiter_id]);
        let url = links.debrief_room(id);
        mail_people(c, "debrief_opened", &lp, &recipients, |about| {
            templates::debrief_opened(about, &actor.name, &url)
        })?;
        tracing::info!(loop.id = lp.id, overridden = reason.is_some(), "debrief opened");
        Ok(LoopRead { lp, panel, report })
    })
    .await
}

/// A panel member's packet in the open debrief: marks it read (once) and
/// answers it. The blind rule applies: one reads after submitting.
pub async fn mark_read(db: &Db, actor: &User, id: LoopId) -> Result<Packet, ServiceError> {
    let actor = actor.clone();
    db.write(move |c| {
        let (lp, access) = open_to_panel_member(c, id, &actor)?;
        let panel = loops::panel(c, lp.id)?;
        feedback::may_read(&lp, &panel, &access, actor.id)?;
        if rows::mark_read(c, lp.id, actor.id, now())? {
            audit::record(c, lp.id, Some(actor.id), "packet_read", &json!({}))?;
        }
        packet(c, lp, panel, Some(actor.id))
    })
    .await
}

/// A panel member's final vote (after their read receipt): a reason is needed
/// when it differs from the vote of their feedback; every change is kept.
pub async fn vote(
    db: &Db,
    actor: &User,
    id: LoopId,
    vote: Vote,
    reason: Option<LongText>,
) -> Result<Packet, ServiceError> {
    let actor = actor.clone();
    db.write(move |c| {
        let (lp, _) = open_to_panel_member(c, id, &actor)?;
        let record = rows::record(c, lp.id)?;
        if !record.reads.iter().any(|r| r.user_id == actor.id) {
            return Err(ServiceError::conflict(
                "packet_not_read",
                "Read the packet (POST …/debrief/read) before voting.",
            ));
        }
        let panel = loops::panel(c, lp.id)?;
        let submitted = feedback::submitted(c, &lp, &panel)?;
        let submitters: BTreeSet<i64> = submitted.iter().map(|f| f.interviewer_id).collect();
        let mut voted: BTreeSet<i64> = record.votes.iter().map(|v| v.user_id).collect();
        let sealed_before = !votes_revealed(lp.status, &submitters, &voted);
        let initial = submitted
            .into_iter()
            .find(|f| f.interviewer_id == actor.id)
            .and_then(|f| f.draft.vote)
            .ok_or_else(|| {
                ServiceError::forbidden(
                    "submit_own_feedback_first",
                    "Submit your own feedback to vote.",
                )
            })?;
        if vote != initial && reason.is_none() {
            return Err(ServiceError::field(
                "reason",
                format!("must say why the vote differs from your feedback's {initial}"),
            ));
        }
        rows::add_vote(
            c,
            lp.id,
            actor.id,
            vote.as_str(),
            reason.as_ref().map(AsRef::as_ref),
            now(),
        )?;
        // Who voted, not how: a panel member still writing feedback can read the log.
        audit::record(c, lp.id, Some(actor.id), "final_vote_cast", &json!({}))?;
        voted.insert(actor.id);
        if sealed_before && votes_revealed(lp.status, &submitters, &voted) {
            // The last vote: all are revealed together (the log says when, not what).
            audit::record(c, lp.id, None, "votes_revealed", &json!({}))?;
        }
        packet(c, lp, panel, Some(actor.id))
    })
    .await
}

/// A note of the bar raiser's, optionally about one of the loop's competencies.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Note {
    pub id: i64,
    pub competency_id: Option<i64>,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

pub async fn add_note(
    db: &Db,
    actor: &User,
    id: LoopId,
    competency_id: Option<i64>,
    text: LongText,
) -> Result<Note, ServiceError> {
    let actor = actor.clone();
    db.write(move |c| {
        let (lp, access) = locked(c, id, &actor)?;
        if !access.bar_raiser {
            return Err(only("bar_raiser_only", "bar raiser"));
        }
        if lp.status != LoopStatus::InDebrief {
            return Err(not_open());
        }
        if let Some(cid) = competency_id {
            let panel = loops::panel(c, lp.id)?;
            let mut known: BTreeSet<i64> = panel
                .iter()
                .flat_map(|e| e.competency_ids.iter().copied())
                .collect();
            known.extend(requisitions::competency_ids(c, lp.requisition_id)?);
            if !known.contains(&cid) {
                return Err(ServiceError::field(
                    "competency_id",
                    "is not a competency of this loop",
                ));
            }
        }
        let at = now();
        let note_id = rows::add_note(c, lp.id, actor.id, competency_id, text.as_ref(), at)?;
        audit::record(
            c,
            lp.id,
            Some(actor.id),
            "debrief_note",
            &json!({ "note_id": note_id, "competency_id": competency_id }),
        )?;
        Ok(Note {
            id: note_id,
            competency_id,
            text: text.into_string(),
            created_at: at.and_utc(),
        })
    })
    .await
}

/// Closes the debrief (its bar raiser only): with a verdict once every panel
/// member who submitted feedback has a final vote (a veto goes only with
/// `no_hire`), or with more signal on named competencies, which sends the
/// loop back for a follow-up interview (SPEC §11).
pub async fn close(
    db: &Db,
    links: &Links,
    actor: &User,
    id: LoopId,
    conclusion: Conclusion,
    veto: bool,
    rationale: LongText,
) -> Result<LoopRead, ServiceError> {
    if veto && conclusion != Conclusion::Verdict(Verdict::NoHire) {
        return Err(ServiceError::field(
            "veto",
            "a veto goes only with a no_hire recommendation",
        ));
    }
    let (actor, links) = (actor.clone(), links.clone());
    db.write(move |c| {
        let (lp, access) = locked(c, id, &actor)?;
        if !access.bar_raiser {
            return Err(only("bar_raiser_only", "bar raiser"));
        }
        let next = lp.status.close_debrief()?;
        let recommendation = match &conclusion {
            Conclusion::Verdict(v) => *v,
            Conclusion::MoreSignal(competency_ids) => {
                let ask = more_signal::Ask {
                    actor: &actor,
                    requester: more_signal::Requester::BarRaiser,
                    competency_ids,
                    rationale: rationale.as_ref(),
                };
                let lp = more_signal::request(c, &lp, &ask, None, &links)?;
                return read::read_one(c, lp);
            }
        };
        let panel = loops::panel(c, lp.id)?;
        let record = rows::record(c, lp.id)?;
        let voted: BTreeSet<i64> = record.votes.iter().map(|v| v.user_id).collect();
        let missing: Vec<i64> = feedback::submitted(c, &lp, &panel)?
            .iter()
            .map(|f| f.interviewer_id)
            .filter(|u| !voted.contains(u))
            .collect();
        if !missing.is_empty() {
            return Err(ServiceError::VotesMissing {
                missing_user_ids: missing,
            });
        }
        let at = now();
        if !rows::close(
            c,
            lp.id,
            recommendation.as_str(),
            veto,
            rationale.as_ref(),
            at,
        )? {
            return Err(not_open());
        }
        let lp = set_status(c, &lp, next)?;
        audit::record(
            c,
            lp.id,
            Some(actor.id),
            "debrief_closed",
            &json!({ "recommendation": recommendation, "veto": veto }),
        )?;
        tracing::info!(loop.id = lp.id, "debrief closed");
        read::read_one(c, lp)
    })
    .await
}

/// Records the decision (its hiring manager only, once, from
/// `awaiting_decision`); `hire` on a vetoed loop is refused. The decision
/// keeps the composite as it stood. `more_signal` (once per loop, not on a
/// vetoed loop) sends the loop back for a follow-up interview instead.
pub async fn decide(
    db: &Db,
    links: &Links,
    actor: &User,
    id: LoopId,
    conclusion: Conclusion,
    rationale: LongText,
) -> Result<LoopRead, ServiceError> {
    let (actor, links) = (actor.clone(), links.clone());
    db.write(move |c| {
        let (lp, access) = locked(c, id, &actor)?;
        if !access.hiring_manager {
            return Err(only("hiring_manager_only", "hiring manager"));
        }
        let next = lp.status.decide()?;
        let record = rows::record(c, lp.id)?;
        let debrief = record.debrief.ok_or_else(not_open)?;
        if debrief.veto && conclusion != Conclusion::Verdict(Verdict::NoHire) {
            return Err(ServiceError::conflict(
                "vetoed",
                "The bar raiser vetoed this candidate; the loop can only be decided no hire.",
            ));
        }
        let decision = match &conclusion {
            Conclusion::Verdict(v) => *v,
            Conclusion::MoreSignal(competency_ids) => {
                let ask = more_signal::Ask {
                    actor: &actor,
                    requester: more_signal::Requester::HiringManager,
                    competency_ids,
                    rationale: rationale.as_ref(),
                };
                let lp = more_signal::request(c, &lp, &ask, Some(&debrief), &links)?;
                return read::read_one(c, lp);
            }
        };
        let panel = loops::panel(c, lp.id)?;
        let composite = composite_of(&feedback::submitted(c, &lp, &panel)?);
        let at = now();
        let snapshot =
            serde_json::to_string(&composite).map_err(|e| ServiceError::Internal(e.into()))?;
        if !rows::decide(
            c,
            lp.id,
            decision.as_str(),
            rationale.as_ref(),
            actor.id,
            at,
            &snapshot,
            composite.band == decision.as_str(),
        )? {
            return Err(ServiceError::conflict(
                "already_decided",
                "The loop was decided.",
            ));
        }
        let lp = set_status(c, &lp, next)?;
        let agrees = composite.band == decision.as_str();
        audit::record(
            c,
            lp.id,
            Some(actor.id),
            "decision_recorded",
            &json!({ "decision": decision, "agrees_with_composite": agrees }),
        )?;
        let mut recipients = panel_ids(&panel);
        recipients.push(lp.recruiter_id);
        let url = links.debrief_room(id);
        mail_people(c, "decision_recorded", &lp, &recipients, |about| {
            templates::decision_recorded(about, decision.as_str(), &url)
        })?;
        tracing::info!(loop.id = lp.id, "decision recorded");
        read::read_one(c, lp)
    })
    .await
}

/// A panel member commits to the decision, once, with an optional dissent.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Commitment {
    pub user_id: i64,
    pub dissent: Option<String>,
    pub committed_at: DateTime<Utc>,
}

pub async fn commit(
    db: &Db,
    actor: &User,
    id: LoopId,
    dissent: Option<LongText>,
) -> Result<Commitment, ServiceError> {
    let actor = actor.clone();
    db.write(move |c| {
        let (lp, access) = locked(c, id, &actor)?;
        if !access.interviewer {
            return Err(only("panel_only", "panel members"));
        }
        if lp.status != LoopStatus::Decided {
            return Err(ServiceError::conflict(
                "not_decided",
                "Commitments follow the decision.",
            ));
        }
        let at = now();
        let dissent = dissent.map(LongText::into_string);
        if !rows::commit(c, lp.id, actor.id, dissent.as_deref(), at)? {
            return Err(ServiceError::conflict(
                "already_committed",
                "You already committed to this decision.",
            ));
        }
        audit::record(
            c,
            lp.id,
            Some(actor.id),
            "commitment_recorded",
            &json!({ "dissent": dissent.is_some() }),
        )?;
        Ok(Commitment {
            user_id: actor.id,
            dissent,
            committed_at: at.and_utc(),
        })
    })
    .await
}
