//! Wake-ups when a loop's audit chain grows: "loop N has new events". The
//! debrief room's live pages and streams wait on them and then read the new
//! events themselves, by sequence number, so a wake-up carries nothing to
//! lose, to leak or to reorder: a missed or doubled one only delays or
//! repeats a read.
//!
//! * On PostgreSQL the transaction that appends an event also runs
//!   `pg_notify` (delivered on commit, never on rollback), and one `LISTEN`
//!   connection per process, started with the first subscriber, hands each
//!   notification to that process's subscribers: every instance behind a load
//!   balancer hears every other instance's events.
//! * On SQLite the loops a transaction touched are noted on its thread and
//!   handed over when it commits, to every instance on the same file in this
//!   process (SQLite serves one process; several instances in it share the
//!   file's wake-ups).

use std::cell::RefCell;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use tokio::sync::broadcast;

use super::DbConn;

/// The PostgreSQL channel the audit chain's notifications travel on.
pub const CHANNEL: &str = "barraiser_loop_events";

/// A wake-up for every loop at once: after the listener reconnected (it may
/// have missed notifications meanwhile), or a subscriber fell behind.
pub const EVERY_LOOP: i64 = 0;

/// How often the listener collects the notifications that arrived: the
/// latency it adds to a live update, for one cheap non-blocking read.
const LISTEN_POLL: Duration = Duration::from_millis(20);

thread_local! {
    /// The loops the SQLite transaction on this thread appended events to.
    static TOUCHED: RefCell<Vec<i64>> = const { RefCell::new(Vec::new()) };
}

/// Notes, inside the transaction that appended to `loop_id`'s chain, that its
/// subscribers are to be woken once the transaction commits.
pub fn touched(conn: &mut DbConn, loop_id: i64) -> QueryResult<()> {
    match conn {
        DbConn::Pg(c) => {
            diesel::sql_query("SELECT pg_notify($1, $2)")
                .bind::<Text, _>(CHANNEL)
                .bind::<Text, _>(loop_id.to_string())
                .execute(c)?;
        }
        DbConn::Sqlite(_) => TOUCHED.with(|t| t.borrow_mut().push(loop_id)),
    }
    Ok(())
}

/// Forgets what an unfinished transaction on this thread touched.
pub(super) fn discard() {
    TOUCHED.with(|t| t.borrow_mut().clear());
}

/// The wake-ups of one database, shared by every clone of its [`Db`](super::Db).
#[derive(Clone)]
pub struct Wakes {
    inner: Arc<Inner>,
}

struct Inner {
    tx: broadcast::Sender<i64>,
    /// The PostgreSQL URL to listen on; `None` on SQLite.
    listen_url: Option<String>,
    listening: Mutex<bool>,
}

impl Wakes {
    /// The wake-ups of a PostgreSQL database (its own listener) or of an
    /// SQLite file (shared by every `Db` on that file in this process).
    pub(super) fn new(backend: super::Backend, url: &str) -> Self {
        match backend {
            super::Backend::Postgres => Self::fresh(Some(url.to_owned())),
            super::Backend::Sqlite => {
                static FILES: Mutex<Vec<(String, Weak<Inner>)>> = Mutex::new(Vec::new());
                let mut files = FILES.lock().unwrap_or_else(|p| p.into_inner());
                files.retain(|(_, w)| w.strong_count() > 0);
                if let Some(inner) = files
                    .iter()
                    .find(|(file, _)| file == url)
                    .and_then(|(_, w)| w.upgrade())
                {
                    return Wakes { inner };
                }
                let wakes = Self::fresh(None);
                files.push((url.to_owned(), Arc::downgrade(&wakes.inner)));
                wakes
            }
        }
    }

    fn fresh(listen_url: Option<String>) -> Self {
        let (tx, _) = broadcast::channel(1024);
        Wakes {
            inner: Arc::new(Inner {
                tx,
                listen_url,
                listening: Mutex::new(false),
            }),
        }
    }

    /// Hands over the loops the transaction that just committed on this
    /// thread touched (SQLite).
    pub(super) fn committed(&self) {
        let touched = TOUCHED.with(|t| std::mem::take(&mut *t.borrow_mut()));
        for loop_id in touched {
            let _ = self.inner.tx.send(loop_id);
        }
    }

    /// A receiver of loop ids whose chains grew ([`EVERY_LOOP`]: any of them).
    /// On PostgreSQL the first subscriber starts the process's listener.
    pub fn subscribe(&self) -> broadcast::Receiver<i64> {
        let rx = self.inner.tx.subscribe();
        if let Some(url) = &self.inner.listen_url {
            let mut listening = self
                .inner
                .listening
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            if !*listening {
                *listening = true;
                let (url, weak) = (url.clone(), Arc::downgrade(&self.inner));
                let spawned = std::thread::Builder::new()
                    .name("pg-listen".into())
                    .spawn(move || listen(&url, &weak));
                if let Err(e) = spawned {
                    tracing::error!(error = %e, "cannot start the PostgreSQL listener");
                    *listening = false;
                }
            }
        }
        rx
    }
}

/// The listener: one connection that `LISTEN`s and hands each notification to
/// the subscribers, reconnecting after a failure (and then waking every loop,
/// since notifications may have been missed meanwhile). It ends when the
/// database it serves is dropped.
fn listen(url: &str, inner: &Weak<Inner>) {
    let mut backoff = Duration::from_millis(100);
    loop {
        if inner.strong_count() == 0 {
            return;
        }
        let connected = PgConnection::establish(url)
            .map_err(|e| e.to_string())
            .and_then(|mut c| {
                c.batch_execute(&format!("LISTEN {CHANNEL}"))
                    .map(|()| c)
                    .map_err(|e| e.to_string())
            });
        let mut conn = match connected {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "the PostgreSQL listener cannot connect; retrying");
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_secs(5));
                continue;
            }
        };
        backoff = Duration::from_millis(100);
        match inner.upgrade() {
            Some(inner) => {
                let _ = inner.tx.send(EVERY_LOOP);
            }
            None => return,
        }
        loop {
            std::thread::sleep(LISTEN_POLL);
            let Some(inner) = inner.upgrade() else {
                return;
            };
            let mut failed = false;
            for notification in conn.notifications_iter() {
                match notification {
                    Ok(n) => {
                        if let Ok(loop_id) = n.payload.parse::<i64>() {
                            let _ = inner.tx.send(loop_id);
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "the PostgreSQL listener lost its connection");
                        failed = true;
                        break;
                    }
                }
            }
            if failed {
                break;
            }
        }
    }
}
