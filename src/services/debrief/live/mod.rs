//! The debrief room, live. The loop's audit chain is the event source: each
//! room event is one of its events, and its per-loop sequence number is the
//! event's `id`, so a client that reconnects with `Last-Event-ID` is sent
//! exactly what it missed. A stream waits for the database's wake-ups
//! (`db::notify`), then reads the new events as the viewer may see them,
//! checking the viewer's session and their access to the loop every time: a
//! sign-out, a deactivation or a removal from the loop ends the stream.
//!
//! What an event carries follows the packet's rules: a final vote reaches the
//! others as "voted" until the reveal, and what only packet readers may read
//! (the votes at the reveal, a note's text) reaches only them.

use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::db::loops::{InterviewLoop, PanelEntry};
use crate::db::users::User;
use crate::db::{Db, DbConn, events};
use crate::domain::LoopId;
use crate::error::ServiceError;
use crate::services::feedback;
use crate::services::hiring::access::{Access, load_visible, visible_with_panel};

use super::Packet;
use super::packet::packet;

mod feed;
mod streams;
pub use streams::{Follow, Live};

/// How many streams one person may hold open at once by default (tabs,
/// devices, integrations); `LIVE_STREAMS_PER_PERSON` changes it.
pub const STREAMS_PER_PERSON: usize = 8;

/// How often an idle stream sends a comment, so that proxies keep it open
/// and a client that went away is noticed.
pub const HEARTBEAT: Duration = Duration::from_secs(15);

/// One event of the room, as one viewer may see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoomEvent {
    /// The event's sequence number in the loop's audit chain (the SSE `id`).
    pub seq: i64,
    /// `opened`, `reopened`, `read`, `vote`, `reveal`, `note`, `closed` (also with
    /// `recommendation: more_signal`), `more_signal` (the hiring manager's),
    /// `decided` or `commitment`.
    pub name: &'static str,
    pub data: Value,
}

/// The room's name for an audit event, for the kinds the room shows.
pub fn room_name(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "debrief_opened" => "opened",
        "debrief_reopened" => "reopened",
        "more_signal_requested" => "more_signal",
        "packet_read" => "read",
        "final_vote_cast" => "vote",
        "votes_revealed" => "reveal",
        "debrief_note" => "note",
        "debrief_closed" => "closed",
        "decision_recorded" => "decided",
        "commitment_recorded" => "commitment",
        _ => return None,
    })
}

/// The most events one read answers (a debrief has a few dozen).
const BATCH: i64 = 500;

/// The room's events after some point, read once for every viewer: the
/// stored events the room shows, how far the read went, and (when an event
/// needs them) the packet's facts, unsealed, to be sealed for each viewer.
struct Batch {
    shown: Vec<(&'static str, events::LoopEvent)>,
    upto: i64,
    facts: Option<Packet>,
}

fn read_batch(
    c: &mut DbConn,
    lp: &InterviewLoop,
    panel: &[PanelEntry],
    after: i64,
) -> Result<Batch, ServiceError> {
    let stored = events::list(c, lp.id, Some(after), Some(BATCH))?;
    let upto = stored.last().map_or(after, |e| e.seq);
    let shown: Vec<_> = stored
        .into_iter()
        .filter_map(|e| Some((room_name(&e.kind)?, e)))
        .collect();
    let needs_facts = shown
        .iter()
        .any(|(name, _)| matches!(*name, "vote" | "reveal" | "note"));
    let facts = if needs_facts {
        Some(packet(c, lp.clone(), panel.to_vec(), None)?)
    } else {
        None
    };
    Ok(Batch { shown, upto, facts })
}

/// The events of `batch` after `after` as `user` sees them, or `None` when
/// the loop is not theirs to see: who they are to the loop and the blind
/// rule are decided from the loop and panel the batch was read with.
fn seen_by(
    lp: &InterviewLoop,
    panel: &[PanelEntry],
    batch: &Batch,
    after: i64,
    user: &User,
) -> Option<Vec<RoomEvent>> {
    let access = Access::with_panel(lp, panel, user);
    if !access.visible() {
        return None;
    }
    let readable = feedback::may_read(lp, panel, &access, user.id).is_ok();
    Some(for_viewer(batch, after, user.id, readable))
}

/// The events of `batch` after `after` as `viewer` sees them: the packet's
/// facts only if they may read the packet (`readable`), each final vote
/// sealed until the reveal unless it is their own.
fn for_viewer(batch: &Batch, after: i64, viewer: i64, readable: bool) -> Vec<RoomEvent> {
    let facts = batch.facts.as_ref().filter(|_| readable);
    let revealed = facts.is_some_and(|p| p.votes_revealed);
    let final_of = |user: i64| -> Value {
        facts
            .and_then(|p| p.votes.iter().find(|v| v.user_id == user))
            .map_or(Value::Null, |v| json!(v.final_vote))
    };
    batch
        .shown
        .iter()
        .filter(|(_, e)| e.seq > after)
        .map(|(name, e)| {
            let stored: Value = serde_json::from_str(&e.data).unwrap_or(Value::Null);
            let data = match *name {
                "opened" | "reopened" => json!({
                    "override": stored["override_reason"].is_string(),
                    "missing_interview_ids": stored["missing_interview_ids"],
                }),
                "read" => json!({ "user_id": e.actor_id }),
                "vote" => {
                    let user = e.actor_id.unwrap_or_default();
                    let shown = revealed || user == viewer;
                    json!({
                        "user_id": user,
                        "has_final_vote": true,
                        "final": if shown { final_of(user) } else { Value::Null },
                    })
                }
                "reveal" => match facts {
                    Some(p) if p.votes_revealed => json!({
                        "votes": p.votes.iter().map(|v| json!({"user_id": v.user_id, "final": v.final_vote})).collect::<Vec<_>>(),
                    }),
                    _ => json!({}),
                },
                "note" => {
                    let note_id = stored["note_id"].as_i64();
                    let text = facts.and_then(|p| {
                        p.notes
                            .iter()
                            .find(|n| Some(n.id) == note_id)
                            .map(|n| n.text.clone())
                    });
                    json!({ "note_id": note_id, "competency_id": stored["competency_id"], "text": text })
                }
                "closed" => {
                    let mut data = json!({ "recommendation": stored["recommendation"], "veto": stored["veto"] });
                    // A close with more signal names the competencies that lack evidence.
                    if let Some(ids) = stored.get("competency_ids") {
                        data["competency_ids"] = ids.clone();
                    }
                    data
                }
                "more_signal" => json!({ "competency_ids": stored["competency_ids"] }),
                "decided" => json!({
                    "decision": stored["decision"],
                    "agrees_with_composite": stored["agrees_with_composite"],
                }),
                _ => json!({ "user_id": e.actor_id, "dissent": stored["dissent"] }),
            };
            RoomEvent {
                seq: e.seq,
                name,
                data,
            }
        })
        .collect()
}

/// The room events of loop `id` after sequence number `after`, as `actor`
/// may see them, and the sequence number read up to (the loop's latest event,
/// shown in the room or not). A 404 for anyone who may not see the loop.
pub fn events_in(
    c: &mut DbConn,
    actor: &User,
    id: LoopId,
    after: i64,
) -> Result<(Vec<RoomEvent>, i64), ServiceError> {
    let found = crate::db::loops::with_panel(c, id.get())?;
    events_of(c, actor, found, after)
}

/// [`events_in`] from the loop and its panel as read already.
fn events_of(
    c: &mut DbConn,
    actor: &User,
    found: Option<crate::db::loops::LoopWithPanel>,
    after: i64,
) -> Result<(Vec<RoomEvent>, i64), ServiceError> {
    let (lp, panel) = visible_with_panel(found, actor)?;
    let batch = read_batch(c, &lp, &panel, after)?;
    let events = seen_by(&lp, &panel, &batch, after, actor).ok_or(ServiceError::NotFound)?;
    Ok((events, batch.upto))
}

/// Where a stream resumes: after the `Last-Event-ID` a reconnecting client
/// sends, else after `after` (where the page was rendered), else from the start.
pub fn resume_point(last_event_id: Option<&str>, after: Option<i64>) -> i64 {
    last_event_id
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(after)
        .unwrap_or(0)
        .max(0)
}

/// Who `caller` is, if they may follow loop `id`'s room (a 404 otherwise).
pub async fn admit(db: &Db, caller: Caller, id: LoopId) -> Result<i64, ServiceError> {
    caller
        .run(db, move |c, actor| {
            load_visible(c, id, actor)?;
            Ok(actor.id)
        })
        .await
}

/// `events_in` as `caller`, on the blocking pool.
pub async fn events(
    db: &Db,
    caller: Caller,
    id: LoopId,
    after: i64,
) -> Result<(Vec<RoomEvent>, i64), ServiceError> {
    caller
        .run_on_loop(db, id, move |c, actor, found| {
            events_of(c, actor, found, after)
        })
        .await
}
