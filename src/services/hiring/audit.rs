//! The tamper-evident event log of a loop: each event stores
//! `hash = SHA-256(prev_hash ‖ content)`, so changing, removing or reordering an
//! event breaks every hash after it, which `verify` names.

use chrono::NaiveDateTime;
use serde_json::Value;

use super::access::load_visible;
pub use crate::db::events::LoopEvent;
use crate::db::events::{self, NewLoopEvent};
use crate::db::users::User;
use crate::db::{Db, DbConn, now};
use crate::domain::{Listing, LoopId, Page};
use crate::error::ServiceError;
pub use crate::services::chain::{GENESIS, Verification};
use crate::services::chain::{Verifier, hashed_actor, hashed_time, link};

/// The hashed content of an event: every stored field but the id and the hashes.
fn digest(
    prev_hash: &str,
    loop_id: i64,
    seq: i64,
    actor_id: Option<i64>,
    kind: &str,
    at: NaiveDateTime,
    data: &str,
) -> String {
    link(
        prev_hash,
        &[
            &loop_id.to_string(),
            &seq.to_string(),
            &hashed_actor(actor_id),
            kind,
            &hashed_time(at),
            data,
        ],
    )
}

/// Appends an event to the loop's chain. Call it inside the transaction of
/// the change, after locking the loop (`db::loops::lock`).
pub fn record(
    conn: &mut DbConn,
    loop_id: i64,
    actor_id: Option<i64>,
    kind: &str,
    data: &Value,
) -> diesel::QueryResult<()> {
    let (seq, prev_hash) = match events::last(conn, loop_id)? {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let at = now();
    let stored = data.to_string();
    let hash = digest(&prev_hash, loop_id, seq, actor_id, kind, at, &stored);
    events::insert(
        conn,
        &NewLoopEvent {
            loop_id,
            seq,
            actor_id,
            kind,
            data: &stored,
            at,
            prev_hash: &prev_hash,
            hash: &hash,
        },
    )?;
    // The debrief room's live pages and streams read it once it commits.
    crate::db::notify::touched(conn, loop_id)?;
    // Its webhooks commit with it.
    crate::services::webhook_events::on_loop_event(conn, loop_id, kind, data)?;
    Ok(())
}

/// Recomputes the chain over `events` (in sequence order).
pub fn verify(events: &[LoopEvent]) -> Verification {
    let mut verifier = Verifier::default();
    for e in events {
        let recomputed = || {
            digest(
                &e.prev_hash,
                e.loop_id,
                e.seq,
                e.actor_id,
                &e.kind,
                e.at,
                &e.data,
            )
        };
        if !verifier.check(e.id, e.seq, &e.prev_hash, &e.hash, recomputed) {
            break;
        }
    }
    verifier.finish(events.len())
}

/// `GET /loops/{id}/events`: a page of the loop's log, oldest first
/// (participants and admins).
pub async fn events(
    db: &Db,
    actor: &User,
    id: LoopId,
    page: Page,
) -> Result<Listing<LoopEvent>, ServiceError> {
    let actor = actor.clone();
    db.run(move |c| {
        load_visible(c, id, &actor)?;
        let rows = events::list(c, id.get(), page.after, Some(page.fetch()))?;
        Ok(page.cut(rows, |e| e.seq))
    })
    .await
}

/// `GET /loops/{id}/events/verify`: the whole chain recomputed.
pub async fn verify_chain(db: &Db, actor: &User, id: LoopId) -> Result<Verification, ServiceError> {
    let actor = actor.clone();
    db.run(move |c| {
        load_visible(c, id, &actor)?;
        Ok(verify(&events::list(c, id.get(), None, None)?))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<LoopEvent> {
        let mut prev = GENESIS.to_owned();
        let at = now();
        (1..=n)
            .map(|seq| {
                let data = format!("{{\"n\":{seq}}}");
                let hash = digest(&prev, 7, seq, Some(1), "loop_edited", at, &data);
                let e = LoopEvent {
                    id: seq * 10,
                    loop_id: 7,
                    seq,
                    actor_id: Some(1),
                    kind: "loop_edited".into(),
                    data,
                    at,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let v = verify(&chain(5));
        assert!(v.ok);
        assert_eq!(v.events, 5);
    }

    #[test]
    fn an_edited_event_is_named() {
        let mut events = chain(5);
        events[2].data = "{\"n\":99}".into();
        let m = verify(&events).first_mismatch.unwrap();
        assert_eq!(
            (m.event_id, m.seq, m.reason),
            (30, 3, "content_hash_mismatch")
        );
    }

    #[test]
    fn a_removed_event_is_named() {
        let mut events = chain(5);
        events.remove(1);
        let m = verify(&events).first_mismatch.unwrap();
        assert_eq!((m.event_id, m.reason), (30, "sequence_gap"));
    }
}
