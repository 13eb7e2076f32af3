//! `barraiser dataset --loops N`: a synthetic organisation for benchmarks —
//! 2,000 people, 100 requisitions and N loops spread over the past year with
//! panels of four, submitted feedback, debriefs and decisions — written with a
//! handful of `INSERT … SELECT` statements, so 100,000 loops take seconds.
//!
//! The rows are shaped like real ones (every constraint holds, every loop's
//! report is green) but the audit events carry placeholder hashes: the
//! dataset is for measuring, not for `/events/verify`.

use anyhow::Context;
use chrono::{NaiveDateTime, TimeDelta};
use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;

use crate::db::{Db, DbConn, now};

/// Every dataset person signs in with this password.
pub const PASSWORD: &str = "dataset-password-1";
/// Ids of dataset rows start above this.
const OFF: i64 = 1_000_000;
const PEOPLE: i64 = 2_000;
const REQUISITIONS: i64 = 100;

/// The SQL of a timestamp `hours` (an SQL expression) after `base`.
fn after(conn: &DbConn, base: &NaiveDateTime, hours: &str) -> String {
    let base = base.format("%Y-%m-%d %H:%M:%S");
    match conn {
        DbConn::Pg(_) => format!("(TIMESTAMP '{base}' + ({hours}) * INTERVAL '1 hour')"),
        DbConn::Sqlite(_) => {
            format!("strftime('%Y-%m-%d %H:%M:%S', '{base}', '+' || ({hours}) || ' hours')")
        }
    }
}

/// `SELECT i FROM <0 .. n-1>` in the backend's dialect.
fn numbers(conn: &DbConn, n: i64) -> String {
    match conn {
        DbConn::Pg(_) => format!("SELECT i FROM generate_series(0, {}) AS i", n - 1),
        DbConn::Sqlite(_) => format!(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {}) SELECT i FROM n",
            n - 1
        ),
    }
}

/// Seeds `loops` loops (and the people and requisitions they need) unless
/// the dataset is already there. Returns how long it took.
pub fn seed(db: &Db, loops: i64) -> anyhow::Result<Option<std::time::Duration>> {
    let started = std::time::Instant::now();
    let hash = crate::auth::hash_now(PASSWORD)?;
    let mut conn = db.conn().context("cannot get a database connection")?;
    let c = &mut *conn;
    let exists: i64 = diesel::sql_query(format!(
        "SELECT COUNT(*) AS n FROM users WHERE id = {}",
        OFF + 1
    ))
    .get_result::<Count>(c)
    .map(|r| r.n)?;
    if exists > 0 {
        return Ok(None);
    }
    let first_competency: i64 = diesel::sql_query("SELECT MIN(id) AS n FROM competencies")
        .get_result::<Count>(c)
        .map(|r| r.n)?;
    // A year of loops ending two weeks ago, so every step of the last one is in the past.
    let base = now() - TimeDelta::days(365 + 14);
    let ts = |hours: &str| after(c, &base, hours);
    let people = numbers(c, PEOPLE);
    let reqs = numbers(c, REQUISITIONS);
    let loop_nums = numbers(c, loops);
    let interview_nums = numbers(c, loops * 4);
    let at = ts("0");
    // Column expressions shared by several statements.
    let loop_created = ts(&format!("(i * 8760) / {loops}"));
    let status = "CASE (i % 20) WHEN 0 THEN 'draft' WHEN 1 THEN 'cancelled' WHEN 2 THEN 'scheduled' \
                  WHEN 3 THEN 'scheduled' WHEN 4 THEN 'scheduled' WHEN 5 THEN 'in_debrief' \
                  WHEN 6 THEN 'awaiting_decision' ELSE 'decided' END";
    // Managers are people 10..110, with even indices hiring; certified bar
    // raisers are people ≡ 7 (mod 40) from 127 on, whose managers have odd
    // indices: no bar raiser ever reports to a hiring manager.
    let hm = |r: &str| format!("({OFF} + 11 + (({r}) * 2) % 100)");
    let recruiter = |r: &str| format!("({OFF} + 1 + 110 + ({r}) % 10)");
    let br = |i: &str| format!("({OFF} + 1 + 127 + 40 * (({i}) % 46))");
    let statements = vec![
        format!(
            "INSERT INTO users (id, email, name, password_hash, role, manager_id, department, bar_raiser, active, token_version, created_at, updated_at) \
             SELECT {OFF} + 1 + i, 'd' || i || '@dataset.test', 'Person ' || i, '{hash}', \
               CASE WHEN i >= 110 AND i < 120 THEN 'recruiter' ELSE 'member' END, \
               CASE WHEN i < 10 THEN NULL WHEN i < 110 THEN {OFF} + 1 + (i % 10) ELSE {OFF} + 1 + 10 + (i % 100) END, \
               'Dept ' || (i % 10), \
               CASE WHEN i >= 127 AND i % 40 = 7 THEN 'certified' ELSE 'none' END, TRUE, 0, {at}, {at} \
             FROM ({people}) AS numbers"
        ),
        format!(
            "INSERT INTO requisitions (id, title, hiring_manager_id, recruiter_id, min_panel_size, status, created_at, updated_at) \
             SELECT {OFF} + 1 + i, 'Role ' || i, {hm}, {rec}, 4, 'open', {at}, {at} FROM ({reqs}) AS numbers",
            hm = hm("i"),
            rec = recruiter("i"),
        ),
        format!(
            "INSERT INTO requisition_competencies (requisition_id, competency_id) \
             SELECT {OFF} + 1 + (i / 3), {first_competency} + ((i / 3) % 13) + (i % 3) FROM ({n}) AS numbers",
            n = numbers(c, REQUISITIONS * 3),
        ),
        format!(
            "INSERT INTO candidates (id, name, email, created_by_id, created_at, updated_at) \
             SELECT {OFF} + 1 + i, 'Candidate ' || i, 'c' || i || '@dataset.test', {rec}, {loop_created}, {loop_created} \
             FROM ({loop_nums}) AS numbers",
            rec = recruiter(&format!("i % {REQUISITIONS}")),
        ),
        format!(
            "INSERT INTO interview_loops (id, requisition_id, candidate_id, hiring_manager_id, recruiter_id, bar_raiser_id, feedback_window_hours, status, independence_ok, flagged_at, cancel_reason, created_at, updated_at) \
             SELECT {OFF} + 1 + i, {OFF} + 1 + (i % {REQUISITIONS}), {OFF} + 1 + i, {hm}, {rec}, {br}, 24, {status}, TRUE, NULL, \
               CASE WHEN i % 20 = 1 THEN 'Candidate withdrew' ELSE NULL END, {loop_created}, {loop_created} \
             FROM ({loop_nums}) AS numbers",
            hm = hm(&format!("i % {REQUISITIONS}")),
            rec = recruiter(&format!("i % {REQUISITIONS}")),
            br = br("i"),
        ),
        // Four interviews a loop: the bar raiser, then three people of the organisation.
        format!(
            "INSERT INTO interviews (id, loop_id, interviewer_id, starts_at, ends_at, feedback_due_at, sequence, created_at, updated_at, reminders_sent, last_reminded_at) \
             SELECT {OFF} + 1 + i, {OFF} + 1 + (i / 4), \
               CASE WHEN i % 4 = 0 THEN {br} \
                 WHEN (130 + ((i * 37 + (i % 4) * 101) % 1860)) % 40 = 7 THEN {OFF} + 2 + 130 + ((i * 37 + (i % 4) * 101) % 1860) \
                 ELSE {OFF} + 1 + 130 + ((i * 37 + (i % 4) * 101) % 1860) END, \
               {starts}, {ends}, {due}, 0, {created}, {created}, 0, NULL \
             FROM ({interview_nums}) AS numbers",
            br = br("i / 4"),
            starts = ts(&format!("((i / 4) * 8760) / {loops} + 48 + (i % 4)")),
            ends = ts(&format!("((i / 4) * 8760) / {loops} + 48 + (i % 4) + 0.75")),
            due = ts(&format!("((i / 4) * 8760) / {loops} + 72 + (i % 4) + 0.75")),
            created = ts(&format!("((i / 4) * 8760) / {loops}")),
        ),
        format!(
            "INSERT INTO interview_competencies (interview_id, competency_id) \
             SELECT {OFF} + 1 + i, {first_competency} + (((i / 4) % {REQUISITIONS}) % 13) + (i % 4) % 3 \
             FROM ({interview_nums}) AS numbers"
        ),
        // Feedback: all of it for loops past the debrief, half of it for scheduled ones.
        format!(
            "INSERT INTO feedback (id, interview_id, vote, summary, status, submitted_at, timing, created_at, updated_at) \
             SELECT {OFF} + 1 + i, {OFF} + 1 + i, \
               CASE ((i / 4) * 13) % 4 WHEN 0 THEN 'strong_no_hire' WHEN 1 THEN 'no_hire' WHEN 2 THEN 'hire' ELSE 'strong_hire' END, \
               'Specific, behavioural answers.', 'submitted', {submitted}, \
               CASE WHEN (i % 4) * 5 + ((i / 4) % 30) <= 24 THEN 'on_time' ELSE 'late' END, {submitted}, {submitted} \
             FROM ({interview_nums}) AS numbers \
             WHERE (i / 4) % 20 >= 5 OR ((i / 4) % 20 IN (2, 3, 4) AND i % 4 < 2)",
            submitted = ts(&format!(
                "((i / 4) * 8760) / {loops} + 48 + (i % 4) + 0.75 + (i % 4) * 5 + ((i / 4) % 30)"
            )),
        ),
        format!(
            "INSERT INTO feedback_ratings (feedback_id, competency_id, rating, evidence) \
             SELECT f.id, ic.competency_id, \
               CASE WHEN {q} + {noise} < 0 THEN 1 WHEN {q} + {noise} > 3 THEN 4 ELSE 1 + {q} + {noise} END, \
               'Described the situation, what they did and the measured result.' \
             FROM feedback f JOIN interview_competencies ic ON ic.interview_id = f.interview_id \
             WHERE f.id > {OFF}",
            // A candidate's strength (0..3) with a rater's noise of -1, 0 or +1.
            q = format!("((((f.id - {OFF} - 1) / 4) * 13) % 4)"),
            noise = "((((f.id / 4) * 5) + f.id) % 3 - 1)",
        ),
        format!(
            "INSERT INTO debriefs (loop_id, opened_by_id, opened_at, override_reason, missing_interview_ids, recommendation, veto, rationale, closed_at, decision, decision_rationale, decided_by_id, decided_at, composite_at_decision, agrees_with_composite) \
             SELECT {OFF} + 1 + i, {br}, {opened}, NULL, '[]', \
               CASE WHEN i % 20 = 5 THEN NULL WHEN i % 3 = 0 OR i % 97 = 0 THEN 'no_hire' ELSE 'hire' END, \
               CASE WHEN i % 20 > 5 AND i % 97 = 0 THEN TRUE ELSE FALSE END, \
               CASE WHEN i % 20 = 5 THEN NULL ELSE 'Discussed every competency.' END, \
               CASE WHEN i % 20 = 5 THEN NULL ELSE {closed} END, \
               CASE WHEN i % 20 >= 7 THEN (CASE WHEN i % 3 = 0 OR i % 97 = 0 THEN 'no_hire' ELSE 'hire' END) ELSE NULL END, \
               CASE WHEN i % 20 >= 7 THEN 'Decided with the panel.' ELSE NULL END, \
               CASE WHEN i % 20 >= 7 THEN {hm} ELSE NULL END, \
               CASE WHEN i % 20 >= 7 THEN {decided} ELSE NULL END, NULL, \
               CASE WHEN i % 20 >= 7 THEN (i % 5 <> 0) ELSE NULL END \
             FROM ({loop_nums}) AS numbers WHERE i % 20 >= 5",
            br = br("i"),
            hm = hm(&format!("i % {REQUISITIONS}")),
            opened = ts(&format!("(i * 8760) / {loops} + 100")),
            closed = ts(&format!("(i * 8760) / {loops} + 102")),
            decided = ts(&format!("(i * 8760) / {loops} + 126")),
        ),
        format!(
            "INSERT INTO loop_events (loop_id, seq, actor_id, kind, data, at, prev_hash, hash) \
             SELECT {OFF} + 1 + i, 1, {rec}, 'loop_created', '{{\"independence_ok\":true}}', {loop_created}, '{zero}', '{zero}' \
             FROM ({loop_nums}) AS numbers",
            rec = recruiter(&format!("i % {REQUISITIONS}")),
            zero = "0".repeat(64),
        ),
        format!(
            "INSERT INTO loop_events (loop_id, seq, actor_id, kind, data, at, prev_hash, hash) \
             SELECT {OFF} + 1 + i, 2, {rec}, 'loop_scheduled', '{{}}', {scheduled}, '{zero}', '{zero}' \
             FROM ({loop_nums}) AS numbers WHERE i % 20 <> 0",
            rec = recruiter(&format!("i % {REQUISITIONS}")),
            scheduled = ts(&format!("(i * 8760) / {loops} + 1")),
            zero = "0".repeat(64),
        ),
    ];
    db.transaction(c, |c| {
        for sql in &statements {
            diesel::sql_query(sql.as_str()).execute(c)?;
        }
        // Every loop keeps its report and every interview its awaiting-feedback
        // mark, as those the service writes do.
        crate::services::hiring::independence::keep_missing_reports(c, 1_000)?;
        crate::db::loops::mark_awaiting_feedback(c, None)?;
        Ok(())
    })?;
    match c {
        DbConn::Pg(pg) => pg.batch_execute(
            "SELECT setval('users_id_seq', (SELECT MAX(id) FROM users)); \
             SELECT setval('requisitions_id_seq', (SELECT MAX(id) FROM requisitions)); \
             SELECT setval('candidates_id_seq', (SELECT MAX(id) FROM candidates)); \
             SELECT setval('interview_loops_id_seq', (SELECT MAX(id) FROM interview_loops)); \
             SELECT setval('interviews_id_seq', (SELECT MAX(id) FROM interviews)); \
             SELECT setval('feedback_id_seq', (SELECT MAX(id) FROM feedback)); \
             ANALYZE",
        )?,
        DbConn::Sqlite(s) => s.batch_execute("ANALYZE")?,
    }
    Ok(Some(started.elapsed()))
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The correlation `--outcomes` plants between each hire's vote score and
/// its performance rating.
pub const PLANTED_CORRELATION: f64 = 0.3;

/// A small deterministic generator (splitmix64), so a data set is the same
/// every time it is made.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    fn unit(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.unit(), self.unit());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

#[derive(diesel::QueryableByName)]
struct HireScore {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    loop_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    recruiter_id: i64,
    #[diesel(sql_type = diesel::sql_types::Double)]
    score: f64,
}

/// Writes a performance rating for every hire of the data set, related to
/// its vote score (the mean of its panel's votes) with the correlation
/// `rho`: rating = 3 + 0.6 (rho z + sqrt(1 - rho²) e), z the standardised
/// vote score and e standard normal noise, kept within 1 to 5 (which moves
/// it by well under 0.01 at this spread). Returns how many, or `None` when
/// the data set already has them.
pub fn seed_outcomes(db: &Db, rho: f64) -> anyhow::Result<Option<usize>> {
    let mut conn = db.conn().context("cannot get a database connection")?;
    let c = &mut *conn;
    let exists: i64 = diesel::sql_query(format!(
        "SELECT COUNT(*) AS n FROM outcomes WHERE loop_id > {OFF}"
    ))
    .get_result::<Count>(c)
    .map(|r| r.n)?;
    if exists > 0 {
        return Ok(None);
    }
    let hires: Vec<HireScore> = diesel::sql_query(format!(
        "SELECT l.id AS loop_id, l.recruiter_id AS recruiter_id, \
           CAST(AVG(CASE f.vote WHEN 'strong_no_hire' THEN 1.0 WHEN 'no_hire' THEN 2.0 \
             WHEN 'hire' THEN 3.0 ELSE 4.0 END) AS DOUBLE PRECISION) AS score \
         FROM interview_loops l JOIN debriefs d ON d.loop_id = l.id \
           JOIN interviews i ON i.loop_id = l.id JOIN feedback f ON f.interview_id = i.id \
         WHERE l.id > {OFF} AND d.decision = 'hire' AND f.status = 'submitted' \
         GROUP BY l.id, l.recruiter_id ORDER BY l.id"
    ))
    .load(c)?;
    if hires.is_empty() {
        anyhow::bail!("the data set has no hires: seed it first (barraiser dataset --loops N)");
    }
    let n = hires.len() as f64;
    let mean = hires.iter().map(|h| h.score).sum::<f64>() / n;
    let sd = (hires.iter().map(|h| (h.score - mean).powi(2)).sum::<f64>() / n).sqrt();
    let mut rng = SplitMix(20_261_206);
    let noise_weight = (1.0 - rho * rho).sqrt();
    let today = now().date();
    let at = now().format("%Y-%m-%d %H:%M:%S");
    let rows: Vec<String> = hires
        .iter()
        .map(|h| {
            let z = if sd > 0.0 { (h.score - mean) / sd } else { 0.0 };
            let rating = (3.0 + 0.6 * (rho * z + noise_weight * rng.normal())).clamp(1.0, 5.0);
            format!(
                "({}, 'performance_rating', {rating:.6}, '{today}', {}, '{at}')",
                h.loop_id, h.recruiter_id
            )
        })
        .collect();
    db.transaction(c, |c| {
        for chunk in rows.chunks(500) {
            diesel::sql_query(format!(
                "INSERT INTO outcomes (loop_id, kind, value, observed_at, recorded_by_id, recorded_at) VALUES {}",
                chunk.join(", ")
            ))
            .execute(c)?;
        }
        Ok(())
    })?;
    // Fresh statistics, as autovacuum would give a live database: without
    // them PostgreSQL plans the validity read as nested loops.
    diesel::sql_query("ANALYZE outcomes").execute(c)?;
    Ok(Some(rows.len()))
}
