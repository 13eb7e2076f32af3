//! `org_events`: the organisation's append-only audit trail. The application
//! only inserts and reads; no code path updates or deletes an event.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::org_events;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = org_events, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct OrgEvent {
    pub id: i64,
    pub seq: i64,
    pub actor_id: Option<i64>,
    pub kind: String,
    pub subject_type: String,
    pub subject_id: Option<i64>,
    pub data: String,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub at: NaiveDateTime,
    pub prev_hash: String,
    pub hash: String,
}

/// `None` is written as NULL (see [`super::users::NewUser`]).
#[derive(Debug, Insertable)]
#[diesel(table_name = org_events, treat_none_as_default_value = false)]
pub struct NewOrgEvent<'a> {
    pub seq: i64,
    pub actor_id: Option<i64>,
    pub kind: &'a str,
    pub subject_type: &'a str,
    pub subject_id: Option<i64>,
    pub data: &'a str,
    pub at: NaiveDateTime,
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

/// Which events a reader asks for.
#[derive(Debug, Default, Clone)]
pub struct OrgEventFilter {
    pub kind: Option<String>,
    pub actor_id: Option<i64>,
    pub subject_type: Option<String>,
    pub subject_id: Option<i64>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

/// Holds the chain's head until the transaction ends, so that concurrent
/// writers append one after the other (SQLite's write lock already does).
pub fn lock_head(conn: &mut DbConn) -> QueryResult<()> {
    if let DbConn::Pg(_) = conn {
        // An arbitrary key of this application: "org chain".
        diesel::sql_query("SELECT pg_advisory_xact_lock(7263001)").execute(conn)?;
    }
    Ok(())
}

/// Appends events to the trail, in statements of [`super::users::BATCH`]
/// rows.
pub fn insert_many(conn: &mut DbConn, rows: &[NewOrgEvent<'_>]) -> QueryResult<()> {
    for chunk in rows.chunks(super::users::BATCH) {
        super::native!(conn, |c| diesel::insert_into(org_events::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// The sequence number and hash of the latest event.
pub fn last(conn: &mut DbConn) -> QueryResult<Option<(i64, String)>> {
    org_events::table
        .order(org_events::seq.desc())
        .select((org_events::seq, org_events::hash))
        .first(conn)
        .optional()
}

/// Events matching `filter`, newest first, below `before_seq`.
pub fn list(
    conn: &mut DbConn,
    filter: &OrgEventFilter,
    before_seq: Option<i64>,
    limit: Option<i64>,
) -> QueryResult<Vec<OrgEvent>> {
    let mut query = org_events::table
        .select(OrgEvent::as_select())
        .order(org_events::seq.desc())
        .into_boxed();
    if let Some(kind) = &filter.kind {
        query = query.filter(org_events::kind.eq(kind.clone()));
    }
    if let Some(actor) = filter.actor_id {
        query = query.filter(org_events::actor_id.eq(actor));
    }
    if let Some(t) = &filter.subject_type {
        query = query.filter(org_events::subject_type.eq(t.clone()));
    }
    if let Some(id) = filter.subject_id {
        query = query.filter(org_events::subject_id.eq(id));
    }
    if let Some(from) = filter.from {
        query = query.filter(org_events::at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(org_events::at.lt(to));
    }
    if let Some(before) = before_seq {
        query = query.filter(org_events::seq.lt(before));
    }
    if let Some(limit) = limit {
        query = query.limit(limit);
    }
    query.load(conn)
}

/// The whole chain in order, `batch` events after `after_seq`.
pub fn chain(conn: &mut DbConn, after_seq: i64, batch: i64) -> QueryResult<Vec<OrgEvent>> {
    org_events::table
        .filter(org_events::seq.gt(after_seq))
        .select(OrgEvent::as_select())
        .order(org_events::seq.asc())
        .limit(batch)
        .load(conn)
}
