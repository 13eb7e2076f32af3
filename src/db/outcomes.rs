//! `outcomes`: what became of a hire (see the migration).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::outcomes;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outcomes, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Outcome {
    pub id: i64,
    pub loop_id: i64,
    pub kind: String,
    pub value: f64,
    pub observed_at: NaiveDate,
    pub recorded_by_id: i64,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub recorded_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = outcomes)]
pub struct NewOutcome<'a> {
    pub loop_id: i64,
    pub kind: &'a str,
    pub value: f64,
    pub observed_at: NaiveDate,
    pub recorded_by_id: i64,
    pub recorded_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewOutcome<'_>) -> QueryResult<Outcome> {
    let id: i64 = diesel::insert_into(outcomes::table)
        .values(new)
        .returning(outcomes::id)
        .get_result(conn)?;
    outcomes::table
        .find(id)
        .select(Outcome::as_select())
        .first(conn)
}

/// A loop's outcomes, in the order they were observed.
pub fn of_loop(conn: &mut DbConn, loop_id: i64) -> QueryResult<Vec<Outcome>> {
    outcomes::table
        .filter(outcomes::loop_id.eq(loop_id))
        .select(Outcome::as_select())
        .order((outcomes::observed_at.asc(), outcomes::id.asc()))
        .load(conn)
}

/// The outcomes of a loop whose decision was to hire, in the order they were
/// observed (one statement: the decision with its outcomes); `None` when the
/// loop was not decided a hire.
pub fn of_hire(conn: &mut DbConn, loop_id: i64) -> QueryResult<Option<Vec<Outcome>>> {
    use super::schema::debriefs;
    type Row = (Option<String>, Option<NaiveDateTime>, Option<Outcome>);
    let rows: Vec<Row> = super::native!(conn, |c| debriefs::table
        .left_join(outcomes::table.on(outcomes::loop_id.eq(debriefs::loop_id)))
        .filter(debriefs::loop_id.eq(loop_id))
        .select((
            debriefs::decision,
            debriefs::decided_at,
            Option::<Outcome>::as_select(),
        ))
        .order((outcomes::observed_at.asc(), outcomes::id.asc()))
        .load(c))?;
    let hired = rows
        .first()
        .is_some_and(|(decision, at, _)| decision.as_deref() == Some("hire") && at.is_some());
    Ok(hired.then(|| rows.into_iter().filter_map(|(_, _, o)| o).collect()))
}
