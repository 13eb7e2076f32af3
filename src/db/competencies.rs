//! The `competencies` table: the leadership-principle rubric library.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::competencies;
use super::{DbConn, now};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = competencies, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Competency {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub description: String,
    pub anchor_1: String,
    pub anchor_2: String,
    pub anchor_3: String,
    pub anchor_4: String,
    /// A JSON array of strings.
    pub questions: String,
    pub active: bool,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

impl Competency {
    pub fn questions(&self) -> Vec<String> {
        // Only this module writes the column, always from a Vec<String>.
        serde_json::from_str(&self.questions).unwrap_or_default()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = competencies)]
pub struct NewCompetency<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub anchor_1: &'a str,
    pub anchor_2: &'a str,
    pub anchor_3: &'a str,
    pub anchor_4: &'a str,
    pub questions: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = competencies)]
pub struct CompetencyChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub anchor_1: Option<String>,
    pub anchor_2: Option<String>,
    pub anchor_3: Option<String>,
    pub anchor_4: Option<String>,
    pub questions: Option<String>,
    pub active: Option<bool>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn questions_json(questions: &[String]) -> String {
    serde_json::to_string(questions).expect("a list of strings always serialises")
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    competencies::table.count().get_result(conn)
}

pub fn insert(conn: &mut DbConn, new: &NewCompetency<'_>) -> QueryResult<Competency> {
    let id: i64 = diesel::insert_into(competencies::table)
        .values(new)
        .returning(competencies::id)
        .get_result(conn)?;
    find(conn, id)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Competency> {
    competencies::table
        .find(id)
        .select(Competency::as_select())
        .first(conn)
}

pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Competency>> {
    competencies::table
        .filter(super::any_of::any_of(competencies::id, ids))
        .select(Competency::as_select())
        .load(conn)
}

/// The competencies of a loop: its requisition's and its panel's, each
/// marked whether the requisition requires it, in one fixed statement by the
/// loop's id (a list of ids bound into `IN (…)` is prepared afresh on every
/// call on SQLite).
pub fn of_loop(
    conn: &mut DbConn,
    loop_id: i64,
    requisition_id: i64,
) -> QueryResult<Vec<(Competency, bool)>> {
    use super::schema::{interview_competencies, interviews, requisition_competencies};
    // The room's read: on the backend's own connection. The role's
    // competencies are a left join (not a subquery per competency, which
    // PostgreSQL ran once for each row of the result).
    super::native!(conn, |c| {
        let on_panel = interview_competencies::table
            .inner_join(interviews::table)
            .filter(interviews::loop_id.eq(loop_id))
            .select(interview_competencies::competency_id);
        let of_role = requisition_competencies::competency_id.nullable();
        competencies::table
            .left_join(
                requisition_competencies::table.on(requisition_competencies::competency_id
                    .eq(competencies::id)
                    .and(requisition_competencies::requisition_id.eq(requisition_id))),
            )
            .filter(of_role.is_not_null().or(competencies::id.eq_any(on_panel)))
            .select((Competency::as_select(), of_role.is_not_null()))
            .load(c)
    })
}

pub fn update(
    conn: &mut DbConn,
    id: i64,
    mut changes: CompetencyChanges,
) -> QueryResult<Competency> {
    changes.updated_at = Some(now());
    let n = diesel::update(competencies::table.find(id))
        .set(&changes)
        .execute(conn)?;
    if n == 0 {
        return Err(diesel::result::Error::NotFound);
    }
    find(conn, id)
}

pub fn list(
    conn: &mut DbConn,
    active: Option<bool>,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Competency>> {
    let mut query = competencies::table
        .select(Competency::as_select())
        .into_boxed();
    if let Some(active) = active {
        query = query.filter(competencies::active.eq(active));
    }
    if let Some(after) = after {
        query = query.filter(competencies::id.gt(after));
    }
    query.order(competencies::id.asc()).limit(limit).load(conn)
}
