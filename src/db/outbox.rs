//! The `outbox` table: mail written in the same transaction as its cause,
//! claimed and delivered by the worker.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};

use super::schema::outbox;
use super::{DbConn, now};

pub const PENDING: &str = "pending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";

/// A message as the admin view lists it (bodies are not listed).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct OutboxEntry {
    pub id: i64,
    pub kind: String,
    pub recipients: String,
    pub cc: String,
    pub subject: String,
    pub status: String,
    pub attempts: i64,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub give_up_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::OptStamp)]
    pub sent_at: Option<NaiveDateTime>,
}

/// `None` is written as NULL (see [`super::users::NewUser`]).
#[derive(Debug, Insertable)]
#[diesel(table_name = outbox, treat_none_as_default_value = false)]
pub struct NewOutboxRow<'a> {
    pub kind: &'a str,
    pub recipients: String,
    pub cc: String,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
    pub calendar: Option<&'a str>,
    pub calendar_method: Option<&'a str>,
    pub status: &'a str,
    pub attempts: i64,
    pub next_attempt_at: NaiveDateTime,
    pub give_up_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

/// A message a worker claimed: everything needed to send it.
#[derive(Debug, Clone, QueryableByName)]
pub struct ClaimedMessage {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub recipients: String,
    #[diesel(sql_type = Text)]
    pub cc: String,
    #[diesel(sql_type = Text)]
    pub subject: String,
    #[diesel(sql_type = Text)]
    pub body_text: String,
    #[diesel(sql_type = Text)]
    pub body_html: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub calendar: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub calendar_method: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub attempts: i64,
    #[diesel(sql_type = Timestamp)]
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub give_up_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &NewOutboxRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(outbox::table)
        .values(row)
        .returning(outbox::id)
        .get_result(conn)
}

/// [`insert`] for many messages at once, in statements of
/// [`super::users::BATCH`] rows.
pub fn insert_many(conn: &mut DbConn, rows: &[NewOutboxRow<'_>]) -> QueryResult<()> {
    for chunk in rows.chunks(super::users::BATCH) {
        super::native!(conn, |c| diesel::insert_into(outbox::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// Claims up to `limit` due messages until `lease_until` (their due time moves
/// there, so a worker that dies mid-delivery releases them then), counting an
/// attempt for each. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets several workers claim
/// side by side without taking the same row; on SQLite the single UPDATE runs
/// under the process's writer lock and SQLite's own write lock.
pub fn claim_due(
    conn: &mut DbConn,
    at: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<ClaimedMessage>> {
    const RETURNING: &str = "RETURNING id, kind, recipients, cc, subject, body_text, body_html, \
                             calendar, calendar_method, attempts, give_up_at";
    let sql = match conn {
        DbConn::Pg(_) => format!(
            "UPDATE outbox SET next_attempt_at = $1, attempts = attempts + 1 WHERE id IN ( \
               SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $2 \
               ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) {RETURNING}"
        ),
        DbConn::Sqlite(_) => format!(
            "UPDATE outbox SET next_attempt_at = ?, attempts = attempts + 1 WHERE id IN ( \
               SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?2 \
               ORDER BY id LIMIT ?3) {RETURNING}"
        ),
    };
    let mut claimed: Vec<ClaimedMessage> = diesel::sql_query(sql)
        .bind::<Timestamp, _>(lease_until)
        .bind::<Timestamp, _>(at)
        .bind::<BigInt, _>(limit)
        .load(conn)?;
    claimed.sort_by_key(|m| m.id);
    Ok(claimed)
}

/// Hands claimed messages that were never attempted back to the queue: due
/// now, their attempt uncounted, so any worker sends them at once.
pub fn release(conn: &mut DbConn, ids: &[i64], at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::id.eq_any(ids))
            .filter(outbox::status.eq(PENDING)),
    )
    .set((
        outbox::next_attempt_at.eq(at),
        outbox::attempts.eq(outbox::attempts - 1),
    ))
    .execute(conn)
}

/// How many messages are in each status.
pub fn counts(conn: &mut DbConn) -> QueryResult<std::collections::HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = outbox::table
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

pub fn mark_sent(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    let at = now();
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(SENT),
            outbox::sent_at.eq(Some(at)),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn mark_failed(conn: &mut DbConn, id: i64, error: &str) -> QueryResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(FAILED),
            outbox::last_error.eq(Some(error)),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn schedule_retry(
    conn: &mut DbConn,
    id: i64,
    error: &str,
    next: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::next_attempt_at.eq(next),
            outbox::last_error.eq(Some(error)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Puts a failed message back in the queue, due now, with a fresh retry window.
/// Returns `false` when the message is not failed.
pub fn retry_failed(conn: &mut DbConn, id: i64, give_up_at: NaiveDateTime) -> QueryResult<bool> {
    let at = now();
    let n = diesel::update(outbox::table.find(id).filter(outbox::status.eq(FAILED)))
        .set((
            outbox::status.eq(PENDING),
            outbox::next_attempt_at.eq(at),
            outbox::give_up_at.eq(give_up_at),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<OutboxEntry>> {
    outbox::table
        .find(id)
        .select(OutboxEntry::as_select())
        .first(conn)
        .optional()
}

pub fn list(
    conn: &mut DbConn,
    status: Option<&str>,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<OutboxEntry>> {
    let mut query = outbox::table.select(OutboxEntry::as_select()).into_boxed();
    if let Some(status) = status {
        query = query.filter(outbox::status.eq(status.to_owned()));
    }
    if let Some(after) = after {
        query = query.filter(outbox::id.gt(after));
    }
    query.order(outbox::id.asc()).limit(limit).load(conn)
}
