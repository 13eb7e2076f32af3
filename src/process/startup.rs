//! Building and running the application: database, migrations, first-start
//! bootstrap, keys, and the HTTP server on a listener bound first (port 0 in tests).

use std::net::TcpListener;

use actix_web::dev::{Server, ServerHandle};
use actix_web::{App, HttpServer, middleware, web};
use anyhow::Context;

use super::{bootstrap, telemetry};
use crate::auth::{Passwords, TokenKeys, random_hex};
use crate::db::{self, Db};
use crate::http;
use crate::mail::Mailer;
use crate::mail::worker::{RetryPolicy, Worker};
use crate::metrics::Metrics;
use crate::process::config::Settings;
use crate::services::feedback::reminders;
use crate::state::AppState;
use tokio::sync::watch;

pub struct Application {
    listener: TcpListener,
    state: web::Data<AppState>,
    /// How the web pages set their cookies and check their forms.
    web_settings: web::Data<crate::web::WebSettings>,
    workers: usize,
    /// Blocking threads per worker: as many as the pool has connections.
    blocking_threads: usize,
    mail_worker: Option<Worker>,
    /// The overdue-feedback reminder job, which runs where the mail worker runs.
    reminders: Option<(Db, crate::links::Links, std::sync::Arc<Metrics>)>,
    /// The insights kept ahead, refreshed this often, where the mail worker runs.
    insights: Option<(Db, crate::services::analytics::Privacy, std::time::Duration)>,
}

/// How often the reminder job looks for overdue feedback.
pub const REMINDER_INTERVAL: std::time::Duration = std::time::Duration::from_secs(60);

/// The links of this installation (its id is created on first use).
pub fn links(db: &Db, settings: &Settings) -> anyhow::Result<crate::links::Links> {
    let mut conn = db.conn().context("cannot get a database connection")?;
    crate::process::bootstrap::links(&mut conn, &settings.mail.public_url)
        .context("cannot load the installation id")
}

/// The delivery worker configured by `settings`, on `db`.
pub fn mail_worker(db: &Db, settings: &Settings) -> anyhow::Result<Worker> {
    let mail = &settings.mail;
    Ok(Worker::new(
        db.clone(),
        Mailer::new(mail, links(db, settings)?)?,
        RetryPolicy {
            base: mail.retry_base,
            max: mail.retry_max,
        },
        mail.poll_interval,
        crate::webhooks::Deliverer::new(settings.webhooks)?,
    ))
}

/// Opens the database and brings it up to date: migrations, then the first
/// admin and the competency library on an empty database.
pub fn prepare_database(settings: &Settings) -> anyhow::Result<Db> {
    let db = Db::connect(&settings.database_url, settings.pool_size)?;
    let mut conn = db.conn().context("cannot get a database connection")?;
    db::with_setup_lock(&mut conn, |conn| {
        let applied = db::migrate(conn)?;
        if !applied.is_empty() {
            tracing::info!(count = applied.len(), "applied migrations");
        }
        bootstrap::run(&db, conn, settings)
    })?;
    drop(conn);
    Ok(db)
}

impl Application {
    /// Call it inside an actix runtime (the SMTP pool spawns its janitor task).
    pub fn build(settings: &Settings) -> anyhow::Result<Self> {
        let db = prepare_database(settings)?;
        let secret = match &settings.jwt_secret {
            Some(secret) => secret.clone(),
            None => {
                let mut conn = db.conn().context("cannot get a database connection")?;
                db::secrets::get_or_create(&mut conn, "jwt_secret", || random_hex(32))
                    .context("cannot load the JWT secret")?
            }
        };
        let links = links(&db, settings)?;
        let mail_worker = if settings.mail.worker {
            Some(mail_worker(&db, settings)?)
        } else {
            None
        };
        let metrics = Metrics::new(match db.backend() {
            db::Backend::Postgres => "postgres",
            db::Backend::Sqlite => "sqlite",
        });
        let reminders = settings
            .mail
            .worker
            .then(|| (db.clone(), links.clone(), metrics.clone()));
        let insights = settings
            .insights_refresh
            .filter(|_| settings.mail.worker)
            .map(|every| (db.clone(), settings.analytics, every));
        let state = AppState {
            key_uses: Default::default(),
            webhooks: settings.webhooks,
            sso: match &settings.sso {
                Some(sso) => Some(crate::auth::sso::Sso::new(
                    sso.clone(),
                    &settings.mail.public_url,
                )?),
                None => None,
            },
            password_sign_in: settings.password_sign_in,
            live: std::sync::Arc::new(crate::services::debrief::live::Live::new(
                settings.streams_per_person,
            )),
            analytics: settings.analytics,
            insights_refresh: settings.insights_refresh,
            links,
            metrics,
            db,
            tokens: TokenKeys::new(secret.as_bytes()),
            passwords: Passwords::new(settings.password_hash_concurrency)?,
        };
        let web_settings =
            crate::web::WebSettings::new(&settings.mail.public_url, secret.as_bytes());
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        Ok(Self {
            listener,
            state: web::Data::new(state),
            web_settings: web::Data::new(web_settings),
            workers: settings.http_workers,
            blocking_threads: (settings.pool_size as usize)
                .div_ceil(settings.http_workers.max(1))
                .max(2),
            mail_worker,
            reminders,
            insights,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Starts the HTTP server and, if configured, the mail worker. Call it
    /// inside an actix runtime. The server stops gracefully on SIGTERM/SIGINT:
    /// the debrief room's live streams end at once (their pages reconnect to
    /// another instance and resume), in-flight requests finish (up to 30 s),
    /// new connections are refused.
    pub fn start(self) -> std::io::Result<Running> {
        let state = self.state;
        let live = state.live.clone();
        let metrics = web::Data::new(state.metrics.clone());
        let web_settings = self.web_settings;
        let csrf = web_settings.csrf.clone();
        let https = web_settings.secure_cookies;
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(metrics.clone())
                .app_data(web_settings.clone())
                .app_data(http::path_config())
                .app_data(http::query_config())
                .app_data(web::PayloadConfig::new(http::MAX_BODY_BYTES))
                .wrap(actix_csrf_middleware::CsrfMiddleware::new(csrf.clone()))
                .wrap(middleware::from_fn(crate::web::refusals))
                .wrap(http::security_headers(https))
                .wrap(middleware::from_fn(telemetry::log_requests))
                .configure(http::routes)
                .configure(crate::web::routes)
                .default_service(web::to(crate::web::fallback))
        })
        .workers(self.workers.max(1))
        // Database work runs on the blocking pool; more threads than pooled
        // connections only wait for one, each growing its own malloc arena.
        // In the load benchmark this cap took the peak resident memory of the
        // slowest case from 230 MB to 153 MB and every read got faster; sharing
        // the pool's connections out among the workers (rather than the whole
        // pool to each) took the loop read from 25-27k/s to 28-30k/s.
        .worker_max_blocking_threads(self.blocking_threads)
        .shutdown_timeout(30)
        // Signals are ours: the live streams must end before the graceful stop waits for them.
        .disable_signals()
        .listen(self.listener)?
        .run();
        let handle = Handle {
            server: server.handle(),
            live,
        };
        // Registered now, before anyone is told the service listens: a signal
        // that arrives a moment later must find our handler, not the default.
        let signals = Signals::register()?;
        actix_web::rt::spawn(handle.clone().stop_on(signals));
        let (stop_worker, stopped) = watch::channel(false);
        let mut jobs = Vec::new();
        if let Some(worker) = self.mail_worker {
            jobs.push(actix_web::rt::spawn(worker.run(stopped.clone())));
        }
        if let Some((db, privacy, every)) = self.insights {
            jobs.push(actix_web::rt::spawn(crate::services::analytics::kept::run(
                db,
                privacy,
                every,
                stopped.clone(),
            )));
        }
        if let Some((db, links, metrics)) = self.reminders {
            jobs.push(actix_web::rt::spawn(reminders::run(
                db,
                links,
                metrics,
                REMINDER_INTERVAL,
                stopped,
            )));
        }
        Ok(Running {
            server,
            handle,
            jobs,
            stop_worker,
        })
    }
}

/// Stops a started application: its live streams first, then the server.
#[derive(Clone)]
pub struct Handle {
    server: ServerHandle,
    live: std::sync::Arc<crate::services::debrief::live::Live>,
}

impl Handle {
    /// Ends the live streams and stops the server (`graceful`: in-flight
    /// requests finish first).
    pub async fn stop(&self, graceful: bool) {
        self.live.shut_down();
        self.server.stop(graceful).await;
    }

    /// Waits for SIGTERM or SIGINT (Ctrl-C), then stops gracefully.
    async fn stop_on(self, mut signals: Signals) {
        tokio::select! {
            _ = signals.term.recv() => {}
            _ = signals.int.recv() => {}
        }
        tracing::info!("stopping: ending the live streams, finishing requests in flight");
        self.stop(true).await;
    }
}

/// SIGTERM and SIGINT, taken over from their default (ending the process).
struct Signals {
    term: actix_web::rt::signal::unix::Signal,
    int: actix_web::rt::signal::unix::Signal,
}

impl Signals {
    fn register() -> std::io::Result<Self> {
        use actix_web::rt::signal::unix::{SignalKind, signal};
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
        })
    }
}

/// A started application.
pub struct Running {
    server: Server,
    handle: Handle,
    jobs: Vec<actix_web::rt::task::JoinHandle<()>>,
    stop_worker: watch::Sender<bool>,
}

impl Running {
    pub fn handle(&self) -> Handle {
        self.handle.clone()
    }

    /// Waits until the server stops, then lets the mail worker finish the
    /// message in hand and stop.
    pub async fn wait(self) -> std::io::Result<()> {
        let result = self.server.await;
        let _ = self.stop_worker.send(true);
        for job in self.jobs {
            let _ = job.await;
        }
        result
    }
}
