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
    if !url.starts_with("postgres") {
        drop(db);
        let _ = std::fs::remove_dir_all(std::path::Path::new(&url).parent().unwrap());
    }
}
