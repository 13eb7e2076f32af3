//! Storage on two backends in one binary, chosen at run time by the URL.
//!
//! * `postgres://…` / `postgresql://…` selects PostgreSQL; anything else is an
//!   SQLite path (`sqlite://x` and `file:x` are accepted too).
//! * Diesel calls run only on the blocking pool, through [`Db::run`] (reads) and
//!   [`Db::write`] (one transaction). On SQLite, write transactions are
//!   serialised by a process-wide lock: a deferred SQLite transaction that reads
//!   and then writes cannot wait on `busy_timeout` and fails with "database is
//!   locked" under concurrency (see STACK.md), so this process holds at most one
//!   writer at a time. PostgreSQL needs no such lock.

pub mod account_links;
pub mod analytics;
pub mod any_of;
pub mod api_keys;
pub mod candidates;
pub mod competencies;
pub mod debrief;
pub mod debrief_proposals;
pub mod events;
pub mod feedback;
pub mod interviews;
pub mod login_failures;
pub mod loop_board;
pub mod loops;
pub mod names_cache;
pub mod notify;
pub mod org_events;
pub mod outbox;
pub mod outcomes;
pub mod requisitions;
pub mod schema;
pub mod secrets;
pub mod sessions;
pub mod signal_requests;
pub mod snapshots;
pub mod sso_logins;
pub mod stamp;
pub mod statuses;
pub mod users;
pub mod webhooks;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use chrono::{DurationRound, NaiveDateTime, TimeDelta, Utc};
use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, CustomizeConnection, ManageConnection, Pool, PooledConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::ServiceError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to either backend. `Pg` comes first so that diesel's derived
/// `establish` never silently turns a bad Postgres URL into an SQLite file.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// Runs a query on the backend's own connection instead of through the
/// [`DbConn`] wrapper: `native!(conn, |c| query.load(c))`. The query is
/// compiled once per backend.
///
/// diesel's derived multi-backend connection writes a query's SQL afresh
/// (twice: to check it may be cached, then while binding its values) on
/// every execution, even when the prepared statement is already in the
/// cache; on its own connection a statement with a static query id is found
/// by its type alone. The profile of the API loop read under load put a
/// quarter of its time in that writing. Used on the reads every request or
/// page makes.
macro_rules! native {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Pg($c) => $body,
            $crate::db::DbConn::Sqlite($c) => $body,
        }
    };
}
pub(crate) use native;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn of_url(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// The first bind parameter in raw SQL: `$1` on PostgreSQL, `?1` on SQLite
/// (both may be repeated to bind the same value again).
pub fn first_param(conn: &DbConn) -> &'static str {
    match conn {
        DbConn::Pg(_) => "$1",
        DbConn::Sqlite(_) => "?1",
    }
}

/// The `n`-th bind parameter in raw SQL (1-based): `$n` on PostgreSQL, `?n` on SQLite.
pub fn param(conn: &DbConn, n: usize) -> String {
    match conn {
        DbConn::Pg(_) => format!("${n}"),
        DbConn::Sqlite(_) => format!("?{n}"),
    }
}

/// Hours from the timestamp expression `from` to `to`, as a floating-point
/// SQL expression in the backend's dialect.
pub fn hours_between(conn: &DbConn, from: &str, to: &str) -> String {
    match conn {
        DbConn::Pg(_) => {
            format!("CAST(EXTRACT(EPOCH FROM ({to} - {from})) / 3600.0 AS DOUBLE PRECISION)")
        }
        DbConn::Sqlite(_) => format!("((julianday({to}) - julianday({from})) * 24.0)"),
    }
}

/// The current time as the database stores it: naive UTC, microsecond precision
/// (PostgreSQL's `TIMESTAMP` keeps microseconds; this makes values round-trip exactly).
pub fn now() -> NaiveDateTime {
    Utc::now()
        .naive_utc()
        .duration_trunc(TimeDelta::microseconds(1))
        .expect("truncating to microseconds cannot overflow")
}

/// Picks the backend by URL scheme and surfaces the real connection error.
#[derive(Debug)]
pub struct Manager {
    url: String,
    backend: Backend,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        match self.backend {
            Backend::Postgres => PgConnection::establish(&self.url).map(DbConn::Pg),
            Backend::Sqlite => SqliteConnection::establish(&self.url).map(DbConn::Sqlite),
        }
        .map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    /// Called as the pool takes a connection back, on the thread that used it.
    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        std::thread::panicking() || LOST.take()
    }
}

thread_local! {
    /// Set when the connection this thread is using turned out to be lost (a
    /// PostgreSQL restart, a dropped socket); the pool then discards it as it
    /// takes it back ([`Manager::has_broken`]) and opens a new one when needed.
    static LOST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` on the pooled connection `conn`; a connection that turned out to
/// be lost is not given back to the pool. That is what keeps lost connections out of
/// the pool on PostgreSQL, which does not test each connection with a query
/// before handing it out: after a database restart, each pooled connection
/// fails one request with 503 `unavailable` (retry) and is replaced.
fn on_connection<T>(
    mut conn: PooledConnection<Manager>,
    f: impl FnOnce(&mut DbConn) -> Result<T, ServiceError>,
) -> Result<T, ServiceError> {
    let result = f(&mut conn);
    if let Err(e) = &result
        && e.is_lost_connection()
    {
        LOST.set(true);
    }
    drop(conn);
    LOST.set(false);
    result
}

/// Per-connection settings.
///
/// * SQLite: the pragmas (WAL is set once, before the pool exists, because it
///   persists in the file and racing it from several connections fails).
/// * PostgreSQL: prepared statements run on their generic plan, planned once
///   per connection. PostgreSQL's default plans a statement afresh for its
///   parameters on every execution whenever it estimates the generic plan
///   dearer, and for the pages' joins it did: a quarter to half a
///   millisecond of planning per statement, most of a page's database time
///   (the home page read 1.9 times as fast without it). The reads whose best
///   plan depends on their parameters, the analytics over periods, ask for
///   custom plans with [`with_custom_plans`].
#[derive(Debug)]
struct Settings;

/// The plan mode of PostgreSQL connections outside [`with_custom_plans`].
const GENERIC_PLANS: &str = "SET plan_cache_mode = force_generic_plan";

impl CustomizeConnection<DbConn, r2d2::Error> for Settings {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        match conn {
            DbConn::Sqlite(c) => c.batch_execute(
                "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
            ),
            DbConn::Pg(c) => c.batch_execute(GENERIC_PLANS),
        }
        .map_err(r2d2::Error::QueryError)
    }
}

/// Runs `f` with PostgreSQL planning each statement for its parameters (its
/// default), for reads whose best plan depends on them: a year's analytics
/// scan most of a table where a day's use an index. Nothing on SQLite.
pub fn with_custom_plans<T>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> Result<T, ServiceError>,
) -> Result<T, ServiceError> {
    if let DbConn::Pg(c) = conn {
        c.batch_execute("SET plan_cache_mode = auto")?;
    }
    let result = f(conn);
    let restored = match conn {
        DbConn::Pg(c) => c.batch_execute(GENERIC_PLANS),
        DbConn::Sqlite(_) => Ok(()),
    };
    // The work's own error comes first, ahead of the restoring's.
    let value = result?;
    restored?;
    Ok(value)
}

/// The database: a pool plus, on SQLite, the writer lock.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
    backend: Backend,
    writer: Arc<Mutex<()>>,
    wakes: notify::Wakes,
    names: Arc<names_cache::NamesCache>,
}

impl Db {
    pub fn connect(url: &str, pool_size: u32) -> anyhow::Result<Db> {
        let backend = Backend::of_url(url);
        let url = match backend {
            Backend::Postgres => url.to_owned(),
            Backend::Sqlite => url.strip_prefix("sqlite://").unwrap_or(url).to_owned(),
        };
        // One connection up front, so that a wrong URL fails at start with the
        // driver's own message (the pool connects lazily).
        match backend {
            Backend::Sqlite => {
                let mut first =
                    SqliteConnection::establish(&url).context("cannot open the SQLite database")?;
                first
                    .batch_execute("PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL;")
                    .context("cannot switch SQLite to WAL")?;
            }
            Backend::Postgres => {
                PgConnection::establish(&url).context("cannot connect to PostgreSQL")?;
            }
        }
        let wakes = notify::Wakes::new(backend, &url);
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            // No background replenishing: r2d2 would otherwise open connections on its
            // own threads after each checkout, and a process exiting while libpq sets
            // one up can crash in libpq's exit handlers (seen with `create-user`).
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(10))
            // No query to check each connection before handing it out: on
            // PostgreSQL that was one round trip more per request (of seven,
            // then of three, for a loop read); a lost connection is discarded
            // after its first failure instead (see `on_connection`). An SQLite
            // connection is a file handle that cannot be lost.
            .test_on_check_out(false)
            .connection_customizer(Box::new(Settings))
            .build(Manager { url, backend })
            .context("cannot connect to the database")?;
        Ok(Db {
            pool,
            backend,
            writer: Arc::new(Mutex::new(())),
            wakes,
            names: Arc::default(),
        })
    }

    /// The wake-ups of loops whose audit chains grew (the debrief room's live updates).
    pub fn wakes(&self) -> &notify::Wakes {
        &self.wakes
    }

    /// The loop names this database's reads keep (`names_cache`).
    pub fn names_cache(&self) -> Arc<names_cache::NamesCache> {
        Arc::clone(&self.names)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A pooled connection, for synchronous callers (CLI, start-up, tests).
    pub fn conn(&self) -> Result<PooledConnection<Manager>, ServiceError> {
        Ok(self.pool.get()?)
    }

    /// Runs `f` in one write transaction. Synchronous: call it from the
    /// blocking pool or from start-up code.
    ///
    /// On SQLite the transaction begins `IMMEDIATE`: it takes the file's write
    /// lock up front, waiting up to the busy timeout for another process (a
    /// separate `worker`, a `create-user` beside `serve`) to finish, instead of
    /// failing at its first write after a read. Within this process the writer
    /// lock queues writers so they do not spend that timeout on each other.
    pub fn transaction<T>(
        &self,
        conn: &mut DbConn,
        f: impl FnOnce(&mut DbConn) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        self.in_transaction(conn, true, f)
    }

    /// Runs `f` in a write transaction that is always rolled back: what a
    /// change would do (every check, every computed result) without doing it.
    /// The loop builder's live preview runs the real creation this way.
    pub fn rehearsal<T>(
        &self,
        conn: &mut DbConn,
        f: impl FnOnce(&mut DbConn) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        self.in_transaction(conn, false, f)
    }

    fn in_transaction<T>(
        &self,
        conn: &mut DbConn,
        commit: bool,
        f: impl FnOnce(&mut DbConn) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        let _guard = match self.backend {
            Backend::Sqlite => Some(self.writer.lock().unwrap_or_else(|p| p.into_inner())),
            Backend::Postgres => None,
        };
        match conn {
            DbConn::Sqlite(c) => {
                AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
            }
            DbConn::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
        }
        notify::discard();
        let outcome = match f(conn) {
            Ok(value) if commit => match DbConn::commit_transaction(conn) {
                Ok(()) => {
                    self.wakes.committed();
                    return Ok(value);
                }
                Err(e) => {
                    let _ = DbConn::rollback_transaction(conn);
                    Err(e.into())
                }
            },
            Ok(value) => DbConn::rollback_transaction(conn)
                .map(|()| value)
                .map_err(Into::into),
            Err(e) => {
                DbConn::rollback_transaction(conn)?;
                Err(e)
            }
        };
        notify::discard();
        outcome
    }

    /// Connections of the pool `(in use, idle)`.
    pub fn pool_state(&self) -> (u32, u32) {
        let state = self.pool.state();
        (
            state.connections - state.idle_connections,
            state.idle_connections,
        )
    }

    /// Whether the database answers within 2 s (`Unavailable` otherwise). The
    /// bound covers the wait for a connection and the query: a server that
    /// stopped answering (a network partition) leaves a blocking thread stuck
    /// in the driver, but not the caller.
    pub async fn ping(&self) -> Result<(), ServiceError> {
        const BUDGET: Duration = Duration::from_secs(2);
        let pool = self.pool.clone();
        let check = actix_web::web::block(move || {
            on_connection(pool.get_timeout(BUDGET)?, |conn| {
                Ok(conn.batch_execute("SELECT 1")?)
            })
            .map_err(|e| match e {
                ServiceError::Unavailable(_) => e,
                other => ServiceError::Unavailable(anyhow::Error::new(other)),
            })
        });
        match actix_web::rt::time::timeout(BUDGET, check).await {
            Ok(answer) => answer?,
            Err(_) => Err(ServiceError::Unavailable(anyhow::anyhow!(
                "the database did not answer within {BUDGET:?}"
            ))),
        }
    }

    /// Runs read queries on the blocking pool.
    pub async fn run<T, F>(&self, f: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.clone();
        let span = tracing::Span::current();
        actix_web::web::block(move || span.in_scope(|| on_connection(db.conn()?, f))).await?
    }

    /// Runs read queries planned for their parameters ([`with_custom_plans`])
    /// on the blocking pool: the analytics over periods.
    pub async fn run_analysis<T, F>(&self, f: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |c| with_custom_plans(c, f)).await
    }

    /// Runs `f` in a write transaction that is rolled back, on the blocking pool.
    pub async fn rehearse<T, F>(&self, f: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.clone();
        let span = tracing::Span::current();
        actix_web::web::block(move || {
            span.in_scope(|| on_connection(db.conn()?, |conn| db.rehearsal(conn, f)))
        })
        .await?
    }

    /// Runs `f` in one write transaction on the blocking pool.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.clone();
        let span = tracing::Span::current();
        actix_web::web::block(move || {
            span.in_scope(|| on_connection(db.conn()?, |conn| db.transaction(conn, f)))
        })
        .await?
    }
}

/// Runs `f` while holding a PostgreSQL advisory lock, so that several
/// instances starting at once migrate and bootstrap one after the other.
/// SQLite needs no lock: one file, one writer.
pub fn with_setup_lock<T>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    if let DbConn::Pg(c) = conn {
        c.batch_execute("SELECT pg_advisory_lock(7263011)")?;
    }
    let result = f(conn);
    if let DbConn::Pg(c) = conn {
        c.batch_execute("SELECT pg_advisory_unlock(7263011)")?;
    }
    result
}

/// Runs the embedded migrations of the connection's backend; returns the
/// versions it applied.
pub fn migrate(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    let applied = match conn {
        DbConn::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
    };
    applied
        .map(|versions| versions.into_iter().map(|v| v.to_string()).collect())
        .map_err(|e| anyhow::anyhow!("migration failed: {e}"))
}
