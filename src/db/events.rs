//! `loop_events`: the append-only audit log. The application only inserts
//! and reads; no code path updates or deletes an event.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::loop_events;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = loop_events, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct LoopEvent {
    pub id: i64,
    pub loop_id: i64,
    pub seq: i64,
    pub actor_id: Option<i64>,
    pub kind: String,
    pub data: String,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub at: NaiveDateTime,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = loop_events)]
pub struct NewLoopEvent<'a> {
    pub loop_id: i64,
    pub seq: i64,
    pub actor_id: Option<i64>,
    pub kind: &'a str,
    pub data: &'a str,
    pub at: NaiveDateTime,
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

pub fn insert(conn: &mut DbConn, new: &NewLoopEvent<'_>) -> QueryResult<i64> {
    diesel::insert_into(loop_events::table)
        .values(new)
        .returning(loop_events::id)
        .get_result(conn)
}

/// The sequence number and hash of the loop's latest event.
pub fn last(conn: &mut DbConn, loop_id: i64) -> QueryResult<Option<(i64, String)>> {
    super::native!(conn, |c| loop_events::table
        .filter(loop_events::loop_id.eq(loop_id))
        .order(loop_events::seq.desc())
        .select((loop_events::seq, loop_events::hash))
        .first(c)
        .optional())
}

/// Events of a loop in order, a page at a time (by sequence number).
pub fn list(
    conn: &mut DbConn,
    loop_id: i64,
    after_seq: Option<i64>,
    limit: Option<i64>,
) -> QueryResult<Vec<LoopEvent>> {
    // The loop page's trail: on the backend's own connection.
    super::native!(conn, |c| {
        let mut query = loop_events::table
            .filter(loop_events::loop_id.eq(loop_id))
            .select(LoopEvent::as_select())
            .order(loop_events::seq.asc())
            .into_boxed();
        if let Some(after) = after_seq {
            query = query.filter(loop_events::seq.gt(after));
        }
        if let Some(limit) = limit {
            query = query.limit(limit);
        }
        query.load(c)
    })
}
