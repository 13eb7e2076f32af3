//! Building and running the application: database, migrations, first-start
//! bootstrap, keys, and the HTTP server on a listener bound first (port 0 in tests).

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, middleware, web};
use anyhow::Context;

use crate::auth::{Passwords, TokenKeys, random_hex};
use crate::config::Settings;
use crate::db::{self, Db};
use crate::{bootstrap, http, telemetry};

/// What every request handler can reach.
pub struct AppState {
    pub db: Db,
    pub tokens: TokenKeys,
    pub passwords: Passwords,
}

pub struct Application {
    listener: TcpListener,
    state: web::Data<AppState>,
    workers: usize,
}

/// Opens the database and brings it up to date: migrations, then the first
/// admin and the competency library on an empty database.
pub fn prepare_database(settings: &Settings) -> anyhow::Result<Db> {
    let db = Db::connect(&settings.database_url, settings.pool_size)?;
    let mut conn = db.conn().map_err(|e| anyhow::anyhow!("{e}"))?;
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
    pub fn build(settings: &Settings) -> anyhow::Result<Self> {
        let db = prepare_database(settings)?;
        let secret = match &settings.jwt_secret {
            Some(secret) => secret.clone(),
            None => {
                let mut conn = db.conn().map_err(|e| anyhow::anyhow!("{e}"))?;
                db::secrets::get_or_create(&mut conn, "jwt_secret", || random_hex(32))
                    .context("cannot load the JWT secret")?
            }
        };
        let state = AppState {
            db,
            tokens: TokenKeys::new(secret.as_bytes()),
            passwords: Passwords::new(settings.password_hash_concurrency)?,
        };
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        Ok(Self {
            listener,
            state: web::Data::new(state),
            workers: settings.http_workers,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The HTTP server. It stops gracefully on SIGTERM/SIGINT: in-flight
    /// requests finish (up to 30 s), new connections are refused.
    pub fn into_server(self) -> std::io::Result<Server> {
        let state = self.state;
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(http::json_config())
                .app_data(http::path_config())
                .app_data(http::query_config())
                .app_data(web::PayloadConfig::new(http::MAX_BODY_BYTES))
                .wrap(http::security_headers())
                .wrap(middleware::from_fn(telemetry::log_requests))
                .configure(http::routes)
        })
        .workers(self.workers.max(1))
        .shutdown_timeout(30)
        .listen(self.listener)?
        .run();
        Ok(server)
    }
}
