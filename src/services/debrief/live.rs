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

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc, watch};

use crate::auth::Caller;
use crate::db::notify::EVERY_LOOP;
use crate::db::users::User;
use crate::db::{Db, DbConn, events, loops};
use crate::domain::LoopId;
use crate::error::ServiceError;
use crate::services::feedback;
use crate::services::hiring::access::load_visible;

use super::packet::packet;

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
    /// `opened`, `read`, `vote`, `reveal`, `note`, `closed`, `decided` or `commitment`.
    pub name: &'static str,
    pub data: Value,
}

/// The room's name for an audit event, for the kinds the room shows.
pub fn room_name(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "debrief_opened" => "opened",
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

/// The room events of loop `id` after sequence number `after`, as `actor`
/// may see them, and the sequence number read up to (the loop's latest event,
/// shown in the room or not). A 404 for anyone who may not see the loop.
pub fn events_in(
    c: &mut DbConn,
    actor: &User,
    id: LoopId,
    after: i64,
) -> Result<(Vec<RoomEvent>, i64), ServiceError> {
    let (lp, access) = load_visible(c, id, actor)?;
    let stored = events::list(c, lp.id, Some(after), Some(BATCH))?;
    let upto = stored.last().map_or(after, |e| e.seq);
    let shown: Vec<_> = stored
        .into_iter()
        .filter_map(|e| Some((room_name(&e.kind)?, e)))
        .collect();
    if shown.is_empty() {
        return Ok((Vec::new(), upto));
    }
    // The packet as the viewer reads it, when they may: for the votes at the
    // reveal, one's own final vote and the notes' text.
    let needs_packet = shown
        .iter()
        .any(|(name, _)| matches!(*name, "vote" | "reveal" | "note"));
    let readable = if needs_packet {
        let panel = loops::panel(c, lp.id)?;
        match feedback::may_read(c, &lp, &panel, &access, actor) {
            Ok(()) => Some(packet(c, lp.clone(), panel, actor.id)?),
            Err(ServiceError::Forbidden { .. }) => None,
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    let finals: HashMap<i64, Value> = readable
        .as_ref()
        .map(|p| {
            p.votes
                .iter()
                .map(|v| (v.user_id, json!(v.final_vote)))
                .collect()
        })
        .unwrap_or_default();
    let revealed = readable.as_ref().is_some_and(|p| p.votes_revealed);
    let out = shown
        .into_iter()
        .map(|(name, e)| {
            let stored: Value = serde_json::from_str(&e.data).unwrap_or(Value::Null);
            let data = match name {
                "opened" => json!({
                    "override": stored["override_reason"].is_string(),
                    "missing_interview_ids": stored["missing_interview_ids"],
                }),
                "read" => json!({ "user_id": e.actor_id }),
                "vote" => {
                    let user = e.actor_id.unwrap_or_default();
                    let shown = revealed || user == actor.id;
                    json!({
                        "user_id": user,
                        "has_final_vote": true,
                        "final": if shown { finals.get(&user).cloned().unwrap_or(Value::Null) } else { Value::Null },
                    })
                }
                "reveal" => match &readable {
                    Some(p) if p.votes_revealed => json!({
                        "votes": p.votes.iter().map(|v| json!({"user_id": v.user_id, "final": v.final_vote})).collect::<Vec<_>>(),
                    }),
                    _ => json!({}),
                },
                "note" => {
                    let note_id = stored["note_id"].as_i64();
                    let text = readable.as_ref().and_then(|p| {
                        p.notes
                            .iter()
                            .find(|n| Some(n.id) == note_id)
                            .map(|n| n.text.clone())
                    });
                    json!({ "note_id": note_id, "competency_id": stored["competency_id"], "text": text })
                }
                "closed" => json!({ "recommendation": stored["recommendation"], "veto": stored["veto"] }),
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
        .collect();
    Ok((out, upto))
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
        .run(db, move |c, actor| events_in(c, actor, id, after))
        .await
}

/// The open streams of this process: how many each person holds, and the
/// signal that ends them all when the service shuts down.
pub struct Live {
    open: Mutex<HashMap<i64, usize>>,
    per_person: usize,
    stopping: watch::Receiver<bool>,
    stop: watch::Sender<bool>,
}

impl Live {
    /// No stream open yet; at most `per_person` per person at once.
    pub fn new(per_person: usize) -> Self {
        let (stop, stopping) = watch::channel(false);
        Live {
            open: Mutex::new(HashMap::new()),
            per_person: per_person.max(1),
            stopping,
            stop,
        }
    }

    /// Ends every open stream (the service is shutting down).
    pub fn shut_down(&self) {
        let _ = self.stop.send(true);
    }

    /// How many streams are open now.
    pub fn open_streams(&self) -> usize {
        self.open
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .sum()
    }

    /// A place for one more stream of `user` on loop `loop_id`, waiting on
    /// `db`'s wake-ups; refused beyond the number per person.
    pub fn follow(
        self: &Arc<Self>,
        db: &Db,
        user: i64,
        loop_id: LoopId,
    ) -> Result<Follow, ServiceError> {
        {
            let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
            let n = open.entry(user).or_default();
            if *n >= self.per_person {
                return Err(ServiceError::TooManyStreams {
                    limit: self.per_person,
                });
            }
            *n += 1;
        }
        Ok(Follow {
            wakes: db.wakes().subscribe(),
            stopping: self.stopping.clone(),
            loop_id: loop_id.get(),
            live: self.clone(),
            user,
        })
    }
}

/// One open stream's wait for its loop's events; gives its place back when dropped.
pub struct Follow {
    wakes: broadcast::Receiver<i64>,
    stopping: watch::Receiver<bool>,
    loop_id: i64,
    live: Arc<Live>,
    user: i64,
}

impl Drop for Follow {
    fn drop(&mut self) {
        let mut open = self.live.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&self.user) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.user);
            }
        }
    }
}

impl Follow {
    /// Waits until the loop may have new events; `false` when the stream is
    /// to end (the service is shutting down).
    async fn next(&mut self) -> bool {
        loop {
            if *self.stopping.borrow() {
                return false;
            }
            tokio::select! {
                wake = self.wakes.recv() => match wake {
                    Ok(id) if id == self.loop_id || id == EVERY_LOOP => return true,
                    Ok(_) => {}
                    // Fell behind: something may be ours.
                    Err(broadcast::error::RecvError::Lagged(_)) => return true,
                    Err(broadcast::error::RecvError::Closed) => return false,
                },
                _ = self.stopping.changed() => return false,
            }
        }
    }

    /// Runs a stream until the client goes, the viewer loses the loop or
    /// their session, or the service shuts down: `fetch(after)` reads what
    /// came after `after` (the items to send, and how far it read).
    pub async fn run<T, F, Fut>(mut self, mut after: i64, fetch: F, tx: mpsc::Sender<T>)
    where
        F: Fn(i64) -> Fut,
        Fut: Future<Output = Result<(Vec<T>, i64), ServiceError>>,
    {
        loop {
            match fetch(after).await {
                Ok((items, upto)) => {
                    after = upto;
                    for item in items {
                        if tx.send(item).await.is_err() {
                            return;
                        }
                    }
                }
                // The session ended or the loop is no longer theirs.
                Err(_) => return,
            }
            tokio::select! {
                more = self.next() => if !more { return },
                _ = tx.closed() => return,
            }
        }
    }
}
