//! Outcomes after hire (SPEC §11): what became of a hired candidate, recorded
//! later by the loop's recruiter or an admin, one at a time or from a CSV file
//! for companies that keep performance ratings elsewhere. They are seen by
//! those who hired (the recruiter, the hiring manager) and admins; never by the
//! panel. The predictive validity report reads them.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use crate::db::outcomes::{self as rows, NewOutcome};
use crate::db::users::{self, User};
use crate::db::{Db, DbConn, debrief, now};
use crate::domain::outcome::{GivenValue, Outcome, OutcomeKind};
use crate::domain::{DomainError, LineProblem, LoopId};
use crate::error::ServiceError;
use crate::services::csv_file::{self, Opened, csv_message, problem};
use crate::services::hiring::access::{Access, load_visible, not_allowed};
use crate::services::hiring::audit;

/// An outcome as it is shown.
#[derive(Debug, Clone)]
pub struct OutcomeView {
    pub id: i64,
    pub loop_id: i64,
    pub kind: OutcomeKind,
    pub value: f64,
    pub observed_at: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

fn may_record(access: &Access) -> bool {
    access.can_record_outcomes()
}

fn may_see(access: &Access) -> bool {
    access.can_see_outcomes()
}

fn views(c: &mut DbConn, list: Vec<rows::Outcome>) -> Result<Vec<OutcomeView>, ServiceError> {
    let mut ids: Vec<i64> = list.iter().map(|o| o.recorded_by_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let people = users::find_many(c, &ids)?;
    Ok(list
        .into_iter()
        .map(|o| OutcomeView {
            recorded_by: people
                .iter()
                .find(|u| u.id == o.recorded_by_id)
                .map_or_else(String::new, |u| u.name.clone()),
            kind: OutcomeKind::from_stored(&o.kind),
            id: o.id,
            loop_id: o.loop_id,
            value: o.value,
            observed_at: o.observed_at,
            recorded_at: o.recorded_at,
        })
        .collect())
}

/// Why a loop takes no outcome, if it does not: it did not end in a hire, or
/// the observation is from before the decision.
fn refusal_for(
    c: &mut DbConn,
    loop_id: i64,
    outcome: &Outcome,
) -> Result<Option<ServiceError>, ServiceError> {
    match debrief::decision_of(c, loop_id)? {
        Some((decision, decided_at)) if decision == "hire" => {
            let decided = decided_at.date();
            if outcome.observed_at < decided {
                Ok(Some(ServiceError::field(
                    "observed_at",
                    format!("must not be before the decision ({decided})"),
                )))
            } else {
                Ok(None)
            }
        }
        _ => Ok(Some(ServiceError::conflict(
            "not_hired",
            "Outcomes are recorded for hired candidates only: this loop did not end in a hire.",
        ))),
    }
}

fn insert(
    c: &mut DbConn,
    actor_id: i64,
    loop_id: i64,
    outcome: &Outcome,
) -> Result<rows::Outcome, ServiceError> {
    let row = rows::insert(
        c,
        &NewOutcome {
            loop_id,
            kind: outcome.kind.as_str(),
            value: outcome.value,
            observed_at: outcome.observed_at,
            recorded_by_id: actor_id,
            recorded_at: now(),
        },
    )?;
    // On the loop's trail, which its panel reads: the kind, never the value.
    crate::db::loops::lock(c, loop_id)?;
    audit::record(
        c,
        loop_id,
        Some(actor_id),
        "outcome_recorded",
        &json!({ "outcome_id": row.id, "kind": outcome.kind.as_str() }),
    )?;
    Ok(row)
}

/// `POST /loops/{id}/outcomes`: records an outcome of a hired candidate.
pub async fn record(
    db: &Db,
    actor: &User,
    id: LoopId,
    outcome: Outcome,
) -> Result<OutcomeView, ServiceError> {
    let actor = actor.clone();
    db.write(move |c| {
        let (lp, access) = load_visible(c, id, &actor)?;
        if !may_record(&access) {
            return Err(not_allowed());
        }
        if let Some(refusal) = refusal_for(c, lp.id, &outcome)? {
            return Err(refusal);
        }
        let row = insert(c, actor.id, lp.id, &outcome)?;
        views(c, vec![row])?
            .pop()
            .ok_or_else(|| ServiceError::Internal(anyhow::anyhow!("an outcome went missing")))
    })
    .await
}

/// `GET /loops/{id}/outcomes`: a loop's outcomes, as they were observed.
pub async fn list(db: &Db, actor: &User, id: LoopId) -> Result<Vec<OutcomeView>, ServiceError> {
    let actor = actor.clone();
    db.run(move |c| {
        let (lp, access) = load_visible(c, id, &actor)?;
        if !may_see(&access) {
            return Err(not_allowed());
        }
        let list = rows::of_loop(c, lp.id)?;
        views(c, list)
    })
    .await
}

/// The columns of an outcomes file.
pub const COLUMNS: [&str; 4] = ["loop_id", "kind", "value", "observed_at"];
/// The most rows one file may hold.
pub const MAX_ROWS: usize = 20_000;

/// One row of an outcomes file, checked on its own.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    pub loop_id: i64,
    pub outcome: Outcome,
}

/// Reads an outcomes file (`loop_id,kind,value,observed_at`, in any order)
/// into rows, or every problem with its line and column.
pub fn parse_rows(bytes: &[u8], today: NaiveDate) -> Result<Vec<Row>, Vec<LineProblem>> {
    let Opened { mut reader, at, .. } = csv_file::open(bytes, &COLUMNS, "file")?;
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(problem(line, None, csv_message(&e)));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if rows.len() + problems.len() >= MAX_ROWS {
            problems.push(problem(
                line,
                None,
                format!("the file has more than {MAX_ROWS} rows"),
            ));
            break;
        }
        let cell = |c: &str| record.get(at[c]).unwrap_or("");
        let mut row_problems = Vec::new();
        let mut note = |e: DomainError| {
            for p in e.into_field_problems().unwrap_or_default() {
                row_problems.push(problem(line, Some(&p.field), p.message));
            }
        };
        let loop_id = match cell("loop_id").parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                note(DomainError::invalid("loop_id", "must be a loop's id"));
                None
            }
        };
        let outcome = OutcomeKind::parse("kind", cell("kind"))
            .map_err(&mut note)
            .ok()
            .and_then(|kind| {
                Outcome::parse(
                    kind,
                    GivenValue::Text(cell("value")),
                    cell("observed_at"),
                    today,
                )
                .map_err(&mut note)
                .ok()
            });
        match (loop_id, outcome) {
            (Some(loop_id), Some(outcome)) if row_problems.is_empty() => rows.push(Row {
                line,
                loop_id,
                outcome,
            }),
            _ => problems.extend(row_problems),
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(problem(
            1,
            None,
            "the file has no outcomes in it, only a header line",
        ));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// What an import did (or, rehearsed, would do).
#[derive(Debug, Clone, Copy)]
pub struct Imported {
    pub dry_run: bool,
    pub rows: usize,
}

/// `POST /outcomes/import`: every row of the file, or none. Each row's loop
/// must be one the caller records outcomes for (their own as recruiter, any
/// as admin) and must have ended in a hire; every problem is named with its
/// line. With `dry_run` nothing is written.
pub async fn import(
    db: &Db,
    actor: &User,
    bytes: Vec<u8>,
    dry_run: bool,
) -> Result<Imported, ServiceError> {
    crate::auth::require_recruiting(actor)?;
    let parsed = parse_rows(&bytes, now().date()).map_err(ServiceError::FileRejected)?;
    let actor = actor.clone();
    db.write(move |c| {
        let mut problems = Vec::new();
        for row in &parsed {
            let id = LoopId(row.loop_id);
            let allowed = match load_visible(c, id, &actor) {
                Ok((_, access)) => may_record(&access),
                Err(ServiceError::NotFound) => false,
                Err(e) => return Err(e),
            };
            if !allowed {
                problems.push(problem(
                    row.line,
                    Some("loop_id"),
                    format!("{} is not a loop whose outcomes you record", row.loop_id),
                ));
                continue;
            }
            if let Some(refusal) = refusal_for(c, row.loop_id, &row.outcome)? {
                let column = match &refusal {
                    ServiceError::Invalid(_) => "observed_at",
                    _ => "loop_id",
                };
                problems.push(problem(row.line, Some(column), refusal.reason()));
            }
        }
        if !problems.is_empty() {
            return Err(ServiceError::FileRejected(problems));
        }
        if !dry_run {
            for row in &parsed {
                insert(c, actor.id, row.loop_id, &row.outcome)?;
            }
        }
        Ok(Imported {
            dry_run,
            rows: parsed.len(),
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
    }

    #[test]
    fn a_file_reads_in_any_column_order_and_every_bad_cell_is_named() {
        let good = "kind,loop_id,observed_at,value\nperformance_rating,7,2026-05-01,4\nstill_employed,7,2026-05-01,yes\n";
        let rows = parse_rows(good.as_bytes(), today()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].line, rows[0].loop_id, rows[0].outcome.value),
            (2, 7, 4.0)
        );
        assert_eq!(rows[1].outcome.value, 1.0);

        let bad = "loop_id,kind,value,observed_at\nx,performance_rating,9,2026-05-01\n3,salary,1,2026-05-01\n4,still_employed,maybe,tomorrow\n";
        let problems: Vec<(u64, Option<String>)> = parse_rows(bad.as_bytes(), today())
            .unwrap_err()
            .into_iter()
            .map(|p| (p.line, p.column))
            .collect();
        assert_eq!(
            problems,
            [
                (2, Some("loop_id".into())),
                (2, Some("value".into())),
                (3, Some("kind".into())),
                (4, Some("value".into())),
                (4, Some("observed_at".into())),
            ]
        );
        let header =
            parse_rows(b"loop_id,kind,value\n1,still_employed,yes\n", today()).unwrap_err();
        assert_eq!(header[0].column.as_deref(), Some("observed_at"));
    }
}
