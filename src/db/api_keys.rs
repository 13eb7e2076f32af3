//! The `api_keys` table: keys for integrations, each tied to its own machine
//! account (see the migration).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{api_keys, users};
use super::users::User;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_keys, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ApiKey {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub prefix: String,
    pub created_by_id: i64,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::OptStamp)]
    pub last_used_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = super::stamp::OptStamp)]
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = api_keys)]
pub struct NewApiKey<'a> {
    pub user_id: i64,
    pub name: &'a str,
    pub prefix: &'a str,
    pub key_hash: &'a str,
    pub created_by_id: i64,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewApiKey<'_>) -> QueryResult<ApiKey> {
    let id: i64 = diesel::insert_into(api_keys::table)
        .values(new)
        .returning(api_keys::id)
        .get_result(conn)?;
    api_keys::table
        .find(id)
        .select(ApiKey::as_select())
        .first(conn)
}

/// The active machine account of the live (not revoked) key with this hash.
pub fn user_of(conn: &mut DbConn, key_hash: &str) -> QueryResult<Option<User>> {
    api_keys::table
        .inner_join(users::table)
        .filter(api_keys::key_hash.eq(key_hash))
        .filter(api_keys::revoked_at.is_null())
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Every key, newest first (there are few).
pub fn list(conn: &mut DbConn) -> QueryResult<Vec<ApiKey>> {
    api_keys::table
        .select(ApiKey::as_select())
        .order(api_keys::id.desc())
        .load(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<ApiKey>> {
    api_keys::table
        .find(id)
        .select(ApiKey::as_select())
        .first(conn)
        .optional()
}

pub fn revoke(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        api_keys::table
            .find(id)
            .filter(api_keys::revoked_at.is_null()),
    )
    .set(api_keys::revoked_at.eq(at))
    .execute(conn)
}

/// Records a use of the key, unless one was recorded since `since`.
pub fn touch(
    conn: &mut DbConn,
    key_hash: &str,
    at: NaiveDateTime,
    since: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        api_keys::table
            .filter(api_keys::key_hash.eq(key_hash))
            .filter(api_keys::revoked_at.is_null())
            .filter(
                api_keys::last_used_at
                    .is_null()
                    .or(api_keys::last_used_at.lt(since)),
            ),
    )
    .set(api_keys::last_used_at.eq(at))
    .execute(conn)
}
