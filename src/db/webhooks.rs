//! The webhook tables: the endpoints an admin registers, the deliveries
//! written beside the change they announce (an outbox of their own, claimed
//! by the worker as mail is), and every attempt at each.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use super::DbConn;
use super::schema::{webhook_attempts, webhook_deliveries, webhooks};

pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhooks, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Endpoint {
    pub id: i64,
    pub url: String,
    pub description: Option<String>,
    /// Space-separated event types.
    pub events: String,
    pub secret: String,
    pub active: bool,
    pub created_by_id: i64,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = webhooks)]
pub struct NewEndpoint<'a> {
    pub url: &'a str,
    pub description: Option<&'a str>,
    pub events: &'a str,
    pub secret: &'a str,
    pub active: bool,
    pub created_by_id: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = webhooks)]
pub struct EndpointChanges {
    pub events: Option<String>,
    pub secret: Option<String>,
    pub active: Option<bool>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, new: &NewEndpoint<'_>) -> QueryResult<Endpoint> {
    let id: i64 = diesel::insert_into(webhooks::table)
        .values(new)
        .returning(webhooks::id)
        .get_result(conn)?;
    webhooks::table
        .find(id)
        .select(Endpoint::as_select())
        .first(conn)
}

/// Every endpoint, oldest first (an organisation has a handful).
pub fn list(conn: &mut DbConn) -> QueryResult<Vec<Endpoint>> {
    webhooks::table
        .select(Endpoint::as_select())
        .order(webhooks::id.asc())
        .load(conn)
}

/// The active endpoints: the ones a new event is written for.
pub fn active(conn: &mut DbConn) -> QueryResult<Vec<(i64, String)>> {
    webhooks::table
        .filter(webhooks::active.eq(true))
        .select((webhooks::id, webhooks::events))
        .order(webhooks::id.asc())
        .load(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Endpoint>> {
    webhooks::table
        .find(id)
        .select(Endpoint::as_select())
        .first(conn)
        .optional()
}

pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Endpoint>> {
    webhooks::table
        .filter(webhooks::id.eq_any(ids))
        .select(Endpoint::as_select())
        .load(conn)
}

pub fn update(conn: &mut DbConn, id: i64, changes: &EndpointChanges) -> QueryResult<Endpoint> {
    diesel::update(webhooks::table.find(id))
        .set(changes)
        .execute(conn)?;
    webhooks::table
        .find(id)
        .select(Endpoint::as_select())
        .first(conn)
}

/// Removes an endpoint with its deliveries and their attempts.
pub fn delete(conn: &mut DbConn, id: i64) -> QueryResult<usize> {
    let deliveries = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(id))
        .select(webhook_deliveries::id);
    diesel::delete(
        webhook_attempts::table.filter(webhook_attempts::delivery_id.eq_any(deliveries)),
    )
    .execute(conn)?;
    diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::webhook_id.eq(id)))
        .execute(conn)?;
    diesel::delete(webhooks::table.find(id)).execute(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Delivery {
    pub id: i64,
    pub webhook_id: i64,
    pub message_id: String,
    pub event_type: String,
    pub payload: String,
    pub status: String,
    pub attempts: i64,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub next_attempt_at: NaiveDateTime,
    pub last_response_code: Option<i32>,
    pub last_error: Option<String>,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::OptStamp)]
    pub delivered_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = webhook_deliveries)]
pub struct NewDelivery<'a> {
    pub webhook_id: i64,
    pub message_id: &'a str,
    pub event_type: &'a str,
    pub payload: &'a str,
    pub status: &'a str,
    pub attempts: i64,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

/// One statement per row: the multi-backend connection cannot batch, and an
/// event goes to a handful of endpoints.
pub fn insert_deliveries(conn: &mut DbConn, rows: &[NewDelivery<'_>]) -> QueryResult<usize> {
    let mut n = 0;
    for row in rows {
        n += diesel::insert_into(webhook_deliveries::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(n)
}

/// An endpoint's deliveries in the order they were created, a page at a
/// time (after the delivery id `after`).
pub fn deliveries(
    conn: &mut DbConn,
    webhook_id: i64,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Delivery>> {
    let mut query = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .select(Delivery::as_select())
        .order(webhook_deliveries::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(webhook_deliveries::id.gt(after));
    }
    query.load(conn)
}

/// An endpoint's latest deliveries, newest first (the admin page).
pub fn latest_deliveries(
    conn: &mut DbConn,
    webhook_id: i64,
    limit: i64,
) -> QueryResult<Vec<Delivery>> {
    webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .select(Delivery::as_select())
        .order(webhook_deliveries::id.desc())
        .limit(limit)
        .load(conn)
}

/// A delivery the worker claimed.
#[derive(Debug, Clone, QueryableByName)]
pub struct Claimed {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub webhook_id: i64,
    #[diesel(sql_type = Text)]
    pub message_id: String,
    #[diesel(sql_type = Text)]
    pub payload: String,
    #[diesel(sql_type = BigInt)]
    pub attempts: i64,
}

/// Claims up to `limit` due deliveries of active endpoints until
/// `lease_until`, counting an attempt for each, oldest first (so each
/// endpoint's deliveries go out in the order they were created). As with
/// mail, PostgreSQL's `SKIP LOCKED` lets several workers claim side by side.
pub fn claim_due(
    conn: &mut DbConn,
    at: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Claimed>> {
    const RETURNING: &str = "RETURNING id, webhook_id, message_id, payload, attempts";
    let sql = match conn {
        DbConn::Pg(_) => format!(
            "UPDATE webhook_deliveries SET next_attempt_at = $1, attempts = attempts + 1 \
             WHERE id IN ( \
               SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
               WHERE d.status = 'pending' AND d.next_attempt_at <= $2 AND w.active \
               ORDER BY d.id LIMIT $3 FOR UPDATE OF d SKIP LOCKED) {RETURNING}"
        ),
        DbConn::Sqlite(_) => format!(
            "UPDATE webhook_deliveries SET next_attempt_at = ?, attempts = attempts + 1 \
             WHERE id IN ( \
               SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
               WHERE d.status = 'pending' AND d.next_attempt_at <= ?2 AND w.active \
               ORDER BY d.id LIMIT ?3) {RETURNING}"
        ),
    };
    let mut claimed: Vec<Claimed> = diesel::sql_query(sql)
        .bind::<Timestamp, _>(lease_until)
        .bind::<Timestamp, _>(at)
        .bind::<BigInt, _>(limit)
        .load(conn)?;
    claimed.sort_by_key(|d| d.id);
    Ok(claimed)
}

/// Hands claimed deliveries that were never attempted back, due now.
pub fn release(conn: &mut DbConn, ids: &[i64], at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::id.eq_any(ids))
            .filter(webhook_deliveries::status.eq(PENDING)),
    )
    .set((
        webhook_deliveries::next_attempt_at.eq(at),
        webhook_deliveries::attempts.eq(webhook_deliveries::attempts - 1),
    ))
    .execute(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_attempts, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Attempt {
    pub id: i64,
    pub delivery_id: i64,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub attempted_at: NaiveDateTime,
    pub response_code: Option<i32>,
    pub duration_ms: i64,
    pub error: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = webhook_attempts)]
pub struct NewAttempt<'a> {
    pub delivery_id: i64,
    pub attempted_at: NaiveDateTime,
    pub response_code: Option<i32>,
    pub duration_ms: i64,
    pub error: Option<&'a str>,
}

/// What became of a delivery after an attempt.
#[derive(Debug, Clone, Copy)]
pub enum Outcome {
    Delivered,
    RetryAt(NaiveDateTime),
    Failed,
}

/// Keeps an attempt and its outcome on the delivery.
pub fn record_attempt(
    conn: &mut DbConn,
    attempt: &NewAttempt<'_>,
    outcome: Outcome,
) -> QueryResult<()> {
    diesel::insert_into(webhook_attempts::table)
        .values(attempt)
        .execute(conn)?;
    let row = webhook_deliveries::table.find(attempt.delivery_id);
    let last = (
        webhook_deliveries::last_response_code.eq(attempt.response_code),
        webhook_deliveries::last_error.eq(attempt.error),
    );
    match outcome {
        Outcome::Delivered => diesel::update(row)
            .set((
                last,
                webhook_deliveries::status.eq(DELIVERED),
                webhook_deliveries::delivered_at.eq(Some(attempt.attempted_at)),
            ))
            .execute(conn)?,
        Outcome::RetryAt(at) => diesel::update(row)
            .set((last, webhook_deliveries::next_attempt_at.eq(at)))
            .execute(conn)?,
        Outcome::Failed => diesel::update(row)
            .set((last, webhook_deliveries::status.eq(FAILED)))
            .execute(conn)?,
    };
    Ok(())
}

/// The attempts at these deliveries, in order.
pub fn attempts_of(conn: &mut DbConn, delivery_ids: &[i64]) -> QueryResult<Vec<Attempt>> {
    webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq_any(delivery_ids))
        .select(Attempt::as_select())
        .order(webhook_attempts::id.asc())
        .load(conn)
}
