use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::helpers::{TestApp, TestDb, spawn_app, test_settings};

#[test]
fn healthz_answers_without_authentication() {
    let app = spawn_app();
    let res = app.request("GET", "/healthz", None, None);
    assert_eq!(res.status, 200);
    assert_eq!(res.body["status"], "ok");
}

#[test]
fn readyz_reports_a_reachable_database() {
    let app = spawn_app();
    let res = app.request("GET", "/readyz", None, None);
    assert_eq!(res.status, 200);
    assert_eq!(res.body["status"], "ready");
}

/// A TCP relay in front of the PostgreSQL server. Once cut, it keeps every
/// connection open and forwards nothing, as a network partition does.
struct Relay {
    port: u16,
    cut: Arc<AtomicBool>,
    streams: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    fn to(upstream: String) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let cut = Arc::new(AtomicBool::new(false));
        let streams = Arc::new(Mutex::new(Vec::new()));
        let (c, s) = (cut.clone(), streams.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { break };
                let Ok(server) = TcpStream::connect(&upstream) else {
                    continue;
                };
                s.lock()
                    .unwrap()
                    .extend([client.try_clone().unwrap(), server.try_clone().unwrap()]);
                let pairs = [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ];
                for (mut from, mut to) in pairs {
                    let cut = c.clone();
                    std::thread::spawn(move || {
                        let mut buf = [0u8; 16 * 1024];
                        while let Ok(n @ 1..) = from.read(&mut buf) {
                            if !cut.load(Ordering::SeqCst) && to.write_all(&buf[..n]).is_err() {
                                break;
                            }
                        }
                        let _ = to.shutdown(Shutdown::Both);
                    });
                }
            }
        });
        Relay { port, cut, streams }
    }

    fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
    }

    /// Closes every relayed connection, so nothing stays blocked on them.
    fn sever(&self) {
        for stream in self.streams.lock().unwrap().iter() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

/// `settings` pointed at the PostgreSQL server of `db` through a new relay.
fn through_a_relay(db: &TestDb, settings: &mut barraiser::process::config::Settings) -> Relay {
    // postgres://user:password@host:port/name, relayed through a local port.
    let (head, rest) = db.url.rsplit_once('@').expect("the URL names a host");
    let (authority, name) = rest.split_once('/').expect("the URL names a database");
    let relay = Relay::to(authority.to_owned());
    settings.database_url = format!("{head}@127.0.0.1:{}/{name}", relay.port);
    relay
}

#[test]
fn readyz_answers_503_within_two_seconds_when_the_database_stops_answering() {
    let db = TestDb::fresh();
    let mut settings = test_settings(&db);
    settings.mail.worker = false;
    if !db.url.starts_with("postgres") {
        // An embedded SQLite file has no network to lose: readiness holds.
        let app = TestApp::start(db, settings);
        let res = app.request("GET", "/readyz", None, None);
        assert_eq!(res.status, 200);
        return;
    }
    let relay = through_a_relay(&db, &mut settings);
    let app = TestApp::start(db, settings);
    assert_eq!(app.request("GET", "/readyz", None, None).status, 200);

    relay.cut();
    let asked = Instant::now();
    let res = app.request("GET", "/readyz", None, None);
    let took = asked.elapsed();
    relay.sever();
    res.assert_problem(503, "unavailable");
    assert!(took < Duration::from_secs(3), "answered after {took:?}");
}

/// The value of the sample `name{labels}` in an exposition, if present.
fn sample(text: &str, name_and_labels: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name_and_labels)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
}

#[test]
fn metrics_are_prometheus_text_and_move_with_requests() {
    let app = spawn_app();
    let me = app.user("member", "Kim Park");
    let scrape = || {
        let res = app.request("GET", "/metrics", None, None);
        assert_eq!(res.status, 200);
        assert!(
            res.header("content-type")
                .is_some_and(|ct| ct.starts_with("application/openmetrics-text"))
        );
        res.body.as_str().unwrap().to_owned()
    };
    let before = scrape();
    // Every line is a comment or a sample `name{labels} value`; the exposition ends with EOF.
    assert_eq!(before.lines().last(), Some("# EOF"));
    for line in before.lines().filter(|l| !l.starts_with('#')) {
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("{line}"));
        assert!(value.parse::<f64>().is_ok(), "{line}");
        let name = series.split('{').next().unwrap();
        assert!(
            name.starts_with("barraiser_")
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{line}"
        );
    }
    let users =
        "barraiser_http_requests_total{method=\"GET\",route=\"/api/v1/users/{id}\",status=\"200\"}";
    let n0 = sample(&before, users).unwrap_or(0.0);
    for _ in 0..3 {
        assert_eq!(app.get_user(&me.token, me.id).status, 200);
    }
    let after = scrape();
    assert_eq!(
        sample(&after, users),
        Some(n0 + 3.0),
        "counted by route pattern"
    );
    assert!(
        !after.contains(&format!("/api/v1/users/{}\"", me.id)),
        "never by raw path"
    );
    assert!(after.contains("barraiser_http_request_duration_seconds_bucket{"));
    assert!(
        sample(&after, "barraiser_outbox_messages{status=\"pending\"}").is_some()
            || sample(&after, "barraiser_outbox_messages{status=\"sent\"}").is_some()
    );
    assert!(sample(&after, "barraiser_db_pool_connections{state=\"idle\"}").is_some());
    assert!(after.contains("barraiser_build_info{version="));
    assert!(after.contains("barraiser_feedback_reminders_sent_total"));
}

/// Pooled connections are not tested with a query before each use; one that a
/// database restart broke fails its request with 503 `unavailable` (retry),
/// is dropped from the pool, and a fresh one takes its place.
#[test]
fn connections_lost_in_a_database_restart_fail_once_with_503_and_are_replaced() {
    let db = TestDb::fresh();
    let mut settings = test_settings(&db);
    settings.mail.worker = false;
    settings.pool_size = 3;
    if !db.url.starts_with("postgres") {
        // An embedded SQLite file has no connection to lose: every read answers.
        let app = TestApp::start(db, settings);
        for _ in 0..10 {
            assert_eq!(app.me(&app.admin_token).status, 200);
        }
        return;
    }
    let relay = through_a_relay(&db, &mut settings);
    let app = TestApp::start(db, settings);
    // Three requests at once, so that the pool holds three connections.
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| assert_eq!(app.me(&app.admin_token).status, 200));
        }
    });

    // The server restarts: every open connection is closed, new ones work.
    relay.sever();
    let statuses: Vec<u16> = (0..8)
        .map(|_| {
            let res = app.me(&app.admin_token);
            if res.status != 200 {
                res.assert_problem(503, "unavailable");
                assert_eq!(res.header("retry-after"), Some("1"));
            }
            res.status
        })
        .collect();
    let failed = statuses.iter().filter(|s| **s == 503).count();
    assert!(
        failed <= 3,
        "at most one failure per pooled connection: {statuses:?}"
    );
    assert_eq!(
        statuses[3..],
        [200; 5],
        "the pool is whole again: {statuses:?}"
    );
    assert_eq!(app.request("GET", "/readyz", None, None).status, 200);
}
