//! One loop's feed in this process, shared by every API stream that follows
//! the loop here: at each wake-up one task reads the new events once, builds
//! the packet's facts once, re-checks every follower's session in one query
//! and their access from the loop and panel it read, then hands each follower
//! its events sealed for them. Work per event is a fixed number of queries
//! however many streams follow; nothing is kept from one event to the next
//! but how far each follower has read.

use std::sync::Arc;

use tokio::sync::{broadcast, mpsc};

use crate::auth::Caller;
use crate::db::notify::EVERY_LOOP;
use crate::db::{Db, loops};
use crate::domain::LoopId;
use crate::error::ServiceError;

use super::{Live, RoomEvent, read_batch, seen_by};

/// How many undelivered batches a follower may have waiting; one that falls
/// further behind is let go, to reconnect with `Last-Event-ID`.
pub(super) const QUEUE: usize = 64;

/// A stream following the loop: its caller, how far it has read, where its
/// events go.
pub(in crate::services::debrief::live) struct Follower {
    pub caller: Caller,
    pub after: i64,
    pub tx: mpsc::Sender<Vec<RoomEvent>>,
}

/// Starts loop `id`'s feed; answers where followers join it.
pub(super) fn start(live: Arc<Live>, db: Db, id: LoopId) -> mpsc::UnboundedSender<Follower> {
    let (joins, arrivals) = mpsc::unbounded_channel();
    actix_web::rt::spawn(run(live, db, id, joins.clone(), arrivals));
    joins
}

async fn run(
    live: Arc<Live>,
    db: Db,
    id: LoopId,
    joins: mpsc::UnboundedSender<Follower>,
    mut arrivals: mpsc::UnboundedReceiver<Follower>,
) {
    let mut wakes = db.wakes().subscribe();
    let mut stopping = live.stopping.clone();
    let mut followers: Vec<Follower> = Vec::new();
    loop {
        let due = tokio::select! {
            wake = wakes.recv() => match wake {
                Ok(loop_id) => loop_id == id.get() || loop_id == EVERY_LOOP,
                Err(broadcast::error::RecvError::Lagged(_)) => true,
                Err(broadcast::error::RecvError::Closed) => break,
            },
            joined = arrivals.recv() => match joined {
                Some(f) => {
                    followers.push(f);
                    // Others may have joined at once: one read for all.
                    while let Ok(f) = arrivals.try_recv() {
                        followers.push(f);
                    }
                    true
                }
                None => break,
            },
            _ = stopping.changed() => break,
        };
        if *stopping.borrow() {
            break;
        }
        followers.retain(|f| !f.tx.is_closed());
        if due && !followers.is_empty() {
            // The database failed: every stream ends, and reconnects.
            followers = deliver(&db, id, followers).await.unwrap_or_default();
        }
        if followers.is_empty() {
            break;
        }
    }
    // Nobody follows (or the service stops): new followers start a new feed,
    // and those that joined meanwhile are handed to it.
    live.feed_ended(id, &joins);
    arrivals.close();
    if !*stopping.borrow() {
        while let Ok(f) = arrivals.try_recv() {
            live.join(&db, id, f);
        }
    }
}

/// Reads what came after the followers' positions once, and hands each its
/// events; answers the followers that go on.
async fn deliver(
    db: &Db,
    id: LoopId,
    followers: Vec<Follower>,
) -> Result<Vec<Follower>, ServiceError> {
    let callers: Vec<Caller> = followers.iter().map(|f| f.caller).collect();
    let afters: Vec<i64> = followers.iter().map(|f| f.after).collect();
    let from = afters.iter().copied().min().unwrap_or(0);
    let outcome = db
        .run(move |c| {
            let lp = loops::find(c, id.get())?.ok_or(ServiceError::NotFound)?;
            let panel = loops::panel(c, lp.id)?;
            let batch = read_batch(c, &lp, &panel, from)?;
            let fresh = batch.shown.iter().any(|(_, e)| e.seq > from);
            if !fresh {
                return Ok((batch.upto, None));
            }
            let users = Caller::users_in(c, &callers)?;
            let each: Vec<Option<Vec<RoomEvent>>> = users
                .iter()
                .zip(&afters)
                .map(|(user, after)| seen_by(&lp, &panel, &batch, *after, user.as_ref()?))
                .collect();
            Ok((batch.upto, Some(each)))
        })
        .await;
    let (upto, each) = match outcome {
        Ok(x) => x,
        // The loop is gone: nobody follows it any more.
        Err(ServiceError::NotFound) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let Some(each) = each else {
        return Ok(followers
            .into_iter()
            .map(|mut f| {
                f.after = f.after.max(upto);
                f
            })
            .collect());
    };
    Ok(followers
        .into_iter()
        .zip(each)
        .filter_map(|(mut f, events)| {
            // No longer theirs (session, account, access): the stream ends.
            let events = events?;
            if !events.is_empty() && f.tx.try_send(events).is_err() {
                // Gone, or too far behind: it reconnects and resumes.
                return None;
            }
            f.after = upto;
            Some(f)
        })
        .collect())
}
