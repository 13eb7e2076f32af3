//! `sessions`: one row per signed-in browser or API token. Only the SHA-256
//! of each session key is stored; deleting a row ends that session at once.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{sessions, users};
use super::users::User;

pub fn insert(
    conn: &mut DbConn,
    user_id: i64,
    key_hash: &str,
    kind: &str,
    at: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::user_id.eq(user_id),
            sessions::key_hash.eq(key_hash),
            sessions::kind.eq(kind),
            sessions::created_at.eq(at),
            sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The user of the live session of `kind` whose key hashes to `key_hash`, in
/// one query (the hot path of every signed-in request).
pub fn user_of(
    conn: &mut DbConn,
    key_hash: &str,
    kind: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<User>> {
    // Every signed-in request's first read: on the backend's own connection.
    super::native!(conn, |c| sessions::table
        .inner_join(users::table)
        .filter(sessions::key_hash.eq(key_hash))
        .filter(sessions::kind.eq(kind))
        .filter(sessions::expires_at.gt(now))
        .select(User::as_select())
        .first(c)
        .optional())
}

/// The users of the live sessions among `key_hashes`, in one query, each
/// with its session's hash and kind (streams that follow one loop are
/// re-checked together).
pub fn users_of_many(
    conn: &mut DbConn,
    key_hashes: &[String],
    now: NaiveDateTime,
) -> QueryResult<Vec<(String, String, User)>> {
    if key_hashes.is_empty() {
        return Ok(Vec::new());
    }
    sessions::table
        .inner_join(users::table)
        .filter(sessions::key_hash.eq_any(key_hashes))
        .filter(sessions::expires_at.gt(now))
        .select((sessions::key_hash, sessions::kind, User::as_select()))
        .load(conn)
}

/// Ends one session; `true` when it was live.
pub fn delete(conn: &mut DbConn, key_hash: &str) -> QueryResult<bool> {
    diesel::delete(sessions::table.filter(sessions::key_hash.eq(key_hash)))
        .execute(conn)
        .map(|n| n > 0)
}

/// Ends every session of a person; answers how many there were.
pub fn delete_all_of(conn: &mut DbConn, user_id: i64) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

/// Forgets a person's expired sessions (done at each sign-in, so the table
/// holds live sessions and a few hours of expired ones).
pub fn delete_expired_of(conn: &mut DbConn, user_id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::expires_at.le(now)),
    )
    .execute(conn)
    .map(|_| ())
}

/// How many live sessions a person has (the account page says so).
pub fn count_live_of(conn: &mut DbConn, user_id: i64, now: NaiveDateTime) -> QueryResult<i64> {
    sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::expires_at.gt(now))
        .count()
        .get_result(conn)
}
