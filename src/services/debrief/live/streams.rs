//! The open streams of this process: how many each person holds, the signal
//! that ends them all at shutdown, and one stream's wait for its loop.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::{broadcast, mpsc, watch};

use crate::auth::Caller;
use crate::db::Db;
use crate::db::notify::EVERY_LOOP;
use crate::domain::LoopId;
use crate::error::ServiceError;

use super::RoomEvent;
use super::feed::{self, Follower};

/// The open streams of this process: how many each person holds, and the
/// signal that ends them all when the service shuts down.
pub struct Live {
    open: Mutex<HashMap<i64, usize>>,
    per_person: usize,
    pub(super) stopping: watch::Receiver<bool>,
    stop: watch::Sender<bool>,
    /// The feed of each loop that API streams follow in this process.
    feeds: Mutex<HashMap<i64, mpsc::UnboundedSender<Follower>>>,
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
            feeds: Mutex::new(HashMap::new()),
        }
    }

    /// Ends every open stream (the service is shutting down).
    pub fn shut_down(&self) {
        let _ = self.stop.send(true);
    }

    /// A place for one more stream of `user`; refused beyond the number per person.
    pub fn slot(self: &Arc<Self>, user: i64) -> Result<Slot, ServiceError> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let n = open.entry(user).or_default();
        if *n >= self.per_person {
            return Err(ServiceError::TooManyStreams {
                limit: self.per_person,
            });
        }
        *n += 1;
        Ok(Slot {
            live: self.clone(),
            user,
        })
    }

    /// A stream of `user` on loop `loop_id` that reads for itself, waiting on
    /// `db`'s wake-ups (a page, which renders per viewer).
    pub fn follow(
        self: &Arc<Self>,
        db: &Db,
        user: i64,
        loop_id: LoopId,
    ) -> Result<Follow, ServiceError> {
        Ok(Follow {
            _slot: self.slot(user)?,
            wakes: db.wakes().subscribe(),
            stopping: self.stopping.clone(),
            loop_id: loop_id.get(),
        })
    }

    /// A stream of `caller` (who is `user`) on loop `id` from event `after`,
    /// served by the loop's shared feed in this process: the events arrive on
    /// the receiver, sealed for them, and it closes when the stream is to end
    /// (their session or access ended, the service stops, or they fell behind
    /// and are to reconnect with `Last-Event-ID`).
    pub fn subscribe(
        self: &Arc<Self>,
        db: &Db,
        caller: Caller,
        user: i64,
        id: LoopId,
        after: i64,
    ) -> Result<(Slot, mpsc::Receiver<Vec<RoomEvent>>), ServiceError> {
        let slot = self.slot(user)?;
        let (tx, rx) = mpsc::channel(feed::QUEUE);
        self.join(db, id, Follower { caller, after, tx });
        Ok((slot, rx))
    }

    /// Hands `follower` to loop `id`'s feed, starting one if there is none.
    pub(super) fn join(self: &Arc<Self>, db: &Db, id: LoopId, mut follower: Follower) {
        loop {
            let joins = {
                let mut feeds = self.feeds.lock().unwrap_or_else(|p| p.into_inner());
                feeds
                    .entry(id.get())
                    .or_insert_with(|| feed::start(self.clone(), db.clone(), id))
                    .clone()
            };
            match joins.send(follower) {
                Ok(()) => return,
                // That feed just ended (its last stream went): start another.
                Err(mpsc::error::SendError(back)) => {
                    follower = back;
                    let mut feeds = self.feeds.lock().unwrap_or_else(|p| p.into_inner());
                    if feeds.get(&id.get()).is_some_and(|j| j.same_channel(&joins)) {
                        feeds.remove(&id.get());
                    }
                }
            }
        }
    }

    /// Forgets loop `id`'s feed if it is `joins` (the feed ended).
    pub(super) fn feed_ended(&self, id: LoopId, joins: &mpsc::UnboundedSender<Follower>) {
        let mut feeds = self.feeds.lock().unwrap_or_else(|p| p.into_inner());
        if feeds.get(&id.get()).is_some_and(|j| j.same_channel(joins)) {
            feeds.remove(&id.get());
        }
    }
}

/// One person's place among the open streams, given back when dropped.
pub struct Slot {
    live: Arc<Live>,
    user: i64,
}

/// One open stream's wait for its loop's events.
pub struct Follow {
    _slot: Slot,
    wakes: broadcast::Receiver<i64>,
    stopping: watch::Receiver<bool>,
    loop_id: i64,
}

impl Drop for Slot {
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
