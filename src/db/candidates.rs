//! `candidates`: personal data that erasure replaces.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{candidates, interview_loops, interviews};
use super::{DbConn, now};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = candidates, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub referred_by_id: Option<i64>,
    pub created_by_id: i64,
    #[diesel(deserialize_as = super::stamp::OptStamp)]
    pub erased_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = candidates)]
pub struct NewCandidate<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub referred_by_id: Option<i64>,
    pub created_by_id: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewCandidate<'_>) -> QueryResult<Candidate> {
    let id: i64 = diesel::insert_into(candidates::table)
        .values(new)
        .returning(candidates::id)
        .get_result(conn)?;
    candidates::table
        .find(id)
        .select(Candidate::as_select())
        .first(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Candidate>> {
    candidates::table
        .find(id)
        .select(Candidate::as_select())
        .first(conn)
        .optional()
}

pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Candidate>> {
    candidates::table
        .filter(super::any_of::any_of(candidates::id, ids))
        .select(Candidate::as_select())
        .load(conn)
}

/// A page of candidates (those `created_by` added, or all), matching `q` in
/// name or email when given, ordered by id after `after`.
pub fn list(
    conn: &mut DbConn,
    created_by: Option<i64>,
    q: Option<&str>,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Candidate>> {
    use super::users::{escape_like, lower};
    let mut query = candidates::table
        .select(Candidate::as_select())
        .into_boxed();
    if let Some(me) = created_by {
        query = query.filter(candidates::created_by_id.eq(me));
    }
    if let Some(q) = q {
        let pattern = format!("%{}%", escape_like(&q.to_lowercase()));
        query = query.filter(
            lower(candidates::name)
                .like(pattern.clone())
                .escape('\\')
                .or(lower(candidates::email).like(pattern).escape('\\')),
        );
    }
    if let Some(after) = after {
        query = query.filter(candidates::id.gt(after));
    }
    query.order(candidates::id.asc()).limit(limit).load(conn)
}

/// Whether `user_id` takes part in a loop of the candidate (recruiter, hiring
/// manager, bar raiser or interviewer).
pub fn is_participant(conn: &mut DbConn, candidate_id: i64, user_id: i64) -> QueryResult<bool> {
    let as_owner = interview_loops::table
        .filter(interview_loops::candidate_id.eq(candidate_id))
        .filter(
            interview_loops::recruiter_id
                .eq(user_id)
                .or(interview_loops::hiring_manager_id.eq(user_id))
                .or(interview_loops::bar_raiser_id.eq(user_id)),
        )
        .count()
        .get_result::<i64>(conn)?;
    if as_owner > 0 {
        return Ok(true);
    }
    let as_interviewer = interviews::table
        .inner_join(interview_loops::table)
        .filter(interview_loops::candidate_id.eq(candidate_id))
        .filter(interviews::interviewer_id.eq(user_id))
        .count()
        .get_result::<i64>(conn)?;
    Ok(as_interviewer > 0)
}

/// Whether `user_id` is the recruiter of a loop of the candidate.
pub fn is_loop_recruiter(conn: &mut DbConn, candidate_id: i64, user_id: i64) -> QueryResult<bool> {
    let n: i64 = interview_loops::table
        .filter(interview_loops::candidate_id.eq(candidate_id))
        .filter(interview_loops::recruiter_id.eq(user_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// GDPR erasure: name and email are replaced; loops and decisions stay.
pub fn erase(conn: &mut DbConn, id: i64) -> QueryResult<Candidate> {
    let at = now();
    diesel::update(candidates::table.find(id))
        .set((
            candidates::name.eq("Erased candidate"),
            candidates::email.eq(format!("erased-{id}@erased.invalid")),
            candidates::erased_at.eq(Some(at)),
            candidates::updated_at.eq(at),
        ))
        .execute(conn)?;
    candidates::table
        .find(id)
        .select(Candidate::as_select())
        .first(conn)
}
