//! `login_failures`: password checks per account, for throttling.
//!
//! A row is written *before* a password is checked (a reservation) and removed
//! only when the check succeeds, so a row is a check that failed or is still
//! running. Reserving counts and inserts under a lock on the account's email
//! (a PostgreSQL transaction-level advisory lock, shared by every instance on
//! the database; on SQLite the write transaction itself, which is `IMMEDIATE`),
//! so parallel requests cannot all read the same count.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, min};
use diesel::prelude::*;
use diesel::sql_types::Text;

use super::DbConn;
use super::schema::login_failures;

/// The outcome of [`reserve`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// The check may run; remove this row with [`release`] if it succeeds.
    Granted(i64),
    /// The budget is spent until the oldest counted check ages out.
    Refused { oldest: NaiveDateTime },
}

/// Reserves one password check for `email` unless `max` checks since `since`
/// already failed (or are in flight). Must run inside a write transaction.
pub fn reserve(
    conn: &mut DbConn,
    email: &str,
    at: NaiveDateTime,
    since: NaiveDateTime,
    max: i64,
) -> QueryResult<Reservation> {
    if let DbConn::Pg(_) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(7263012, hashtext($1))")
            .bind::<Text, _>(email)
            .execute(conn)?;
    }
    let (count, oldest): (i64, Option<NaiveDateTime>) = login_failures::table
        .filter(login_failures::email.eq(email))
        .filter(login_failures::failed_at.gt(since))
        .select((count_star(), min(login_failures::failed_at)))
        .first(conn)?;
    if count >= max {
        return Ok(Reservation::Refused {
            oldest: oldest.unwrap_or(at),
        });
    }
    let id = diesel::insert_into(login_failures::table)
        .values((
            login_failures::email.eq(email),
            login_failures::failed_at.eq(at),
        ))
        .returning(login_failures::id)
        .get_result(conn)?;
    Ok(Reservation::Granted(id))
}

/// Gives back a reservation whose check succeeded, and forgets every check
/// older than `forget_before` (of any account: they no longer count).
pub fn release(conn: &mut DbConn, id: i64, forget_before: NaiveDateTime) -> QueryResult<()> {
    diesel::delete(login_failures::table.find(id)).execute(conn)?;
    diesel::delete(login_failures::table.filter(login_failures::failed_at.le(forget_before)))
        .execute(conn)?;
    Ok(())
}
