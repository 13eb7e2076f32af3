//! `sso_logins`: single sign-on begun and not yet finished (see the migration).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::sso_logins;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sso_logins, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct PendingLogin {
    pub state_hash: String,
    pub browser_hash: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub next: String,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub created_at: NaiveDateTime,
}

/// Keeps a new one, and forgets those begun before `stale_before`.
pub fn insert(
    conn: &mut DbConn,
    login: &PendingLogin,
    stale_before: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(sso_logins::table.filter(sso_logins::created_at.lt(stale_before)))
        .execute(conn)?;
    diesel::insert_into(sso_logins::table)
        .values(login)
        .execute(conn)
        .map(|_| ())
}

/// Takes the one with this state: it is deleted, so a second callback with
/// the same state finds nothing.
pub fn take(conn: &mut DbConn, state_hash: &str) -> QueryResult<Option<PendingLogin>> {
    let found = sso_logins::table
        .find(state_hash)
        .select(PendingLogin::as_select())
        .first(conn)
        .optional()?;
    if found.is_some() {
        let deleted = diesel::delete(sso_logins::table.find(state_hash)).execute(conn)?;
        if deleted == 0 {
            // Another request took it first.
            return Ok(None);
        }
    }
    Ok(found)
}
