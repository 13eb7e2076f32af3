//! `signal_requests`: a debrief closed, or a loop decided, with "more signal"
//! on named competencies, and when the debrief reopened on the follow-up.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::signal_requests;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = signal_requests, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct SignalRequestRow {
    pub id: i64,
    pub loop_id: i64,
    pub requested_by_id: i64,
    pub requested_as: String,
    /// A JSON array of competency ids.
    pub competency_ids: String,
    pub rationale: String,
    pub last_interview_id: i64,
    pub previous_recommendation: Option<String>,
    pub previous_rationale: Option<String>,
    #[diesel(deserialize_as = super::stamp::OptStamp)]
    pub previous_closed_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub requested_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::OptStamp)]
    pub reopened_at: Option<NaiveDateTime>,
}

impl SignalRequestRow {
    pub fn competency_ids(&self) -> Vec<i64> {
        serde_json::from_str(&self.competency_ids).unwrap_or_default()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = signal_requests)]
pub struct NewSignalRequest<'a> {
    pub loop_id: i64,
    pub requested_by_id: i64,
    pub requested_as: &'a str,
    pub competency_ids: &'a str,
    pub rationale: &'a str,
    pub last_interview_id: i64,
    pub previous_recommendation: Option<&'a str>,
    pub previous_rationale: Option<&'a str>,
    pub previous_closed_at: Option<NaiveDateTime>,
    pub requested_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewSignalRequest<'_>) -> QueryResult<i64> {
    diesel::insert_into(signal_requests::table)
        .values(new)
        .returning(signal_requests::id)
        .get_result(conn)
}

/// Every request of a loop, oldest first (the last one may be pending).
pub fn of_loop(conn: &mut DbConn, loop_id: i64) -> QueryResult<Vec<SignalRequestRow>> {
    // The debrief room's read: on the backend's own connection.
    super::native!(conn, |c| signal_requests::table
        .filter(signal_requests::loop_id.eq(loop_id))
        .select(SignalRequestRow::as_select())
        .order(signal_requests::id.asc())
        .load(c))
}

/// The loop's request whose follow-up is still awaited, if any.
pub fn pending(conn: &mut DbConn, loop_id: i64) -> QueryResult<Option<SignalRequestRow>> {
    signal_requests::table
        .filter(signal_requests::loop_id.eq(loop_id))
        .filter(signal_requests::reopened_at.is_null())
        .select(SignalRequestRow::as_select())
        .order(signal_requests::id.desc())
        .first(conn)
        .optional()
}

pub fn mark_reopened(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(signal_requests::table.find(id))
        .set(signal_requests::reopened_at.eq(Some(at)))
        .execute(conn)?;
    Ok(())
}
