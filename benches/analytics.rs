//! How long the input metrics and calibration take over a year of data:
//! 100,000 loops (400,000 interviews, about 330,000 submitted feedbacks) from
//! `barraiser dataset`, on SQLite (or PostgreSQL with `BENCH_DATABASE_URL`).
//! Run with `cargo bench --bench analytics`.

mod common;

use std::time::{Duration, Instant};

use barraiser::db::users;
use barraiser::process::startup::prepare_database;
use chrono::{TimeDelta, Utc};

const LOOPS: i64 = 100_000;
const RUNS: usize = 10;

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "| {name} | {} | {:.1} ms | {:.1} ms | {:.1} ms |",
        samples.len(),
        ms(samples[0]),
        ms(samples[samples.len() / 2]),
        ms(*samples.last().unwrap())
    );
}

fn main() {
    let url = std::env::var("BENCH_DATABASE_URL").unwrap_or_else(|_| {
        let dir = std::env::temp_dir().join(format!("barraiser-analytics-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("bench.db").to_string_lossy().into_owned()
    });
    let db = prepare_database(&common::settings(&url)).expect("database");
    let seeded = barraiser::process::dataset::seed(&db, LOOPS).expect("the data set");
    let admin = users::find(&mut db.conn().unwrap(), 1)
        .unwrap()
        .expect("the admin");
    let to = Utc::now();
    let from = to - TimeDelta::days(366);
    let system = actix_web::rt::System::new();
    let mut process = Vec::new();
    let mut calibration = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let p = system
            .block_on(barraiser::services::analytics::process(
                &db,
                Default::default(),
                &admin,
                from,
                to,
            ))
            .unwrap();
        process.push(t.elapsed());
        assert!(p.loops_decided > 60_000);
        let t = Instant::now();
        let c = system
            .block_on(barraiser::services::analytics::calibration(
                &db,
                Default::default(),
                &admin,
                from,
                to,
            ))
            .unwrap();
        calibration.push(t.elapsed());
        assert!(c.pooled.units > 50_000);
    }
    // The insights pages: the worker's refresh of the six kept figures, the
    // kept figures a page reads, and the busiest interviewer's own mirror.
    use barraiser::services::analytics::{kept, mirror};
    let mut refresh = Vec::new();
    let mut kept_process = Vec::new();
    let mut kept_calibration = Vec::new();
    let mut mirrors = Vec::new();
    let year = system
        .block_on(barraiser::services::analytics::process(
            &db,
            Default::default(),
            &admin,
            from,
            to,
        ))
        .unwrap();
    let busiest = year
        .interviewers
        .iter()
        .max_by_key(|i| i.feedback)
        .expect("interviewers")
        .user_id;
    let busiest = users::find(&mut db.conn().unwrap(), busiest)
        .unwrap()
        .unwrap();
    let long_ago = to - TimeDelta::days(1);
    for run in 0..RUNS {
        if run < 3 {
            let t = Instant::now();
            system
                .block_on(kept::refresh(&db, Default::default(), Utc::now()))
                .unwrap();
            refresh.push(t.elapsed());
        }
        let t = Instant::now();
        let k = system
            .block_on(kept::process(&db, &admin, 365, long_ago))
            .unwrap();
        kept_process.push(t.elapsed());
        assert!(k.is_some_and(|k| k.figures.loops_decided > 60_000));
        let t = Instant::now();
        let k = system
            .block_on(kept::calibration(&db, &admin, 365, long_ago))
            .unwrap();
        kept_calibration.push(t.elapsed());
        assert!(k.is_some());
        let t = Instant::now();
        let m = system
            .block_on(mirror(&db, Default::default(), &busiest, from, to))
            .unwrap();
        mirrors.push(t.elapsed());
        assert!(m.mine.is_some());
    }
    // Predictive validity over the year's rated hires: the planted
    // correlation must fall inside the report's interval.
    let rated = barraiser::process::dataset::seed_outcomes(
        &db,
        barraiser::process::dataset::PLANTED_CORRELATION,
    )
    .expect("the outcomes");
    let mut validity = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        let v = system
            .block_on(barraiser::services::analytics::validity::validity(
                &db, &admin, from, to,
            ))
            .unwrap();
        validity.push(t.elapsed());
        last = Some(v);
    }
    let v = last.expect("a report");
    let planted = barraiser::process::dataset::PLANTED_CORRELATION;
    let [low, high] = v.vote_score.pearson_ci.expect("an interval");
    assert!(
        low <= planted && planted <= high,
        "the planted {planted} is outside [{low}, {high}]"
    );
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "\nbarraiser analytics benchmark ({backend}, {LOOPS} loops over a year; data set seeded in {:.1} s)\n",
        seeded.map_or(0.0, |d| d.as_secs_f64())
    );
    println!("| operation | runs | min | median | max |");
    println!("| --- | --- | --- | --- | --- |");
    summary(
        "`GET /metrics/process` for the year (`analytics::process`)",
        process,
    );
    summary(
        "`GET /metrics/calibration` for the year (`analytics::calibration`)",
        calibration,
    );
    summary(
        "the worker's refresh of the six kept insights (`kept::refresh`)",
        refresh,
    );
    summary(
        "`/insights` for the last 365 days, kept (`kept::process`)",
        kept_process,
    );
    summary(
        "`/insights/calibration` for the last 365 days, kept (`kept::calibration`)",
        kept_calibration,
    );
    summary(
        &format!(
            "`/insights/me` for the year, the busiest interviewer ({} submissions)",
            year.interviewers
                .iter()
                .map(|i| i.feedback)
                .max()
                .unwrap_or(0)
        ),
        mirrors,
    );
    summary(
        &format!(
            "`GET /metrics/validity` for the year ({} rated hires)",
            v.rated_hires
        ),
        validity,
    );
    println!(
        "\nvalidity: planted r = {planted}; recovered r = {:.4} [{low:.4}, {high:.4}], rho = {:.4}, n = {}{}",
        v.vote_score.pearson.unwrap_or(f64::NAN),
        v.vote_score.spearman.unwrap_or(f64::NAN),
        v.vote_score.n,
        rated.map_or_else(String::new, |n| format!(" ({n} ratings written)")),
    );
    if !url.starts_with("postgres") {
        drop(db);
        let _ = std::fs::remove_dir_all(std::path::Path::new(&url).parent().unwrap());
    }
}
