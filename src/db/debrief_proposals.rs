//! `debrief_proposals`: the debrief time proposed for a scheduled loop.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::debrief_proposals;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = debrief_proposals, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Proposal {
    pub loop_id: i64,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub starts_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub ends_at: NaiveDateTime,
    pub sequence: i64,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConn, loop_id: i64) -> QueryResult<Option<Proposal>> {
    debrief_proposals::table
        .find(loop_id)
        .select(Proposal::as_select())
        .first(conn)
        .optional()
}

/// Writes the loop's proposal: a first one at sequence 0, a moved one with
/// the sequence given.
pub fn put(
    conn: &mut DbConn,
    loop_id: i64,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    sequence: i64,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let n = diesel::update(debrief_proposals::table.find(loop_id))
        .set((
            debrief_proposals::starts_at.eq(starts_at),
            debrief_proposals::ends_at.eq(ends_at),
            debrief_proposals::sequence.eq(sequence),
            debrief_proposals::updated_at.eq(at),
        ))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(debrief_proposals::table)
            .values((
                debrief_proposals::loop_id.eq(loop_id),
                debrief_proposals::starts_at.eq(starts_at),
                debrief_proposals::ends_at.eq(ends_at),
                debrief_proposals::sequence.eq(sequence),
                debrief_proposals::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}
