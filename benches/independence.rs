//! criterion micro-benchmarks of the independence engine in a large
//! organisation, and of the debrief packet.
//!
//! Builds an SQLite database (or PostgreSQL with `BENCH_DATABASE_URL`) holding
//! 100,000 people in 2,500 reporting chains, each 40 deep, puts the hiring
//! manager, the bar raiser and the panel at the bottom of their chains, and
//! measures `evaluate_loop` (every query plus the rules), the bar raiser
//! suggestions, the debrief packet of a 12-interview loop, and the
//! re-evaluation that follows a manager change at the top of a chain.
//! Run with `cargo bench --bench independence`.

mod common;

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

use barraiser::db::feedback;
use barraiser::db::{DbConn, now, users};
use barraiser::domain::panel::ProposedInterview;
use barraiser::domain::{CandidateId, LoopId, RequisitionId, UserId};
use barraiser::links::Links;
use barraiser::process::startup::prepare_database;
use barraiser::services::hiring::{independence, loops as ops, suggestions};
use chrono::{TimeZone, Utc};
use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;

const PEOPLE: i64 = 100_000;
const DEPTH: i64 = 40;
const OFFSET: i64 = 1_000; // ids below are left to the bootstrap admin

/// The id of the person at `level` (0 = top) of chain `chain`.
fn person(chain: i64, level: i64) -> i64 {
    OFFSET + chain * DEPTH + level + 1
}

fn build_organisation(conn: &mut DbConn) {
    let at = now().format("%Y-%m-%d %H:%M:%S%.6f").to_string();
    // The text the service writes. SQLite's CAST to TIMESTAMP (a numeric
    // affinity) would keep only the year, as the number 2026.
    let at = match conn {
        DbConn::Pg(_) => format!("CAST('{at}' AS TIMESTAMP)"),
        DbConn::Sqlite(_) => format!("'{at}'"),
    };
    let numbers = match conn {
        DbConn::Pg(_) => format!("SELECT i FROM generate_series(0, {}) AS i", PEOPLE - 1),
        DbConn::Sqlite(_) => format!(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {}) SELECT i FROM n",
            PEOPLE - 1
        ),
    };
    let sql = format!(
        "INSERT INTO users (id, email, name, password_hash, role, manager_id, department, bar_raiser, active, token_version, created_at, updated_at) \
         SELECT {OFFSET} + i + 1, 'p' || i || '@bench.test', 'Person ' || i, 'x', 'member', \
           CASE WHEN i % {DEPTH} = 0 THEN NULL ELSE {OFFSET} + i END, 'Dept ' || (i / {DEPTH}), \
           CASE WHEN i % 97 = 0 THEN 'certified' ELSE 'none' END, TRUE, 0, \
           {at}, {at} FROM ({numbers}) AS numbers"
    );
    diesel::sql_query(sql)
        .execute(conn)
        .expect("insert 100,000 people");
    if let DbConn::Pg(c) = conn {
        c.batch_execute("SELECT setval('users_id_seq', (SELECT MAX(id) FROM users)); ANALYZE")
            .unwrap();
    } else {
        conn.batch_execute("ANALYZE").unwrap();
    }
}

fn benches(c: &mut Criterion) {
    let url = std::env::var("BENCH_DATABASE_URL").unwrap_or_else(|_| {
        let dir = std::env::temp_dir().join(format!("barraiser-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("bench.db").to_string_lossy().into_owned()
    });
    let db = prepare_database(&common::settings(&url)).expect("database");
    let mut conn = db.conn().unwrap();
    let started = Instant::now();
    build_organisation(&mut conn);
    let built = started.elapsed();

    let admin = users::find(&mut conn, 1).unwrap().expect("bootstrap admin");
    // The hiring manager, the bar raiser and the panel sit at the bottom of their chains.
    let hm = person(0, DEPTH - 1);
    let br = person(1, DEPTH - 1);
    let recruiter = person(2, DEPTH - 1);
    let top_of_br_chain = person(1, 0);
    conn.batch_execute(&format!(
        "UPDATE users SET role = 'recruiter' WHERE id = {recruiter}; \
         UPDATE users SET bar_raiser = 'certified' WHERE id = {br}"
    ))
    .unwrap();
    let lp = db
        .transaction(&mut conn, |c| {
            diesel::sql_query(format!(
                "INSERT INTO requisitions (title, hiring_manager_id, recruiter_id, min_panel_size, status, created_at, updated_at) \
                 SELECT 'Bench role', {hm}, {recruiter}, 4, 'open', created_at, updated_at FROM users WHERE id = {hm}"
            ))
            .execute(c)?;
            diesel::sql_query(
                "INSERT INTO requisition_competencies (requisition_id, competency_id) SELECT 1, id FROM competencies WHERE id <= 3",
            )
            .execute(c)?;
            diesel::sql_query(format!(
                "INSERT INTO candidates (name, email, created_by_id, created_at, updated_at) \
                 SELECT 'Bench Candidate', 'c@bench.test', 1, created_at, updated_at FROM users WHERE id = {hm}"
            ))
            .execute(c)?;
            let t = |h| Utc.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap();
            let panel = [br, person(3, DEPTH - 1), person(4, DEPTH - 1), person(5, DEPTH - 1)]
                .iter()
                .enumerate()
                .map(|(i, who)| ProposedInterview {
                    id: None,
                    interviewer_id: *who,
                    competency_ids: vec![(i as i64 % 3) + 1],
                    starts_at: t(9 + i as u32),
                    ends_at: t(10 + i as u32),
                })
                .collect();
            let input = ops::NewLoop {
                requisition_id: RequisitionId(1),
                candidate_id: CandidateId(1),
                bar_raiser_id: UserId(br),
                hiring_manager_id: None,
                recruiter_id: None,
                feedback_window: barraiser::domain::FeedbackWindow::DEFAULT,
                panel,
            };
            Ok(ops::create_in(c, &admin, &input)?.lp)
        })
        .expect("a loop");

    let report = independence::evaluate_loop(&mut conn, &lp).unwrap();
    assert!(report.ok, "the bench loop is green: {report:?}");
    let chain = users::management_chain(&mut conn, hm).unwrap();
    assert_eq!(
        chain.len() as i64,
        DEPTH,
        "the hiring manager's chain is 40 deep"
    );

    for _ in 0..20 {
        independence::evaluate_loop(&mut conn, &lp).unwrap(); // warm the page cache
    }
    // The debrief packet of a loop with twelve interviews, all feedback submitted.
    let big = db
        .transaction(&mut conn, |c| {
            let at = now();
            let candidate = barraiser::db::candidates::insert(
                c,
                &barraiser::db::candidates::NewCandidate {
                    name: "Packet Candidate",
                    email: "packet@bench.test",
                    referred_by_id: None,
                    created_by_id: 1,
                    created_at: at,
                    updated_at: at,
                },
            )?;
            let t = |h| Utc.with_ymd_and_hms(2026, 11, 1, h, 0, 0).unwrap();
            let mut people = vec![br];
            people.extend((3..14).map(|chain| person(chain, DEPTH - 1)));
            let panel = people
                .iter()
                .enumerate()
                .map(|(i, who)| ProposedInterview {
                    id: None,
                    interviewer_id: *who,
                    competency_ids: vec![(i as i64 % 3) + 1],
                    starts_at: t(8 + i as u32),
                    ends_at: t(9 + i as u32),
                })
                .collect();
            let input = ops::NewLoop {
                requisition_id: RequisitionId(1),
                candidate_id: CandidateId(candidate.id),
                bar_raiser_id: UserId(br),
                hiring_manager_id: None,
                recruiter_id: None,
                feedback_window: barraiser::domain::FeedbackWindow::DEFAULT,
                panel,
            };
            let read = ops::create_in(c, &admin, &input)?;
            let evidence = "Situation, action and result, told in specific detail. ".repeat(5);
            for entry in &read.panel {
                let values = feedback::DraftValues {
                    vote: Some("hire"),
                    summary: Some("Solid throughout."),
                    ratings: entry
                        .competency_ids
                        .iter()
                        .map(|c| (*c, Some(3), evidence.as_str()))
                        .collect(),
                };
                feedback::save_draft(c, entry.interview.id, &values, at)?;
                let stored = feedback::find_by_interview(c, entry.interview.id)?
                    .expect("the draft just saved");
                feedback::submit(c, stored.row.id, at, "on_time")?;
            }
            Ok(read.lp.id)
        })
        .expect("a loop of twelve");
    let bar_raiser = users::find(&mut conn, br).unwrap().unwrap();
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let mut group = c.benchmark_group(format!(
        "{backend}, {PEOPLE} people in chains {DEPTH} deep (built in {:.1} s)",
        built.as_secs_f64()
    ));
    group.sample_size(50);
    group.bench_function("one independence report (evaluate_loop)", |b| {
        b.iter(|| {
            let r = independence::evaluate_loop(&mut conn, &lp).unwrap();
            assert!(r.ok);
        })
    });
    group.bench_function("bar raiser suggestions", |b| {
        b.iter(|| assert!(!suggestions::suggest(&mut conn, &lp).unwrap().is_empty()))
    });
    group.bench_function("debrief packet of a 12-interview loop (packet_in)", |b| {
        b.iter(|| {
            let p = barraiser::services::debrief::packet_in(&mut conn, &bar_raiser, LoopId(big))
                .unwrap();
            assert_eq!(p.votes.len(), 12);
        })
    });
    // A reorg at the top of the bar raiser's chain: 40 people's chains change,
    // and back at the next iteration.
    let links = Links::new("http://bench.test", "bench");
    let mut flip = false;
    group.bench_function(
        "manager change at the top of a 40-deep chain + re-evaluation",
        |b| {
            b.iter(|| {
                flip = !flip;
                db.transaction(&mut conn, |c| {
                    let manager = if flip { Some(person(7, 0)) } else { None };
                    diesel::sql_query(format!(
                        "UPDATE users SET manager_id = {} WHERE id = {top_of_br_chain}",
                        manager.map_or("NULL".to_string(), |m| m.to_string())
                    ))
                    .execute(c)?;
                    independence::reevaluate_after_change(c, top_of_br_chain, true, Some(1), &links)
                })
                .unwrap()
            })
        },
    );
    group.finish();
    if !url.starts_with("postgres") {
        drop(conn);
        drop(db);
        let _ = std::fs::remove_dir_all(std::path::Path::new(&url).parent().unwrap());
    }
}

fn config() -> Criterion {
    // Each benchmark runs for a few seconds: the organisation takes longer to build.
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
}

criterion_group! {
    name = independence_benches;
    config = config();
    targets = benches
}
criterion_main!(independence_benches);
