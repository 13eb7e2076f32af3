//! `account_links`: single-use links to set a password. Only the SHA-256 of
//! each token is stored.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::DbConn;
use super::schema::account_links;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = account_links, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct AccountLink {
    pub id: i64,
    pub user_id: i64,
    pub purpose: String,
    pub token_hash: String,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub expires_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::OptStamp)]
    pub used_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub created_at: NaiveDateTime,
}

pub fn insert(
    conn: &mut DbConn,
    user_id: i64,
    purpose: &str,
    token_hash: &str,
    expires_at: NaiveDateTime,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(account_links::table)
        .values((
            account_links::user_id.eq(user_id),
            account_links::purpose.eq(purpose),
            account_links::token_hash.eq(token_hash),
            account_links::expires_at.eq(expires_at),
            account_links::created_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// [`insert`] for many people at once (an import's invitations), in
/// statements of [`super::users::BATCH`] rows: each `(user_id, token_hash)`.
pub fn insert_many(
    conn: &mut DbConn,
    links: &[(i64, String)],
    purpose: &str,
    expires_at: NaiveDateTime,
    at: NaiveDateTime,
) -> QueryResult<()> {
    for chunk in links.chunks(super::users::BATCH) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(user_id, token_hash)| {
                (
                    account_links::user_id.eq(*user_id),
                    account_links::purpose.eq(purpose),
                    account_links::token_hash.eq(token_hash.as_str()),
                    account_links::expires_at.eq(expires_at),
                    account_links::created_at.eq(at),
                )
            })
            .collect();
        super::native!(conn, |c| diesel::insert_into(account_links::table)
            .values(&rows)
            .execute(c))?;
    }
    Ok(())
}

pub fn find_by_hash(conn: &mut DbConn, token_hash: &str) -> QueryResult<Option<AccountLink>> {
    account_links::table
        .filter(account_links::token_hash.eq(token_hash))
        .select(AccountLink::as_select())
        .first(conn)
        .optional()
}

/// Marks the link used, if it still is unused; `false` when another request used it first.
pub fn consume(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        account_links::table
            .filter(account_links::id.eq(id))
            .filter(account_links::used_at.is_null()),
    )
    .set(account_links::used_at.eq(Some(at)))
    .execute(conn)
    .map(|n| n == 1)
}

/// Every unused link of a user stops working (a password was set).
pub fn retire_all(conn: &mut DbConn, user_id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        account_links::table
            .filter(account_links::user_id.eq(user_id))
            .filter(account_links::used_at.is_null()),
    )
    .set(account_links::used_at.eq(Some(at)))
    .execute(conn)
}

/// How many links of `purpose` were made for a user since `since`.
pub fn count_since(
    conn: &mut DbConn,
    user_id: i64,
    purpose: &str,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    account_links::table
        .filter(account_links::user_id.eq(user_id))
        .filter(account_links::purpose.eq(purpose))
        .filter(account_links::created_at.ge(since))
        .select(count_star())
        .first(conn)
}
