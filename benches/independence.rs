//! How long one independence report takes in a large organisation.
//!
//! Builds an SQLite database (or PostgreSQL with `BENCH_DATABASE_URL`) holding
//! 100,000 people in 2,500 reporting chains, each 40 deep, puts the hiring
//! manager, the bar raiser and the panel at the bottom of their chains, and
//! times `evaluate_loop` (every query plus the rules) many times. It also
//! times the re-evaluation that follows a manager change at the top of a chain
//! and the bar raiser suggestions. Run with `cargo bench --bench independence`.

mod common;

use std::time::{Duration, Instant};

use barraiser::db::feedback;
use barraiser::db::{DbConn, now, users};
use barraiser::domain::panel::ProposedInterview;
use barraiser::domain::{CandidateId, LoopId, RequisitionId, UserId};
use barraiser::hiring::{independence, loops as ops, suggestions};
use barraiser::links::Links;
use barraiser::startup::prepare_database;
use chrono::{TimeZone, Utc};
use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;

const PEOPLE: i64 = 100_000;
const DEPTH: i64 = 40;
const OFFSET: i64 = 1_000; // ids below are left to the bootstrap admin
const RUNS: usize = 500;

/// The id of the person at `level` (0 = top) of chain `chain`.
fn person(chain: i64, level: i64) -> i64 {
    OFFSET + chain * DEPTH + level + 1
}

fn build_organisation(conn: &mut DbConn) {
    let at = now().format("%Y-%m-%d %H:%M:%S%.6f").to_string();
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
           CAST('{at}' AS TIMESTAMP), CAST('{at}' AS TIMESTAMP) FROM ({numbers}) AS numbers"
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

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let pick = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize];
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "| {name} | {} | {:.0} µs | {:.0} µs | {:.0} µs | {:.0} µs |",
        samples.len(),
        us(pick(0.0)),
        us(pick(0.5)),
        us(pick(0.95)),
        us(*samples.last().unwrap())
    );
}

fn main() {
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
                feedback_window_hours: 24,
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
    let mut evaluate = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        let r = independence::evaluate_loop(&mut conn, &lp).unwrap();
        evaluate.push(t.elapsed());
        assert!(r.ok);
    }
    let mut suggest = Vec::with_capacity(50);
    for _ in 0..50 {
        let t = Instant::now();
        let s = suggestions::suggest(&mut conn, &lp).unwrap();
        suggest.push(t.elapsed());
        assert!(!s.is_empty());
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
                feedback_window_hours: 24,
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
    let mut packet = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        let p = barraiser::debrief::packet_in(&mut conn, &bar_raiser, LoopId(big)).unwrap();
        packet.push(t.elapsed());
        assert_eq!(p.votes.len(), 12);
    }
    // A reorg at the top of the bar raiser's chain: 40 people's chains change.
    let mut reevaluate = Vec::with_capacity(50);
    for i in 0..50 {
        let t = Instant::now();
        db.transaction(&mut conn, |c| {
            let manager = if i % 2 == 0 { Some(person(7, 0)) } else { None };
            diesel::sql_query(format!(
                "UPDATE users SET manager_id = {} WHERE id = {top_of_br_chain}",
                manager.map_or("NULL".to_string(), |m| m.to_string())
            ))
            .execute(c)?;
            independence::reevaluate_after_change(
                c,
                top_of_br_chain,
                true,
                Some(1),
                &Links::new("http://bench.test", "bench"),
            )
        })
        .unwrap();
        reevaluate.push(t.elapsed());
    }

    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "\nbarraiser independence benchmark ({backend}, {PEOPLE} people, chains {DEPTH} deep; organisation built in {:.1} s)\n",
        built.as_secs_f64()
    );
    println!("| operation | runs | min | median | p95 | max |");
    println!("| --- | --- | --- | --- | --- | --- |");
    summary("one independence report (`evaluate_loop`)", evaluate);
    summary("bar raiser suggestions", suggest);
    summary(
        "debrief packet of a 12-interview loop (`packet_in`)",
        packet,
    );
    summary(
        "manager change at the top of a 40-deep chain + re-evaluation",
        reevaluate,
    );
    if !url.starts_with("postgres") {
        drop(conn);
        drop(db);
        let _ = std::fs::remove_dir_all(std::path::Path::new(&url).parent().unwrap());
    }
}
