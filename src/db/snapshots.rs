//! `insight_snapshots`: figures computed ahead for the insights pages.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::insight_snapshots;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = insight_snapshots, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Snapshot {
    pub name: String,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub period_from: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub period_to: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub computed_at: NaiveDateTime,
    pub body: String,
}

/// Writes a snapshot, replacing the one of the same name (call it in a
/// write transaction: `ON CONFLICT` is not available through the
/// connection that serves both backends, so it is a delete and an insert).
pub fn keep(conn: &mut DbConn, snapshot: &Snapshot) -> QueryResult<()> {
    diesel::delete(insight_snapshots::table.find(&snapshot.name)).execute(conn)?;
    diesel::insert_into(insight_snapshots::table)
        .values(snapshot)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, name: &str) -> QueryResult<Option<Snapshot>> {
    insight_snapshots::table
        .find(name)
        .select(Snapshot::as_select())
        .first(conn)
        .optional()
}
