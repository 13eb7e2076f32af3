//! The debrief room as one person sees it: the loop's state, each interview's
//! feedback status, the packet (when the blind rule lets them read it), each
//! panel member's state in words, and the actions this person may take now.
//! The actions are decided here by the same rules the actions themselves
//! check, so a page offers a button only when pressing it would succeed.

use std::collections::{BTreeSet, HashMap};

use crate::db::DbConn;
use crate::db::loops::{self, InterviewLoop, PanelEntry};
use crate::db::names_cache::{NamesReader, Wanted};
use crate::db::users::User;
use crate::domain::feedback::{FeedbackStatus, Rating, Vote};
use crate::domain::{LoopId, LoopStatus};
use crate::error::ServiceError;
use crate::services::feedback;
use crate::services::hiring::access::{Access, visible_with_panel};
use crate::services::hiring::debrief_proposal::{self, DebriefProposal};
use crate::services::hiring::independence;
use crate::services::hiring::more_signal::{self, SignalRequest};

use super::Packet;
use super::packet::{Basis, packet_with};

/// Where a panel member stands in the debrief, in words on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberState {
    /// Their feedback is not submitted (only possible after an override).
    NoFeedback,
    NotRead,
    Read,
    Voted,
}

impl MemberState {
    pub fn words(self) -> &'static str {
        match self {
            MemberState::NoFeedback => "no feedback",
            MemberState::NotRead => "not read yet",
            MemberState::Read => "read",
            MemberState::Voted => "voted",
        }
    }
}

/// One interview of the panel and its member.
#[derive(Debug, Clone)]
pub struct Member {
    pub interview_id: i64,
    pub user_id: i64,
    pub name: String,
    pub feedback: FeedbackStatus,
    pub initial: Option<Vote>,
    pub state: MemberState,
    pub committed: bool,
}

/// What the viewer may do in the room now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actions {
    /// Open the debrief (the bar raiser, from `scheduled`, with a green report).
    pub open: bool,
    /// Opening needs an `override_reason`: these interviews have no submitted feedback.
    pub missing_interview_ids: Vec<i64>,
    /// Mark the packet read (a panel member who submitted, once).
    pub read: bool,
    /// Cast or change a final vote (after one's read receipt).
    pub vote: bool,
    /// Add notes (the bar raiser, while open).
    pub note: bool,
    /// Close the debrief (the bar raiser, once every submitter has voted).
    pub close: bool,
    /// Panel members whose final vote the close still waits for.
    pub votes_missing: Vec<i64>,
    /// Ask for more signal: the bar raiser while the debrief is open, or the
    /// hiring manager once per loop while deciding (not on a vetoed loop).
    pub more_signal: bool,
    /// Record the decision (the hiring manager, after the close).
    pub decide: bool,
    /// Whether `hire` may be decided (no veto).
    pub decide_hire: bool,
    /// Commit to the decision (a panel member, once, after it).
    pub commit: bool,
}

/// The room for one viewer.
#[derive(Debug, Clone)]
pub struct Room {
    pub lp: InterviewLoop,
    pub access: Access,
    pub viewer_id: i64,
    /// The viewer's time zone: the room shows times in it.
    pub viewer_zone: crate::domain::TimeZone,
    pub candidate_name: String,
    pub role_title: String,
    pub people: HashMap<i64, String>,
    /// The loop's competencies in the requisition's and panel's order, with names.
    pub competencies: Vec<(i64, String)>,
    /// The words of each rating's anchor, per competency.
    pub anchors: HashMap<(i64, u8), String>,
    pub members: Vec<Member>,
    pub report_ok: bool,
    /// The packet, when the debrief has opened and the blind rule lets the viewer read it.
    pub packet: Option<Packet>,
    /// Why the packet is not shown, when it is not.
    pub packet_withheld: Option<String>,
    /// Whether the viewer sees the votes panel: after their own read receipt
    /// for a panel member (evidence before preferences), at once for others.
    pub votes_open: bool,
    pub actions: Actions,
    /// The sequence number of the loop's latest event: a live page resumes after it.
    pub seq: i64,
    /// What became of the hire, after a hire, for those who may see it (else empty).
    pub outcomes: Vec<crate::db::outcomes::Outcome>,
    /// The loop's requests for more signal, oldest first (no debrief content).
    pub signal_requests: Vec<SignalRequest>,
    /// The debrief proposed for a scheduled loop.
    pub proposal: Option<DebriefProposal>,
}

impl Room {
    /// The request whose follow-up the loop awaits, if any.
    pub fn awaited_signal(&self) -> Option<&SignalRequest> {
        self.signal_requests
            .last()
            .filter(|r| r.reopened_at.is_none() && self.lp.status == LoopStatus::Scheduled)
    }
}

impl Room {
    pub fn name(&self, id: i64) -> String {
        self.people
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("person {id}"))
    }

    /// The words of `rating`'s anchor for `competency_id`.
    pub fn anchor(&self, competency_id: i64, rating: Rating) -> &str {
        self.anchors
            .get(&(competency_id, rating.get()))
            .map_or("", String::as_str)
    }
}

/// The room of loop `id` for `actor` (a 404 for anyone who may not see the loop).
pub fn room_in(c: &mut DbConn, actor: &User, id: LoopId) -> Result<Room, ServiceError> {
    let found = crate::db::loops::with_panel(c, id.get())?;
    room_of(c, actor, found, NamesReader::fresh())
}

/// [`room_in`] from the loop and its panel as read already.
fn room_of(
    c: &mut DbConn,
    actor: &User,
    found: Option<crate::db::loops::LoopWithPanel>,
    names: NamesReader,
) -> Result<Room, ServiceError> {
    let (lp, panel) = visible_with_panel(found, actor)?;
    let access = Access::with_panel(&lp, &panel, actor);
    let mut record = crate::db::debrief::record(c, lp.id)?;
    let submitted = feedback::submitted_on_panel(&record.submitted, &panel);
    let initial: HashMap<i64, Vote> = submitted
        .iter()
        .filter_map(|f| Some((f.interviewer_id, f.draft.vote?)))
        .collect();
    let reads: BTreeSet<i64> = record.reads.iter().map(|r| r.user_id).collect();
    let voted: BTreeSet<i64> = record.votes.iter().map(|v| v.user_id).collect();
    let committed: BTreeSet<i64> = record.commitments.iter().map(|x| x.user_id).collect();

    // The trail comes with the names (one statement); the room needs only
    // its last sequence number, which its live updates follow.
    let facts = names.facts(
        c,
        &lp,
        &panel,
        Wanted {
            hire: false,
            library: true,
        },
    )?;
    // Borrowed from the kept read; the room keeps copies of the names only.
    let crate::db::names_cache::LoopFacts {
        names:
            loops::LoopNames {
                candidate: candidate_name,
                role: role_title,
                people,
                ..
            },
        trail,
        library,
        ..
    } = &*facts;
    let library = library.as_deref().unwrap_or_default();
    // The role's competencies by id, then the panel's others in its order.
    let mut competency_ids: Vec<i64> = library
        .iter()
        .filter(|(_, of_role)| *of_role)
        .map(|(x, _)| x.id)
        .collect();
    competency_ids.sort_unstable();
    for e in &panel {
        for cid in &e.competency_ids {
            if !competency_ids.contains(cid) {
                competency_ids.push(*cid);
            }
        }
    }
    let mut anchors = HashMap::new();
    for (x, _) in library {
        for (n, text) in [&x.anchor_1, &x.anchor_2, &x.anchor_3, &x.anchor_4]
            .into_iter()
            .enumerate()
        {
            anchors.insert((x.id, n as u8 + 1), text.clone());
        }
    }
    let names: HashMap<i64, String> = library
        .iter()
        .map(|(x, _)| (x.id, x.name.clone()))
        .collect();
    let competencies = competency_ids
        .iter()
        .filter_map(|id| Some((*id, names.get(id)?.clone())))
        .collect();

    let members: Vec<Member> = panel
        .iter()
        .map(|e| {
            let user = e.interview.interviewer_id;
            let status = e.feedback();
            let state = if status != FeedbackStatus::Submitted {
                MemberState::NoFeedback
            } else if voted.contains(&user) {
                MemberState::Voted
            } else if reads.contains(&user) {
                MemberState::Read
            } else {
                MemberState::NotRead
            };
            Member {
                interview_id: e.interview.id,
                user_id: user,
                name: people.get(&user).cloned().unwrap_or_default(),
                feedback: status,
                initial: initial.get(&user).copied(),
                state,
                committed: committed.contains(&user),
            }
        })
        .collect();

    let report_ok = if lp.status == LoopStatus::Scheduled {
        independence::evaluate_with_panel(c, &lp, &panel)?.ok
    } else {
        true
    };
    let viewer_submitted = initial.contains_key(&actor.id);
    let viewer_read = reads.contains(&actor.id);
    let status = lp.status;
    let open = status == LoopStatus::InDebrief;
    let votes_missing: Vec<i64> = submitted
        .iter()
        .map(|f| f.interviewer_id)
        .filter(|u| !voted.contains(u))
        .collect();
    let vetoed = record.debrief.as_ref().is_some_and(|d| d.veto);
    let signal_history =
        more_signal::history_of(std::mem::take(&mut record.signal_requests), &panel);
    let signal_requests: Vec<SignalRequest> =
        signal_history.iter().map(|r| r.request.clone()).collect();
    let actions = Actions {
        open: access.bar_raiser && status.open_debrief().is_ok() && report_ok,
        missing_interview_ids: if status == LoopStatus::Scheduled {
            missing_interviews(&panel)
        } else {
            Vec::new()
        },
        read: access.interviewer && open && viewer_submitted && !viewer_read,
        vote: access.interviewer && open && viewer_submitted && viewer_read,
        note: access.bar_raiser && open,
        close: access.bar_raiser && open && votes_missing.is_empty(),
        votes_missing: if open { votes_missing } else { Vec::new() },
        more_signal: (access.bar_raiser && open)
            || (access.hiring_manager
                && status == LoopStatus::AwaitingDecision
                && !vetoed
                && !more_signal::manager_asked(&signal_requests)),
        decide: access.hiring_manager && status.decide().is_ok(),
        decide_hire: !vetoed,
        commit: access.interviewer
            && status == LoopStatus::Decided
            && !committed.contains(&actor.id),
    };
    let (packet, packet_withheld) = if status.debrief_held() {
        match feedback::may_read(&lp, &panel, &access, actor.id) {
            Ok(()) => {
                let basis = Basis {
                    submitted: &submitted,
                    record: &record,
                    more_signal: signal_history,
                    names: &names,
                };
                (
                    Some(packet_with(c, lp.clone(), panel, Some(actor.id), basis)?),
                    None,
                )
            }
            Err(ServiceError::Forbidden { detail, .. }) => (None, Some(detail)),
            Err(e) => return Err(e),
        }
    } else {
        (None, Some("The packet opens with the debrief.".to_owned()))
    };
    let votes_open = !access.interviewer || viewer_read || status != LoopStatus::InDebrief;
    let seq = trail.last().map_or(0, |e| e.seq);
    let hired = record
        .debrief
        .as_ref()
        .is_some_and(|d| d.decision.as_deref() == Some("hire"));
    let outcomes = if hired && access.can_see_outcomes() {
        crate::db::outcomes::of_loop(c, lp.id)?
    } else {
        Vec::new()
    };
    let proposal = if lp.status == LoopStatus::Scheduled {
        debrief_proposal::find_in(c, &lp)?
    } else {
        None
    };
    Ok(Room {
        proposal,
        signal_requests,
        outcomes,
        lp,
        access,
        viewer_id: actor.id,
        viewer_zone: actor.zone(),
        candidate_name: candidate_name.clone(),
        role_title: role_title.clone(),
        people: people.clone(),
        competencies,
        anchors,
        members,
        report_ok,
        packet,
        packet_withheld,
        votes_open,
        actions,
        seq,
    })
}

/// The interviews whose feedback is not submitted.
fn missing_interviews(panel: &[PanelEntry]) -> Vec<i64> {
    panel
        .iter()
        .filter(|e| e.feedback() != FeedbackStatus::Submitted)
        .map(|e| e.interview.id)
        .collect()
}

/// `GET /loops/{id}/debrief` (the page).
pub async fn room(
    db: &crate::db::Db,
    caller: crate::auth::Caller,
    id: LoopId,
) -> Result<Room, ServiceError> {
    caller.run_on_loop_page(db, id, room_of).await
}

/// The room page for the caller behind a request, with their account: the
/// session's check and the loop's read in one statement, the rest in the
/// same trip.
pub async fn room_with_user(
    db: &crate::db::Db,
    caller: crate::auth::Caller,
    id: LoopId,
) -> Result<(User, Room), ServiceError> {
    caller
        .run_on_loop_page(db, id, move |c, actor, found, names| {
            Ok((actor.clone(), room_of(c, actor, found, names)?))
        })
        .await
}

/// The room page as `actor`, whose account the page's request has just
/// loaded (fresh, with its session): one trip for the room, not two.
pub async fn room_as(db: &crate::db::Db, actor: &User, id: LoopId) -> Result<Room, ServiceError> {
    let actor = actor.clone();
    db.run(move |c| room_in(c, &actor, id)).await
}
