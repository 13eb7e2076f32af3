//! `spawn_app()`: the real service on a free port with a fresh database per
//! test. SQLite (a temporary file) by default; PostgreSQL (a new database
//! created on the server) when `TEST_DATABASE_URL` is set. When it is set and
//! the server cannot be reached, tests fail: they never skip a backend.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use barraiser::auth::{TokenKeys, hash_now};
use barraiser::db::Db;
use barraiser::domain::{Email, OneLine, PersonName, Role, UserId};
use barraiser::links::Links;
use barraiser::mail::{MailSettings, MailTransport};
use barraiser::process::config::{LogFormat, Settings};
use barraiser::process::startup::{Application, Handle};
use barraiser::services::people::{self, NewAccount};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use serde_json::{Value, json};
use ureq::http::HeaderMap;

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PASSWORD: &str = "admin-password-123";
pub const JWT_SECRET: &str = "test-secret-0123456789-0123456789-abcdef";
pub const PASSWORD: &str = "a-long-enough-password";

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "{prefix}_{}_{n}_{}",
        std::process::id(),
        barraiser::auth::random_hex(4)
    )
}

/// A database that belongs to one test.
#[derive(Debug, Clone)]
pub struct TestDb {
    pub url: String,
    /// `(server URL, database name)` of a PostgreSQL database to drop afterwards.
    pg: Option<(String, String)>,
}

impl TestDb {
    pub fn fresh() -> Self {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(server) if !server.trim().is_empty() => {
                let name = unique("barraiser_test");
                let mut admin = PgConnection::establish(&server).unwrap_or_else(|e| {
                    panic!("TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}")
                });
                admin
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create a test database");
                let base = &server[..server.rfind('/').expect("URL has a database path")];
                TestDb {
                    url: format!("{base}/{name}"),
                    pg: Some((server.clone(), name)),
                }
            }
            _ => {
                let dir = std::env::temp_dir().join("barraiser-tests");
                std::fs::create_dir_all(&dir).expect("temp dir");
                let path = dir.join(format!("{}.db", unique("t")));
                TestDb {
                    url: path.to_string_lossy().into_owned(),
                    pg: None,
                }
            }
        }
    }

    /// Where the file transport writes this test's mail.
    pub fn mail_dir(&self) -> std::path::PathBuf {
        let id = match &self.pg {
            Some((_, name)) => name.clone(),
            None => self.url.rsplit('/').next().unwrap_or("db").to_owned(),
        };
        std::env::temp_dir()
            .join("barraiser-tests")
            .join(format!("{id}-mail"))
    }

    pub fn remove(&self) {
        let _ = std::fs::remove_dir_all(self.mail_dir());
        match &self.pg {
            Some((server, name)) => {
                if let Ok(mut admin) = PgConnection::establish(server) {
                    let _ = admin
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                }
            }
            None => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", self.url));
                }
            }
        }
    }
}

pub fn test_settings(db: &TestDb) -> Settings {
    Settings {
        database_url: db.url.clone(),
        bind: "127.0.0.1:0".into(),
        jwt_secret: Some(JWT_SECRET.into()),
        admin_email: Some(ADMIN_EMAIL.into()),
        admin_password: Some(ADMIN_PASSWORD.into()),
        pool_size: 3,
        http_workers: 1,
        password_hash_concurrency: 2,
        log_format: LogFormat::Text,
        analytics: Default::default(),
        streams_per_person: barraiser::services::debrief::live::STREAMS_PER_PERSON,
        // Tests and benchmarks keep the insights themselves, when they mean to.
        insights_refresh: None,
        sso: None,
        password_sign_in: true,
        // The webhook tests' receivers listen on loopback.
        webhooks: barraiser::webhooks::Reach {
            allow_private_networks: true,
        },
        mail: MailSettings {
            transport: MailTransport::Dir(db.mail_dir()),
            smtp_ca_file: None,
            from: "barraiser <barraiser@example.com>".into(),
            public_url: "http://barraiser.test".into(),
            worker: true,
            poll_interval: Duration::from_millis(100),
            retry_base: Duration::from_secs(1),
            retry_max: Duration::from_secs(2),
        },
    }
}

/// Settings that deliver mail to the SMTP server at `smtp_url`.
pub fn smtp_settings(db: &TestDb, smtp_url: &str) -> Settings {
    let mut settings = test_settings(db);
    settings.mail.transport = MailTransport::Smtp(smtp_url.into());
    settings
}

pub struct TestApp {
    pub address: String,
    pub db: TestDb,
    /// A second pool on the app's database, for fixtures that skip HTTP.
    store: Db,
    pub settings: Settings,
    pub admin_token: String,
    agent: ureq::Agent,
    handle: Option<Handle>,
    thread: Option<JoinHandle<()>>,
}

pub fn spawn_app() -> TestApp {
    let db = TestDb::fresh();
    let settings = test_settings(&db);
    TestApp::start(db, settings)
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The problem `code` of an error response.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    /// Asserts a problem+json response with this status and code.
    #[track_caller]
    pub fn assert_problem(&self, status: u16, code: &str) {
        assert_eq!(
            self.status, status,
            "unexpected status, body: {}",
            self.body
        );
        assert_eq!(self.code(), code, "unexpected code, body: {}", self.body);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "problems are application/problem+json"
        );
        assert_eq!(self.body["status"], status);
        assert!(self.body["title"].is_string() && self.body["detail"].is_string());
    }

    /// The field names of a 422 validation problem.
    pub fn fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["field"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A user created for a test, with a token.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: i64,
    pub email: String,
    pub token: String,
}

impl TestApp {
    pub fn start(db: TestDb, settings: Settings) -> TestApp {
        let (tx, rx) = mpsc::channel();
        let app_settings = settings.clone();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let app = match Application::build(&app_settings) {
                    Ok(app) => app,
                    Err(e) => {
                        let _ = tx.send(Err(format!("{e:#}")));
                        return;
                    }
                };
                let port = app.port();
                let running = app.start().expect("server starts");
                let _ = tx.send(Ok((port, running.handle())));
                let _ = running.wait().await;
            });
        });
        let (port, handle) = rx
            .recv()
            .expect("the server thread reports")
            .unwrap_or_else(|e| panic!("application failed to start: {e}"));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // Redirects are answers to assert, not to follow.
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let store = Db::connect(&db.url, 2).expect("the test database opens");
        let mut app = TestApp {
            address: format!("http://127.0.0.1:{port}"),
            store,
            db,
            settings,
            admin_token: String::new(),
            agent,
            handle: Some(handle),
            thread: Some(thread),
        };
        if app.settings.admin_email.as_deref() == Some(ADMIN_EMAIL) {
            app.admin_token = app.login(ADMIN_EMAIL, ADMIN_PASSWORD);
        }
        app
    }

    /// Stops the server (gracefully) and starts a new one on the same database.
    pub fn restart(mut self) -> TestApp {
        self.stop();
        let db = self.db.clone();
        let settings = self.settings.clone();
        std::mem::forget(self); // keep the database: the new app owns it now
        TestApp::start(db, settings)
    }

    /// Stops a second instance that shares its database with another app,
    /// leaving the database to the other app.
    pub fn stop_sharing_db(mut self) {
        self.stop();
        std::mem::forget(self);
    }

    fn stop(&mut self) {
        if let Some(handle) = self.handle.take() {
            actix_web::rt::System::new().block_on(handle.stop(true));
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> TestResponse {
        let raw = body.map(|b| serde_json::to_vec(b).unwrap());
        self.raw(
            method,
            path,
            token,
            raw.as_deref(),
            Some("application/json"),
        )
    }

    /// Sends `body` exactly as given.
    pub fn raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&[u8]>,
        content_type: Option<&str>,
    ) -> TestResponse {
        let url = self.url(path);
        let auth = token.map(|t| format!("Bearer {t}"));
        macro_rules! finish {
            ($builder:expr) => {{
                let mut b = $builder;
                if let Some(auth) = &auth {
                    b = b.header("Authorization", auth);
                }
                b
            }};
        }
        let result = match method {
            "GET" => finish!(self.agent.get(&url)).call(),
            "DELETE" => finish!(self.agent.delete(&url)).call(),
            _ => {
                let mut b = match method {
                    "POST" => finish!(self.agent.post(&url)),
                    "PUT" => finish!(self.agent.put(&url)),
                    "PATCH" => finish!(self.agent.patch(&url)),
                    other => panic!("unsupported method {other}"),
                };
                if let (Some(ct), Some(_)) = (content_type, body) {
                    b = b.header("Content-Type", ct);
                }
                match body {
                    Some(bytes) => b.send(bytes),
                    None => b.send_empty(),
                }
            }
        };
        let mut response = result.unwrap_or_else(|e| panic!("{method} {path} failed: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response
            .body_mut()
            .with_config()
            .limit(20 * 1024 * 1024)
            .read_to_string()
            .unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        TestResponse {
            status,
            headers,
            body,
        }
    }

    pub fn get(&self, path: &str, token: &str) -> TestResponse {
        self.request("GET", path, Some(token), None)
    }

    pub fn post(&self, path: &str, token: &str, body: Value) -> TestResponse {
        self.request("POST", path, Some(token), Some(&body))
    }

    pub fn patch(&self, path: &str, token: &str, body: Value) -> TestResponse {
        self.request("PATCH", path, Some(token), Some(&body))
    }

    pub fn put(&self, path: &str, token: &str, body: Value) -> TestResponse {
        self.request("PUT", path, Some(token), Some(&body))
    }

    pub fn try_login(&self, email: &str, password: &str) -> TestResponse {
        self.request(
            "POST",
            barraiser::urls::api::LOGIN,
            None,
            Some(&json!({ "email": email, "password": password })),
        )
    }

    #[track_caller]
    pub fn login(&self, email: &str, password: &str) -> String {
        let res = self.try_login(email, password);
        assert_eq!(res.status, 200, "login of {email} failed: {}", res.body);
        res.body["access_token"].as_str().unwrap().to_owned()
    }

    /// Creates a user through the API (as the admin) and signs them in.
    #[track_caller]
    pub fn user(&self, role: &str, name: &str) -> TestUser {
        self.user_with(json!({ "role": role, "name": name }))
    }

    /// The outbox as the admin sees it (up to 200 messages).
    #[track_caller]
    pub fn outbox(&self) -> Vec<Value> {
        let res = self.get(
            &format!("{}?limit=200", barraiser::urls::api::OUTBOX),
            &self.admin_token,
        );
        assert_eq!(res.status, 200, "{}", res.body);
        res.body["items"].as_array().unwrap().clone()
    }

    /// Outbox messages of one kind.
    pub fn outbox_of(&self, kind: &str) -> Vec<Value> {
        self.outbox()
            .into_iter()
            .filter(|m| m["kind"] == kind)
            .collect()
    }

    /// The sorted addressees of the messages of `kind` in the outbox, one per message.
    pub fn recipients_of(&self, kind: &str) -> Vec<String> {
        let mut to: Vec<String> = self
            .outbox_of(kind)
            .iter()
            .map(|m| m["to"][0].as_str().unwrap_or_default().to_owned())
            .collect();
        to.sort();
        to
    }

    /// The raw `.eml` files the file transport wrote, waiting until there are at least `n`.
    #[track_caller]
    pub fn mail_files(&self, n: usize) -> Vec<Vec<u8>> {
        let dir = self.db.mail_dir();
        let read = || -> Vec<Vec<u8>> {
            let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
                .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            paths.retain(|p| p.extension().is_some_and(|e| e == "eml"));
            paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
        };
        crate::smtp::wait_until(Duration::from_secs(30), || read().len() >= n);
        // The file transport writes a message in place, so a read can catch
        // one half-written: answer only once two reads agree.
        let mut last = read();
        crate::smtp::wait_until(Duration::from_secs(30), || {
            let now = read();
            let settled = now == last;
            last = now;
            settled
        });
        last
    }

    /// The path of the first link starting with `path` (after the public URL)
    /// in a delivered mail to `to` whose subject starts with `subject`,
    /// waiting for that mail.
    #[track_caller]
    pub fn mail_link(&self, to: &str, subject: &str, path: &str) -> String {
        let base = self.settings.mail.public_url.clone();
        let find = || {
            self.mail_files(0).into_iter().find_map(|raw| {
                let m = mail_parser::MessageParser::default().parse(&raw)?;
                let addressee = m.to()?.first()?.address()?.to_owned();
                if addressee != to || !m.subject()?.starts_with(subject) {
                    return None;
                }
                let text = m.body_text(0)?.into_owned();
                text.split_whitespace()
                    .filter_map(|w| w.strip_prefix(base.as_str()))
                    .find(|p| p.starts_with(path))
                    .map(str::to_owned)
            })
        };
        crate::smtp::wait_until(Duration::from_secs(30), || find().is_some());
        find().unwrap()
    }

    /// Like [`user`](Self::user) with extra fields (`manager_id`, `department`, …).
    /// The person is written straight to the database through the same
    /// service the API uses (the welcome mail included), with a password hash
    /// computed once per run, and gets a signed token without signing in: no
    /// HTTP round trip and no argon2 per person. Tests about creating people or
    /// signing in use the API instead.
    #[track_caller]
    pub fn user_with(&self, fields: Value) -> TestUser {
        let email = format!("{}@example.com", unique("user"));
        let text = |k: &str| fields.get(k).and_then(Value::as_str);
        let account = NewAccount {
            email: Email::parse("email", &email).unwrap(),
            name: PersonName::parse("name", text("name").unwrap_or("Test User")).unwrap(),
            role: text("role").unwrap_or("member").parse::<Role>().unwrap(),
            manager_id: fields.get("manager_id").and_then(Value::as_i64).map(UserId),
            department: OneLine::parse_optional("department", text("department"), 200).unwrap(),
        };
        let mut conn = self.store.conn().unwrap();
        let links = barraiser::process::bootstrap::links(&mut conn, &self.settings.mail.public_url)
            .unwrap();
        // The account and an API session, as a sign-in would start it
        // (without spending an argon2 check per fixture person).
        let (user, key) = self
            .store
            .transaction(&mut conn, |c| {
                let user = people::create_account(c, &account, password_hash(), &links, None)?;
                let key = barraiser::auth::session::start(
                    c,
                    user.id,
                    barraiser::auth::SessionKind::Api,
                    barraiser::db::now(),
                )?;
                Ok((user, key))
            })
            .unwrap_or_else(|e| panic!("creating a user failed: {e}"));
        let secret = self.settings.jwt_secret.as_deref().unwrap_or(JWT_SECRET);
        TestUser {
            id: user.id,
            token: TokenKeys::new(secret.as_bytes())
                .issue(user.id, user.token_version, key.expose())
                .unwrap(),
            email,
        }
    }

    /// The installation's links (its id read from the app's database).
    pub fn links(&self) -> Links {
        let mut conn = self.store.conn().unwrap();
        barraiser::process::bootstrap::links(&mut conn, &self.settings.mail.public_url).unwrap()
    }

    /// The app's database, for tests that look underneath the API.
    pub fn store(&self) -> &Db {
        &self.store
    }
}

/// The argon2 hash of [`PASSWORD`], computed once per test run.
fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_now(PASSWORD).expect("argon2 hashes"))
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.stop();
        self.db.remove();
    }
}

/// A child process that is killed and reaped when the guard drops, so a test
/// that fails half-way leaves no `barraiser` process behind.
pub struct KillOnDrop(pub std::process::Child);

impl std::ops::Deref for KillOnDrop {
    type Target = std::process::Child;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for KillOnDrop {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Installs a real peer from PyPI with the machine's pip when `present` says
/// it is missing, so that `cargo test` works on a fresh machine that has
/// Python; fails loudly (naming `what` needs it) when it cannot.
pub fn ensure_python_package(spec: &str, what: &str, present: impl Fn() -> bool) {
    if present() {
        return;
    }
    let installed = std::process::Command::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .arg(spec)
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        installed && present(),
        "{what} needs {spec}: python3 -m pip install {spec}"
    );
}
