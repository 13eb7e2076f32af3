//! `login_failures`: failed sign-ins per email, for throttling.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, min};
use diesel::prelude::*;

use super::DbConn;
use super::schema::login_failures;

/// How many failures `email` had since `since`, and when the oldest of them was.
pub fn recent(
    conn: &mut DbConn,
    email: &str,
    since: NaiveDateTime,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    login_failures::table
        .filter(login_failures::email.eq(email))
        .filter(login_failures::failed_at.gt(since))
        .select((count_star(), min(login_failures::failed_at)))
        .first(conn)
}

/// Records a failure and forgets every failure older than `forget_before`.
pub fn record(
    conn: &mut DbConn,
    email: &str,
    at: NaiveDateTime,
    forget_before: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::failed_at.le(forget_before)))
        .execute(conn)?;
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::email.eq(email),
            login_failures::failed_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn clear(conn: &mut DbConn, email: &str) -> QueryResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::email.eq(email))).execute(conn)?;
    Ok(())
}
