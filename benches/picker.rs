//! How fast a people picker answers as someone types, over an organisation of
//! 10,000 people (one in ten a certified bar raiser), on SQLite (or
//! PostgreSQL with `BENCH_DATABASE_URL`): `services::people::picker::search`,
//! the whole work of `GET /people/search` but the HTTP framing. Run with
//! `cargo bench --bench picker`. The target is a p99 under 20 ms.

mod common;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use barraiser::auth::Passwords;
use barraiser::db::users;
use barraiser::process::bootstrap;
use barraiser::process::startup::prepare_database;
use barraiser::services::people;
use barraiser::services::people::picker::{self, PickKind};
use diesel::RunQueryDsl;

const PEOPLE: usize = 10_000;
const FIRST: [&str; 20] = [
    "Ada", "Ben", "Cleo", "Dara", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lena", "Milo",
    "Nia", "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tomas",
];
const LAST: [&str; 25] = [
    "Abbott", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jones",
    "Khan", "Lopez", "Meyer", "Novak", "Okafor", "Patel", "Quist", "Rossi", "Silva", "Tanaka",
    "Usman", "Varga", "Weber", "Xu", "Young",
];

fn organisation() -> String {
    let mut csv = String::from("name,email,role,manager_email,department\n");
    for i in 0..PEOPLE {
        let (first, last) = (FIRST[i % FIRST.len()], LAST[(i / FIRST.len()) % LAST.len()]);
        let manager = if i < 100 {
            String::new()
        } else {
            format!("p{}@bench.test", i % 100)
        };
        let _ = writeln!(
            csv,
            "{first} {last} {i},p{i}@bench.test,member,{manager},Department {}",
            i % 40
        );
    }
    csv
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn main() {
    let url = std::env::var("BENCH_DATABASE_URL").unwrap_or_else(|_| {
        let dir = std::env::temp_dir().join(format!("barraiser-picker-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("bench.db").to_string_lossy().into_owned()
    });
    let settings = common::settings(&url);
    let db = prepare_database(&settings).expect("database");
    let mut conn = db.conn().unwrap();
    let admin = users::find(&mut conn, 1).unwrap().expect("the admin");
    let links = bootstrap::links(&mut conn, &settings.mail.public_url).unwrap();
    let system = actix_web::rt::System::new();
    system
        .block_on(people::import(
            &db,
            &Passwords::new(1).unwrap(),
            &links,
            &admin,
            organisation().into_bytes(),
            false,
        ))
        .expect("the organisation");
    diesel::sql_query("UPDATE users SET bar_raiser = 'certified' WHERE id % 10 = 0")
        .execute(&mut conn)
        .unwrap();
    // A database that has been running has its statistics (autovacuum keeps
    // PostgreSQL's); a fresh import has none yet.
    diesel::sql_query("ANALYZE users")
        .execute(&mut conn)
        .unwrap();
    drop(conn);
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    // What people type: the first letters of a name, part of a surname, a
    // department, an email; each as a script sends it, a letter at a time.
    let typed = [
        "a",
        "ad",
        "ada",
        "ch",
        "che",
        "chen",
        "khan 4",
        "dep",
        "depart",
        "department 3",
        "p123@",
        "zz",
        "zzz",
    ];
    println!("\nbarraiser picker benchmark ({backend}, {PEOPLE} people)\n");
    println!("| picker | searches | p50 | p99 | max |");
    println!("| --- | --- | --- | --- | --- |");
    for kind in [PickKind::Anyone, PickKind::BarRaiser] {
        let mut took = Vec::new();
        let mut found_any = 0;
        for round in 0..100 {
            for q in typed {
                let t = Instant::now();
                let found = system
                    .block_on(picker::search(&db, &admin, kind, q.to_owned()))
                    .unwrap();
                took.push(t.elapsed());
                if round == 0 {
                    found_any += found.len();
                }
            }
        }
        assert!(found_any > 0, "the searches find people");
        took.sort_unstable();
        let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
        let p99 = percentile(&took, 0.99);
        println!(
            "| {} | {} | {} | {} | {} |",
            match kind {
                PickKind::Anyone => "interviewer (anyone)",
                PickKind::BarRaiser => "bar raiser (certified, with load)",
            },
            took.len(),
            ms(percentile(&took, 0.5)),
            ms(p99),
            ms(*took.last().unwrap())
        );
        assert!(
            p99 < Duration::from_millis(20),
            "the target is a p99 under 20 ms"
        );
    }
    if !url.starts_with("postgres") {
        drop(db);
        let _ = std::fs::remove_dir_all(std::path::Path::new(&url).parent().unwrap());
    }
}
