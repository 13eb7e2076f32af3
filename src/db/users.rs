//! The `users` table: rows, changes and queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use super::schema::users;
use super::{DbConn, now};
use crate::domain::{BarRaiserStatus, Role};

diesel::define_sql_function! {
    /// SQL `lower()`, the same on both backends.
    fn lower(x: Text) -> Text;
}

diesel::define_sql_function! {
    /// SQL `lower()` of a column that may be NULL.
    #[sql_name = "lower"]
    fn lower_nullable(x: Nullable<Text>) -> Nullable<Text>;
}

/// A user as the application sees it (the password hash is never loaded here).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    #[diesel(deserialize_as = String)]
    pub role: Role,
    pub manager_id: Option<i64>,
    pub department: Option<String>,
    #[diesel(deserialize_as = String)]
    pub bar_raiser: BarRaiserStatus,
    pub active: bool,
    pub token_version: i64,
    /// An IANA time zone name, checked when it was stored.
    pub time_zone: Option<String>,
    /// The password was generated (the first admin's): pages ask for a new one.
    pub must_change_password: bool,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

impl User {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// The zone pages and mail show this person's times in (UTC until they choose one).
    pub fn zone(&self) -> crate::domain::TimeZone {
        crate::domain::TimeZone::stored(self.time_zone.as_deref())
    }
}

/// What sign-in needs to know about an account.
#[derive(Debug, Queryable)]
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    pub active: bool,
}

/// `None` is written as NULL (not SQL's `DEFAULT`, which a row of a
/// multi-row insert on SQLite cannot hold).
#[derive(Debug, Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub manager_id: Option<i64>,
    pub department: Option<&'a str>,
    pub bar_raiser: &'a str,
    pub active: bool,
    pub token_version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A partial update; `None` leaves a column as it is, `Some(None)` clears a nullable one.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub name: Option<String>,
    pub role: Option<String>,
    pub manager_id: Option<Option<i64>>,
    pub department: Option<Option<String>>,
    pub bar_raiser: Option<String>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
    pub token_version: Option<i64>,
    pub time_zone: Option<Option<String>>,
    pub must_change_password: Option<bool>,
    pub updated_at: Option<NaiveDateTime>,
}

/// Filters of the directory listing.
#[derive(Debug, Default, Clone)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub bar_raiser: Option<BarRaiserStatus>,
    pub active: Option<bool>,
    /// Case-insensitive substring of the name, email or department.
    pub query: Option<String>,
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<User>> {
    users::table
        .filter(super::any_of::any_of(users::id, ids))
        .select(User::as_select())
        .load(conn)
}

/// The names of the users with these ids, by id: two columns, not whole
/// accounts (a page of figures names a thousand people).
pub fn names(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    users::table
        .filter(super::any_of::any_of(users::id, ids))
        .select((users::id, users::name))
        .load(conn)
}

/// The active person (never an API key's account) with this email, as stored.
pub fn active_person_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email))
        .filter(users::active.eq(true))
        .filter(users::machine.eq(false))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn credentials(conn: &mut DbConn, email: &str) -> QueryResult<Option<Credentials>> {
    users::table
        .filter(users::email.eq(email))
        .select((users::id, users::password_hash, users::active))
        .first(conn)
        .optional()
}

/// Inserts the account and reads it back in the same statement.
pub fn insert(conn: &mut DbConn, new: &NewUser<'_>) -> QueryResult<User> {
    // `RETURNING` a whole row does not pass through the two-backend
    // connection: on each backend's own.
    super::native!(conn, |c| diesel::insert_into(users::table)
        .values(new)
        .returning(User::as_returning())
        .get_result(c))
}

/// Rows a multi-row insert writes at once: a statement's parameters stay
/// well under both backends' limits (11 or 13 columns a row).
pub const BATCH: usize = 1_000;

/// Inserts the accounts and reads them back, [`BATCH`] rows a statement (an
/// import of 10,000 people is ten statements, not 10,000 round trips).
/// Returned in no particular order.
pub fn insert_many(conn: &mut DbConn, new: &[NewUser<'_>]) -> QueryResult<Vec<User>> {
    let mut users = Vec::with_capacity(new.len());
    for chunk in new.chunks(BATCH) {
        // A batch with `RETURNING` does not pass through the two-backend
        // connection: on each backend's own.
        users.extend(super::native!(conn, |c| diesel::insert_into(users::table)
            .values(chunk)
            .returning(User::as_returning())
            .get_results(c))?);
    }
    Ok(users)
}

/// Marks the account as an API key's own (never offered as a person).
pub fn mark_machine(conn: &mut DbConn, id: i64) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::machine.eq(true))
        .execute(conn)
}

/// Locks the account's row until the transaction ends (PostgreSQL), so that
/// a password change, a deactivation and a sign-out of every session of one
/// person happen one at a time, each seeing what the one before did.
/// SQLite needs nothing: `Db::write` already admits one writer.
pub fn lock(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    if let DbConn::Pg(pg) = conn {
        users::table
            .find(id)
            .select(users::id)
            .for_update()
            .execute(pg)?;
    }
    Ok(())
}

pub fn update(conn: &mut DbConn, id: i64, mut changes: UserChanges) -> QueryResult<User> {
    changes.updated_at = Some(now());
    diesel::update(users::table.find(id))
        .set(&changes)
        .execute(conn)?;
    users::table.find(id).select(User::as_select()).first(conn)
}

/// One page of the directory, ordered by id, starting after `after`.
pub fn list(
    conn: &mut DbConn,
    filter: &UserFilter,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<User>> {
    // API keys' own accounts are not people.
    let mut query = users::table
        .select(User::as_select())
        .filter(users::machine.eq(false))
        .into_boxed();
    if let Some(role) = filter.role {
        query = query.filter(users::role.eq(role.as_str()));
    }
    if let Some(status) = filter.bar_raiser {
        query = query.filter(users::bar_raiser.eq(status.as_str()));
    }
    if let Some(active) = filter.active {
        query = query.filter(users::active.eq(active));
    }
    if let Some(q) = &filter.query {
        let pattern = format!("%{}%", escape_like(&q.to_lowercase()));
        query = query.filter(
            lower(users::name)
                .like(pattern.clone())
                .escape('\\')
                .or(users::email.like(pattern.clone()).escape('\\'))
                .or(lower_nullable(users::department)
                    .like(pattern)
                    .escape('\\')
                    .assume_not_null()),
        );
    }
    if let Some(after) = after {
        query = query.filter(users::id.gt(after));
    }
    query.order(users::id.asc()).limit(limit).load(conn)
}

/// Active people for a picker (certified bar raisers only when
/// `certified_only`; never an API key's account): the one person with
/// `email` when it names one; otherwise those whose name starts with `q`
/// first, by name; then, once `q` has three characters, those whose name,
/// email or department contains it (by name among themselves); at most
/// `limit`. The email by its unique index, then at most two queries over the
/// column `search_text` (the lower-cased name, email and department), each
/// answered from an index on PostgreSQL: a prefix B-tree, then trigrams or
/// the primary key's order, which stops at `limit` when many match.
pub fn search(
    conn: &mut DbConn,
    q: &str,
    email: Option<&str>,
    certified_only: bool,
    limit: i64,
) -> QueryResult<Vec<User>> {
    let anywhere = q.chars().count() >= 3;
    let q = escape_like(&q.to_lowercase());
    let base = || {
        let mut query = users::table
            .select(User::as_select())
            .filter(users::active.eq(true))
            .filter(users::machine.eq(false))
            .into_boxed();
        if certified_only {
            query = query.filter(users::bar_raiser.eq(BarRaiserStatus::Certified.as_str()));
        }
        query
    };
    // An email (lower-case) names one person exactly, when the picker may offer them.
    if let Some(email) = email
        && let Some(one) = base()
            .filter(users::email.eq(email))
            .first(conn)
            .optional()?
    {
        return Ok(vec![one]);
    }
    let search_text = || diesel::dsl::sql::<Text>("search_text");
    let mut found: Vec<User> = base()
        .filter(search_text().like(format!("{q}%")).escape('\\'))
        .order((users::name.asc(), users::id.asc()))
        .limit(limit)
        .load(conn)?;
    let room = limit - found.len() as i64;
    if room > 0 && anywhere {
        let seen: Vec<i64> = found.iter().map(|u| u.id).collect();
        let mut more: Vec<User> = base()
            .filter(search_text().like(format!("%{q}%")).escape('\\'))
            .filter(users::id.ne_all(seen))
            .order(users::id.asc())
            .limit(room)
            .load(conn)?;
        more.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        found.extend(more);
    }
    Ok(found)
}

/// `s` with the wildcards of LIKE escaped by `\\`.
pub(crate) fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// One person in a management chain: `depth` 0 is the person asked about,
/// 1 their manager, and so on.
#[derive(Debug, Clone, QueryableByName)]
pub struct ChainLink {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub manager_id: Option<i64>,
    #[diesel(sql_type = BigInt)]
    pub depth: i64,
}

/// A person followed by everyone above them, in one recursive query whatever
/// the depth of the organisation. The depth bound stops a corrupt (cyclic)
/// table from looping; the application never writes one.
pub fn management_chain(conn: &mut DbConn, id: i64) -> QueryResult<Vec<ChainLink>> {
    Ok(management_chains(conn, &[id])?
        .remove(&id)
        .unwrap_or_default())
}

/// The statement of [`management_chains`]: its text is fixed and the ids are
/// one parameter (see [`super::any_of`]). SQLite keeps it prepared.
/// PostgreSQL plans it afresh for the ids bound: the service's connections
/// use generic plans (`plan_cache_mode`, set as each is taken from the pool),
/// and the generic plan of this
/// recursion, not knowing how many people it starts from, joins each level
/// by scanning every account (the import of 10,000 people took 15 s instead
/// of 9 with it).
#[derive(Debug, Clone, diesel::query_builder::QueryId)]
struct Chains(super::any_of::AnyOf<users::id>);

impl diesel::query_builder::Query for Chains {
    type SqlType = (BigInt, BigInt, Text, Nullable<BigInt>, BigInt);
}

impl Chains {
    fn walk<'b, DB: diesel::backend::Backend>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, DB>,
    ) -> QueryResult<()>
    where
        super::any_of::AnyOf<users::id>: diesel::query_builder::QueryFragment<DB>,
    {
        use diesel::query_builder::QueryFragment;
        out.push_sql(
            "WITH RECURSIVE chain(root, id, name, manager_id, depth) AS ( \
               SELECT id, id, name, manager_id, CAST(0 AS BIGINT) FROM users WHERE ",
        );
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(
            " UNION ALL \
               SELECT chain.root, u.id, u.name, u.manager_id, chain.depth + 1 FROM users u \
               JOIN chain ON u.id = chain.manager_id WHERE chain.depth < 100000 \
             ) SELECT root, id, name, manager_id, depth FROM chain ORDER BY root, depth",
        );
        Ok(())
    }
}

impl diesel::query_builder::QueryFragment<diesel::sqlite::Sqlite> for Chains {
    fn walk_ast<'b>(
        &'b self,
        out: diesel::query_builder::AstPass<'_, 'b, diesel::sqlite::Sqlite>,
    ) -> QueryResult<()> {
        self.walk(out)
    }
}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for Chains {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> QueryResult<()> {
        out.unsafe_to_cache_prepared();
        self.walk(out)
    }
}

impl<Conn> RunQueryDsl<Conn> for Chains {}

/// The management chain of each of `ids` (see [`management_chain`]), in one
/// recursive query whatever their number.
pub fn management_chains(
    conn: &mut DbConn,
    ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, Vec<ChainLink>>> {
    let mut out: std::collections::HashMap<i64, Vec<ChainLink>> = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let query = Chains(super::any_of::any_of(users::id, ids));
    let rows: Vec<(i64, i64, String, Option<i64>, i64)> = super::native!(conn, |c| query.load(c))?;
    for (root, id, name, manager_id, depth) in rows {
        out.entry(root).or_default().push(ChainLink {
            id,
            name,
            manager_id,
            depth,
        });
    }
    Ok(out)
}

/// A person as the organisation chart and the people import see them.
#[derive(Debug, Clone, Queryable)]
pub struct OrgRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub manager_id: Option<i64>,
    pub department: Option<String>,
    pub bar_raiser: String,
    pub active: bool,
}

/// Everyone, by id, in one query (the organisation chart, the import's checks).
pub fn org_rows(conn: &mut DbConn) -> QueryResult<Vec<OrgRow>> {
    users::table
        .filter(users::machine.eq(false))
        .select((
            users::id,
            users::email,
            users::name,
            users::role,
            users::manager_id,
            users::department,
            users::bar_raiser,
            users::active,
        ))
        .order(users::id.asc())
        .load(conn)
}

/// The people who report to `id` directly, by name.
pub fn direct_reports(conn: &mut DbConn, id: i64) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::manager_id.eq(id))
        .select(User::as_select())
        .order((users::name.asc(), users::id.asc()))
        .load(conn)
}

/// How many active people have no manager, and the first `limit` by name.
pub fn without_manager(conn: &mut DbConn, limit: i64) -> QueryResult<(i64, Vec<User>)> {
    let base = || {
        users::table
            .filter(users::active.eq(true))
            .filter(users::manager_id.is_null())
    };
    let count = base().count().get_result(conn)?;
    let people = base()
        .select(User::as_select())
        .order((users::name.asc(), users::id.asc()))
        .limit(limit)
        .load(conn)?;
    Ok((count, people))
}

/// Active certified bar raisers.
pub fn certified(conn: &mut DbConn) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::active.eq(true))
        .filter(users::bar_raiser.eq(BarRaiserStatus::Certified.as_str()))
        .select(User::as_select())
        .order((users::name.asc(), users::id.asc()))
        .load(conn)
}
