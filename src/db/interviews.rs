//! `interviews` and `interview_competencies`: one interview of a loop, with
//! the competencies it assesses.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{interview_competencies, interviews};
use super::{DbConn, first_param};
use crate::domain::LoopStatus;
use diesel::sql_types::BigInt;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = interviews, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Interview {
    pub id: i64,
    pub loop_id: i64,
    pub interviewer_id: i64,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub starts_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub ends_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub feedback_due_at: NaiveDateTime,
    pub sequence: i64,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
    /// When its interviewer was last reminded of its feedback, by hand or by
    /// the reminder job (the loop page offers a reminder by this).
    #[diesel(deserialize_as = super::stamp::OptStamp)]
    pub last_reminded_at: Option<NaiveDateTime>,
}

/// One interview to write.
#[derive(Debug, Clone)]
pub struct InterviewValues {
    pub interviewer_id: i64,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub feedback_due_at: NaiveDateTime,
    pub competency_ids: Vec<i64>,
}

/// One interview and the loop it belongs to.
pub fn find_interview(conn: &mut DbConn, id: i64) -> QueryResult<Option<Interview>> {
    interviews::table
        .find(id)
        .select(Interview::as_select())
        .first(conn)
        .optional()
}

fn set_competencies(conn: &mut DbConn, interview_id: i64, ids: &[i64]) -> QueryResult<()> {
    diesel::delete(
        interview_competencies::table.filter(interview_competencies::interview_id.eq(interview_id)),
    )
    .execute(conn)?;
    for id in ids {
        diesel::insert_into(interview_competencies::table)
            .values((
                interview_competencies::interview_id.eq(interview_id),
                interview_competencies::competency_id.eq(id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert_interview(
    conn: &mut DbConn,
    loop_id: i64,
    v: &InterviewValues,
    at: NaiveDateTime,
) -> QueryResult<i64> {
    let id: i64 = diesel::insert_into(interviews::table)
        .values((
            interviews::loop_id.eq(loop_id),
            interviews::interviewer_id.eq(v.interviewer_id),
            interviews::starts_at.eq(v.starts_at),
            interviews::ends_at.eq(v.ends_at),
            interviews::feedback_due_at.eq(v.feedback_due_at),
            interviews::sequence.eq(0),
            interviews::created_at.eq(at),
            interviews::updated_at.eq(at),
        ))
        .returning(interviews::id)
        .get_result(conn)?;
    set_competencies(conn, id, &v.competency_ids)?;
    mark_awaiting_feedback(conn, Some(loop_id))?;
    Ok(id)
}

/// Sets `interviews.awaiting_feedback` from the facts it stands for: the loop
/// takes feedback and the interview's feedback is not submitted. For the
/// interviews of one loop, or of every loop (`None`: the data-set generator).
/// The storage functions that change those facts call it (a loop's status in
/// [`super::loops::update`], a new interview, a submission), in the caller's transaction.
pub fn mark_awaiting_feedback(conn: &mut DbConn, loop_id: Option<i64>) -> QueryResult<usize> {
    let taking: Vec<String> = LoopStatus::TAKING_FEEDBACK
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    let set = format!(
        "UPDATE interviews SET awaiting_feedback = (\
           (SELECT l.status FROM interview_loops l WHERE l.id = interviews.loop_id) IN ({}) \
           AND NOT EXISTS (SELECT 1 FROM feedback f \
             WHERE f.interview_id = interviews.id AND f.status = '{}'))",
        taking.join(", "),
        super::feedback::SUBMITTED,
    );
    match loop_id {
        Some(id) => diesel::sql_query(format!("{set} WHERE loop_id = {}", first_param(conn)))
            .bind::<BigInt, _>(id)
            .execute(conn),
        None => diesel::sql_query(set).execute(conn),
    }
}

pub fn update_interview(
    conn: &mut DbConn,
    id: i64,
    v: &InterviewValues,
    sequence: i64,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(interviews::table.find(id))
        .set((
            interviews::starts_at.eq(v.starts_at),
            interviews::ends_at.eq(v.ends_at),
            interviews::feedback_due_at.eq(v.feedback_due_at),
            interviews::sequence.eq(sequence),
            interviews::updated_at.eq(at),
        ))
        .execute(conn)?;
    set_competencies(conn, id, &v.competency_ids)
}

pub fn delete_interview(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(interviews::table.find(id)).execute(conn)?;
    Ok(())
}

/// When a reminder about the interview last went out (by hand or by the job).
pub fn last_reminded_at(conn: &mut DbConn, id: i64) -> QueryResult<Option<NaiveDateTime>> {
    interviews::table
        .find(id)
        .select(interviews::last_reminded_at)
        .first(conn)
}

/// Records a reminder sent by hand (the job's count of reminders is left).
pub fn set_last_reminded_at(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(interviews::table.find(id))
        .set(interviews::last_reminded_at.eq(Some(at)))
        .execute(conn)?;
    Ok(())
}
