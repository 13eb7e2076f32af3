//! How long the people import takes for 10,000 rows on SQLite (or
//! PostgreSQL with `BENCH_DATABASE_URL`): the whole request's work, from the
//! CSV bytes to the commit, through `services::people::import`. Run with
//! `cargo bench --bench import`.
//!
//! The file is an organisation of 100 teams of 100 (a manager and 99 reports),
//! each team's reports listed before their manager, under one head. Four runs,
//! each on the state the last one left: a dry run of the new organisation, its
//! import (10,000 people created and invited), the same file again (nothing
//! changes) and a reorganisation (every department renamed, every team moved
//! to another manager).

mod common;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use barraiser::auth::Passwords;
use barraiser::db::users;
use barraiser::process::bootstrap;
use barraiser::process::startup::prepare_database;
use barraiser::services::people;

const TEAMS: usize = 100;
const TEAM: usize = 100;

fn file(reorganised: bool) -> String {
    let mut csv = String::from("name,email,role,manager_email,department\n");
    let dept = |t: usize| {
        if reorganised {
            format!("Division {}", t % 7)
        } else {
            format!("Team {t}")
        }
    };
    for t in 0..TEAMS {
        // A reorganisation moves each team under the next team's manager.
        let lead_of = |t: usize| format!("lead{t}@bench.test");
        for r in 1..TEAM {
            let _ = writeln!(
                csv,
                "Person {t}-{r},p{t}-{r}@bench.test,member,{},{}",
                lead_of(t),
                dept(t)
            );
        }
        let boss = if reorganised && t + 1 < TEAMS {
            lead_of(t + 1)
        } else {
            "head@bench.test".to_owned()
        };
        let _ = writeln!(csv, "Lead {t},{},member,{boss},{}", lead_of(t), dept(t));
    }
    csv.push_str("Head,head@bench.test,member,,Board\n");
    csv
}

fn main() {
    let url = std::env::var("BENCH_DATABASE_URL").unwrap_or_else(|_| {
        let dir = std::env::temp_dir().join(format!("barraiser-import-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("bench.db").to_string_lossy().into_owned()
    });
    let settings = common::settings(&url);
    let db = prepare_database(&settings).expect("database");
    let mut conn = db.conn().unwrap();
    let admin = users::find(&mut conn, 1).unwrap().expect("the admin");
    let links = bootstrap::links(&mut conn, &settings.mail.public_url).unwrap();
    drop(conn);
    let passwords = Passwords::new(1).unwrap();
    let system = actix_web::rt::System::new();
    let run = |name: &str, csv: &str, dry_run: bool| -> Duration {
        let t = Instant::now();
        let outcome = system
            .block_on(people::import(
                &db,
                &passwords,
                &links,
                &admin,
                csv.as_bytes().to_vec(),
                dry_run,
            ))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let took = t.elapsed();
        println!(
            "| {name} | {} | {} | {} | {} | {:.2} s |",
            outcome.rows,
            outcome.created,
            outcome.updated,
            outcome.unchanged,
            took.as_secs_f64()
        );
        took
    };
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let first = file(false);
    println!(
        "\nbarraiser import benchmark ({backend}, {} rows, {} KiB)\n",
        first.lines().count() - 1,
        first.len() / 1024
    );
    println!("| run | rows | created | updated | unchanged | time |");
    println!("| --- | --- | --- | --- | --- | --- |");
    run("dry run of a new organisation", &first, true);
    let created = run(
        "import of a new organisation (everyone invited)",
        &first,
        false,
    );
    run("the same file again", &first, false);
    run(
        "a reorganisation: every team moved, every department renamed",
        &file(true),
        false,
    );
    assert!(
        created < Duration::from_secs(10),
        "the target is under 10 s"
    );
    if !url.starts_with("postgres") {
        drop(db);
        let _ = std::fs::remove_dir_all(std::path::Path::new(&url).parent().unwrap());
    }
}
