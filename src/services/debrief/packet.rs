//! The debrief packet: what a panel member, the hiring manager, the
//! recruiter or an admin reads of a loop in debrief — the evidence grouped by
//! competency with its divergence, the votes (sealed until every panel member
//! has re-voted), the notes, the decision, and the mechanical composite
//! beside them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::auth::Caller;
use crate::db::competencies;
use crate::db::debrief::{self as rows, Record};
use crate::db::loops::{self, InterviewLoop, PanelEntry};
use crate::db::users::User;
use crate::db::{Db, DbConn};
use crate::domain::debrief::{Composite, Submitted, composite, diverged, tally};
use crate::domain::feedback::{Rating, Vote};
use crate::domain::{LoopId, LoopStatus};
use crate::error::ServiceError;
use crate::services::feedback::{self, FeedbackRead};
use crate::services::hiring::access::load_visible;
use crate::services::hiring::more_signal::{self, SignalRecord};

use super::{Commitment, Note};

pub(super) fn composite_of(feedback: &[FeedbackRead]) -> Composite {
    let submitted: Vec<Submitted> = feedback
        .iter()
        .filter_map(|f| {
            Some(Submitted {
                vote: f.draft.vote?,
                ratings: f
                    .draft
                    .ratings
                    .iter()
                    .filter_map(|r| Some((r.competency_id, r.rating?)))
                    .collect(),
            })
        })
        .collect();
    composite(&submitted)
}

/// One interviewer's rating and evidence for a competency.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Evidence {
    pub interview_id: i64,
    pub interviewer_id: i64,
    pub rating: Option<Rating>,
    pub evidence: String,
}

/// A competency with every interviewer's evidence side by side.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CompetencyEvidence {
    pub competency_id: i64,
    pub name: String,
    pub ratings: Vec<Evidence>,
    pub lowest: Option<Rating>,
    pub highest: Option<Rating>,
    pub diverged: bool,
    /// Only one interviewer assessed it: the room asks them to present it.
    pub lone_witness: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VoteChange {
    pub vote: Vote,
    pub reason: Option<String>,
    pub cast_at: DateTime<Utc>,
}

/// A panel member's initial vote (from their feedback) and final vote, with
/// every change. Until the reveal another member's `final` is null and their
/// `changes` empty; `has_final_vote` says whether they have voted.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Votes {
    pub user_id: i64,
    pub initial: Option<Vote>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub timing: Option<crate::domain::feedback::Timing>,
    #[serde(rename = "final")]
    pub final_vote: Option<Vote>,
    pub has_final_vote: bool,
    pub changes: Vec<VoteChange>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReadReceipt {
    pub user_id: i64,
    pub read_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Decision {
    pub decision: String,
    pub rationale: Option<String>,
    pub decided_by_id: Option<i64>,
    pub decided_at: Option<DateTime<Utc>>,
    pub agrees_with_composite: bool,
    pub composite: Option<Composite>,
}

/// The debrief packet (SPEC §4).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Packet {
    pub loop_id: i64,
    pub status: LoopStatus,
    pub opened_at: Option<DateTime<Utc>>,
    pub opened_by_id: Option<i64>,
    pub override_reason: Option<String>,
    pub missing_interview_ids: Vec<i64>,
    pub competencies: Vec<CompetencyEvidence>,
    pub summaries: Vec<Summary>,
    pub composite: Composite,
    /// Whether the final votes are revealed: every panel member who submitted
    /// feedback has cast one, or the debrief is closed (sealed re-votes).
    pub votes_revealed: bool,
    pub votes: Vec<Votes>,
    pub tally: Tally,
    pub read_receipts: Vec<ReadReceipt>,
    pub notes: Vec<Note>,
    pub recommendation: Option<String>,
    pub veto: bool,
    pub rationale: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub decision: Option<Decision>,
    pub commitments: Vec<Commitment>,
    /// Every request for more signal, oldest first, with what was said.
    pub more_signal: Vec<SignalRecord>,
}

/// Each interviewer's summary.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub interviewer_id: i64,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Tally {
    pub initial: BTreeMap<&'static str, usize>,
    #[serde(rename = "final")]
    pub final_votes: BTreeMap<&'static str, usize>,
}

/// Builds the packet as `viewer` may read it, in a fixed number of queries
/// whatever the panel size. Competencies come in the order of disagreement
/// (diverged first, then the widest spread); final votes are sealed until the
/// reveal, except the viewer's own. `None` builds it unsealed, for the live
/// feed that then seals each event for each of its viewers (never answered
/// as it is).
pub(super) fn packet(
    c: &mut DbConn,
    lp: InterviewLoop,
    panel: Vec<PanelEntry>,
    viewer: Option<i64>,
) -> Result<Packet, ServiceError> {
    let mut record: Record = rows::record(c, lp.id)?;
    let submitted = feedback::submitted_on_panel(&record.submitted, &panel);
    let more_signal = more_signal::history_of(std::mem::take(&mut record.signal_requests), &panel);
    let basis = Basis {
        submitted: &submitted,
        record: &record,
        more_signal,
        names: &HashMap::new(),
    };
    packet_with(c, lp, panel, viewer, basis)
}

/// What a packet is built from that the debrief room has read already.
pub(super) struct Basis<'a> {
    pub submitted: &'a [FeedbackRead],
    pub record: &'a Record,
    pub more_signal: Vec<SignalRecord>,
    /// Competency names at hand; any the packet needs beyond them are read.
    pub names: &'a HashMap<i64, String>,
}

/// [`packet`] from what was read already (the room's one read of the
/// feedback, the debrief's record and the requests for more signal).
pub(super) fn packet_with(
    c: &mut DbConn,
    lp: InterviewLoop,
    panel: Vec<PanelEntry>,
    viewer: Option<i64>,
    basis: Basis<'_>,
) -> Result<Packet, ServiceError> {
    let Basis {
        submitted,
        record,
        more_signal,
        names: known,
    } = basis;
    let mut competency_ids: BTreeSet<i64> = panel
        .iter()
        .flat_map(|e| e.competency_ids.iter().copied())
        .collect();
    competency_ids.extend(
        submitted
            .iter()
            .flat_map(|f| f.draft.ratings.iter().map(|r| r.competency_id)),
    );
    let ids: Vec<i64> = competency_ids.iter().copied().collect();
    let names: HashMap<i64, String> = if ids.iter().all(|id| known.contains_key(id)) {
        known.clone()
    } else {
        competencies::find_many(c, &ids)?
            .into_iter()
            .map(|x| (x.id, x.name))
            .collect()
    };
    let mut competencies: Vec<CompetencyEvidence> = ids
        .iter()
        .map(|cid| {
            let ratings: Vec<Evidence> = submitted
                .iter()
                .filter_map(|f| {
                    f.draft
                        .ratings
                        .iter()
                        .find(|r| r.competency_id == *cid)
                        .map(|r| Evidence {
                            interview_id: f.interview_id,
                            interviewer_id: f.interviewer_id,
                            rating: r.rating,
                            evidence: r.evidence.clone(),
                        })
                })
                .collect();
            let values: Vec<Rating> = ratings.iter().filter_map(|r| r.rating).collect();
            CompetencyEvidence {
                competency_id: *cid,
                name: names.get(cid).cloned().unwrap_or_default(),
                lowest: values.iter().min().copied(),
                highest: values.iter().max().copied(),
                diverged: diverged(&values),
                lone_witness: ratings.len() == 1,
                ratings,
            }
        })
        .collect();
    competencies.sort_by_key(|c| std::cmp::Reverse(disagreement(c)));
    let submitters: BTreeSet<i64> = submitted.iter().map(|f| f.interviewer_id).collect();
    let voted: BTreeSet<i64> = record.votes.iter().map(|v| v.user_id).collect();
    let revealed = votes_revealed(lp.status, &submitters, &voted);
    let mut votes: Vec<Votes> = panel
        .iter()
        .map(|e| {
            let user = e.interview.interviewer_id;
            let own = submitted.iter().find(|f| f.interviewer_id == user);
            let changes: Vec<VoteChange> = record
                .votes
                .iter()
                .filter(|v| v.user_id == user)
                .filter_map(|v| {
                    Some(VoteChange {
                        vote: v.vote.parse().ok()?,
                        reason: v.reason.clone(),
                        cast_at: v.cast_at.and_utc(),
                    })
                })
                .collect();
            Votes {
                user_id: user,
                initial: own.and_then(|f| f.draft.vote),
                submitted_at: own.and_then(|f| f.submitted_at).map(|t| t.and_utc()),
                timing: own.and_then(|f| f.timing),
                final_vote: changes.last().map(|c| c.vote),
                has_final_vote: !changes.is_empty(),
                changes,
            }
        })
        .collect();
    let tally = Tally {
        initial: tally(votes.iter().filter_map(|v| v.initial)),
        final_votes: if revealed || viewer.is_none() {
            tally(votes.iter().filter_map(|v| v.final_vote))
        } else {
            BTreeMap::new()
        },
    };
    if let (false, Some(viewer)) = (revealed, viewer) {
        for v in votes.iter_mut().filter(|v| v.user_id != viewer) {
            v.final_vote = None;
            v.changes.clear();
        }
    }
    let debrief = record.debrief.as_ref();
    let decision = debrief.and_then(|d| {
        let decision = d.decision.clone()?;
        let composite: Option<Composite> = d
            .composite_at_decision
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok());
        Some(Decision {
            agrees_with_composite: composite.as_ref().is_some_and(|c| c.band == decision),
            decision,
            rationale: d.decision_rationale.clone(),
            decided_by_id: d.decided_by_id,
            decided_at: d.decided_at.map(|t| t.and_utc()),
            composite,
        })
    });
    Ok(Packet {
        loop_id: lp.id,
        status: lp.status,
        opened_at: debrief.map(|d| d.opened_at.and_utc()),
        opened_by_id: debrief.map(|d| d.opened_by_id),
        override_reason: debrief.and_then(|d| d.override_reason.clone()),
        missing_interview_ids: debrief
            .and_then(|d| serde_json::from_str(&d.missing_interview_ids).ok())
            .unwrap_or_default(),
        composite: composite_of(submitted),
        votes_revealed: revealed,
        summaries: submitted
            .iter()
            .map(|f| Summary {
                interviewer_id: f.interviewer_id,
                summary: f.draft.summary.clone(),
            })
            .collect(),
        competencies,
        votes,
        tally,
        read_receipts: record
            .reads
            .iter()
            .map(|r| ReadReceipt {
                user_id: r.user_id,
                read_at: r.read_at.and_utc(),
            })
            .collect(),
        notes: record
            .notes
            .iter()
            .map(|n| Note {
                id: n.id,
                competency_id: n.competency_id,
                text: n.text.clone(),
                created_at: n.created_at.and_utc(),
            })
            .collect(),
        recommendation: debrief.and_then(|d| d.recommendation.clone()),
        veto: debrief.is_some_and(|d| d.veto),
        rationale: debrief.and_then(|d| d.rationale.clone()),
        closed_at: debrief.and_then(|d| d.closed_at).map(|t| t.and_utc()),
        decision,
        commitments: record
            .commitments
            .iter()
            .map(|x| Commitment {
                user_id: x.user_id,
                dissent: x.dissent.clone(),
                committed_at: x.committed_at.and_utc(),
            })
            .collect(),
        more_signal,
    })
}

/// How far apart a competency's ratings are, for the room's order: diverged
/// ones first, then by spread, then lone witnesses (which need presenting).
fn disagreement(c: &CompetencyEvidence) -> (bool, u8, bool) {
    let spread = match (c.lowest, c.highest) {
        (Some(lo), Some(hi)) => hi.get() - lo.get(),
        _ => 0,
    };
    (c.diverged, spread, c.lone_witness)
}

/// Sealed re-votes (SPEC §4): the final votes are revealed together once every
/// panel member who submitted feedback has cast one, or once the debrief is
/// closed (closing needs them all anyway).
pub(super) fn votes_revealed(
    status: LoopStatus,
    submitters: &BTreeSet<i64>,
    voted: &BTreeSet<i64>,
) -> bool {
    match status {
        LoopStatus::InDebrief | LoopStatus::Cancelled => {
            !submitters.is_empty() && submitters.is_subset(voted)
        }
        LoopStatus::AwaitingDecision | LoopStatus::Decided => true,
        _ => false,
    }
}

/// The packet for participants and admins, behind the blind rule.
pub fn packet_in(conn: &mut DbConn, actor: &User, id: LoopId) -> Result<Packet, ServiceError> {
    let (lp, access) = load_visible(conn, id, actor)?;
    let panel = loops::panel(conn, lp.id)?;
    feedback::may_read(&lp, &panel, &access, actor.id)?;
    packet(conn, lp, panel, Some(actor.id))
}

/// `GET /loops/{id}/debrief`.
pub async fn get_packet(db: &Db, caller: Caller, id: LoopId) -> Result<Packet, ServiceError> {
    caller
        .run(db, move |c, actor| packet_in(c, actor, id))
        .await
}
