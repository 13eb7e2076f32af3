//! `feedback` and `feedback_ratings`; the reminder columns of `interviews`.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{
    candidates, feedback, feedback_ratings, interview_loops, interviews, requisitions,
};

pub const DRAFT: &str = "draft";
pub const SUBMITTED: &str = "submitted";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = feedback, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct FeedbackRow {
    pub id: i64,
    pub interview_id: i64,
    pub vote: Option<String>,
    pub summary: Option<String>,
    pub status: String,
    #[diesel(deserialize_as = super::stamp::OptStamp)]
    pub submitted_at: Option<NaiveDateTime>,
    pub timing: Option<String>,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = feedback_ratings, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct RatingRow {
    pub feedback_id: i64,
    pub competency_id: i64,
    pub rating: Option<i64>,
    pub evidence: String,
}

/// Feedback with its ratings (sorted by competency id).
#[derive(Debug, Clone)]
pub struct Stored {
    pub row: FeedbackRow,
    pub ratings: Vec<RatingRow>,
}

/// The feedback of `interview_id` with its ratings, in one statement (a row
/// per rating).
pub fn find_by_interview(conn: &mut DbConn, interview_id: i64) -> QueryResult<Option<Stored>> {
    let rows: Vec<(FeedbackRow, Option<RatingRow>)> = feedback::table
        .left_join(feedback_ratings::table)
        .filter(feedback::interview_id.eq(interview_id))
        .select((FeedbackRow::as_select(), Option::<RatingRow>::as_select()))
        .order(feedback_ratings::competency_id.asc())
        .load(conn)?;
    Ok(grouped(rows).pop())
}

/// Feedback rows each joined with one of their ratings (or none), a
/// feedback's rows together and in competency order: each feedback once,
/// with its ratings.
pub(super) fn grouped(rows: Vec<(FeedbackRow, Option<RatingRow>)>) -> Vec<Stored> {
    let mut out: Vec<Stored> = Vec::new();
    for (row, rating) in rows {
        match out.last_mut() {
            Some(last) if last.row.id == row.id => last.ratings.extend(rating),
            _ => out.push(Stored {
                row,
                ratings: rating.into_iter().collect(),
            }),
        }
    }
    out
}

/// What a draft save writes.
#[derive(Debug, Clone)]
pub struct DraftValues<'a> {
    pub vote: Option<&'a str>,
    pub summary: Option<&'a str>,
    /// `(competency_id, rating, evidence)`
    pub ratings: Vec<(i64, Option<i64>, &'a str)>,
}

/// Locks the interview's loop and then the interview until the transaction
/// ends (PostgreSQL; the order loop changes take them in), so the saves and the
/// submission of one interview's feedback happen one at a time and see the
/// loop's current status. SQLite needs nothing: `Db::write` admits one writer.
pub fn lock_for_feedback(conn: &mut DbConn, interview_id: i64) -> QueryResult<()> {
    if let DbConn::Pg(pg) = conn {
        // One statement: `FOR UPDATE` locks the row of each table in the
        // order they are named, the loop's and then the interview's.
        interview_loops::table
            .inner_join(interviews::table)
            .filter(interviews::id.eq(interview_id))
            .select(interview_loops::id)
            .for_update()
            .execute(pg)?;
    }
    Ok(())
}

/// Writes the draft of `interview_id` (creating it on the first save):
/// the vote, summary and ratings are replaced by `values` as a whole.
pub fn save_draft(
    conn: &mut DbConn,
    interview_id: i64,
    values: &DraftValues<'_>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let existing: Option<i64> = feedback::table
        .filter(feedback::interview_id.eq(interview_id))
        .select(feedback::id)
        .first(conn)
        .optional()?;
    let id = match existing {
        Some(id) => {
            diesel::update(feedback::table.find(id))
                .set((
                    feedback::vote.eq(values.vote),
                    feedback::summary.eq(values.summary),
                    feedback::updated_at.eq(at),
                ))
                .execute(conn)?;
            diesel::delete(feedback_ratings::table.filter(feedback_ratings::feedback_id.eq(id)))
                .execute(conn)?;
            id
        }
        None => diesel::insert_into(feedback::table)
            .values((
                feedback::interview_id.eq(interview_id),
                feedback::vote.eq(values.vote),
                feedback::summary.eq(values.summary),
                feedback::status.eq(DRAFT),
                feedback::created_at.eq(at),
                feedback::updated_at.eq(at),
            ))
            .returning(feedback::id)
            .get_result(conn)?,
    };
    for (competency_id, rating, evidence) in &values.ratings {
        diesel::insert_into(feedback_ratings::table)
            .values((
                feedback_ratings::feedback_id.eq(id),
                feedback_ratings::competency_id.eq(competency_id),
                feedback_ratings::rating.eq(rating),
                feedback_ratings::evidence.eq(evidence),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Marks a draft submitted. Returns `false` when it was not a draft any more.
pub fn submit(
    conn: &mut DbConn,
    feedback_id: i64,
    at: NaiveDateTime,
    timing: &str,
) -> QueryResult<bool> {
    let n = diesel::update(
        feedback::table
            .find(feedback_id)
            .filter(feedback::status.eq(DRAFT)),
    )
    .set((
        feedback::status.eq(SUBMITTED),
        feedback::submitted_at.eq(Some(at)),
        feedback::timing.eq(Some(timing)),
        feedback::updated_at.eq(at),
    ))
    .execute(conn)?;
    // Its interview's feedback is no longer awaited (see `loops::mark_awaiting_feedback`).
    diesel::update(
        interviews::table.filter(
            interviews::id.eq_any(
                feedback::table
                    .find(feedback_id)
                    .select(feedback::interview_id),
            ),
        ),
    )
    .set(interviews::awaiting_feedback.eq(false))
    .execute(conn)?;
    Ok(n == 1)
}

/// The feedback status (`draft` or `submitted`) of each interview that has feedback.
pub fn statuses(conn: &mut DbConn, interview_ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = feedback::table
        .filter(super::any_of::any_of(feedback::interview_id, interview_ids))
        .select((feedback::interview_id, feedback::status))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// The submitted feedback of a loop, in interview order, with its ratings,
/// in one statement: a row per rating (or one for feedback without any).
pub fn submitted_for_loop(conn: &mut DbConn, loop_id: i64) -> QueryResult<Vec<Stored>> {
    // The debrief room's and the packet's read: on the backend's own connection.
    let rows: Vec<(FeedbackRow, Option<RatingRow>)> = super::native!(conn, |c| feedback::table
        .inner_join(interviews::table)
        .left_join(feedback_ratings::table)
        .filter(interviews::loop_id.eq(loop_id))
        .filter(feedback::status.eq(SUBMITTED))
        .select((FeedbackRow::as_select(), Option::<RatingRow>::as_select(),))
        .order((interviews::id.asc(), feedback_ratings::competency_id.asc()))
        .load(c))?;
    Ok(grouped(rows))
}

/// One of the caller's interviews, for `GET /me/interviews`.
#[derive(Debug, Clone, Queryable)]
pub struct MyInterviewRow {
    pub interview_id: i64,
    pub loop_id: i64,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub starts_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub ends_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub feedback_due_at: NaiveDateTime,
    pub loop_status: String,
    pub candidate_id: i64,
    pub requisition_id: i64,
    pub feedback_status: Option<String>,
    pub candidate_name: String,
    pub role_title: String,
}

/// Interviews joined with their loop, its candidate and requisition, and
/// their feedback: where a [`MyInterviewRow`] is read from.
macro_rules! my_interview_lines {
    () => {
        interviews::table
            .inner_join(
                interview_loops::table
                    .inner_join(candidates::table)
                    .inner_join(requisitions::table),
            )
            .left_join(feedback::table)
    };
}

/// The columns of a [`MyInterviewRow`], from [`my_interview_lines!`].
macro_rules! my_interview_columns {
    () => {
        (
            interviews::id,
            interviews::loop_id,
            interviews::starts_at,
            interviews::ends_at,
            interviews::feedback_due_at,
            interview_loops::status,
            interview_loops::candidate_id,
            interview_loops::requisition_id,
            feedback::status.nullable(),
            candidates::name,
            requisitions::title,
        )
    };
}

/// Which of one's interviews to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MineFilter {
    /// Not started yet, in a loop that is still going ahead.
    Upcoming,
    /// Started, feedback not submitted, and the loop still takes feedback.
    FeedbackDue,
    /// Feedback submitted, or the loop is over.
    Done,
}

/// The interviews of `user_id` in loops that were scheduled (drafts are not
/// announced yet), soonest first, after `after` (the `(starts_at, id)` of
/// the last row of the previous page): seek pagination on the index
/// `(interviewer_id, starts_at, id)`, never an OFFSET scan.
pub fn mine(
    conn: &mut DbConn,
    user_id: i64,
    filter: Option<MineFilter>,
    now: NaiveDateTime,
    after: Option<(NaiveDateTime, i64)>,
    limit: i64,
) -> QueryResult<Vec<MyInterviewRow>> {
    use super::statuses::{FeedbackOver, TakingFeedback};
    // The home page's and `/me/interviews`' read: on the backend's own
    // connection (the boxed statement's SQL is written once, not three times).
    super::native!(conn, |c| {
        // The candidate's name and the role's title come joined: no lookups of
        // their own.
        let mut query = my_interview_lines!()
            .filter(interviews::interviewer_id.eq(user_id))
            .filter(interview_loops::status.ne("draft"))
            .select(my_interview_columns!())
            .into_boxed();
        // The statuses as literals (see `db::statuses`), one statement for
        // both backends.
        let status = interview_loops::status;
        query = match filter {
            None => query,
            Some(MineFilter::Upcoming) => query
                .filter(interviews::starts_at.gt(now))
                .filter(TakingFeedback::new(status)),
            // Read through the index on (interviewer, mark, start): not every
            // past interview of the person.
            Some(MineFilter::FeedbackDue) => query
                .filter(interviews::awaiting_feedback.eq(true))
                .filter(interviews::starts_at.le(now)),
            Some(MineFilter::Done) => {
                query.filter(feedback::status.eq(SUBMITTED).or(FeedbackOver::new(status)))
            }
        };
        query = query.order((interviews::starts_at.asc(), interviews::id.asc()));
        if let Some((starts_at, id)) = after {
            query = query.filter(
                interviews::starts_at.gt(starts_at).or(interviews::starts_at
                    .eq(starts_at)
                    .and(interviews::id.gt(id))),
            );
        }
        query.limit(limit).load(c)
    })
}

/// The first `limit` interviews of `user_id` whose feedback is due at `now`
/// (started) and the first `limit` coming up, each soonest first, in one
/// statement: `true` marks the ones due. Both are interviews whose feedback
/// the loop awaits (`interviews.awaiting_feedback`: the loop takes feedback
/// and it is not submitted, which an interview not started yet cannot be),
/// so each part's page of ids comes from the front of the index on
/// (interviewer, mark, start, id); then only those interviews' lines are read.
pub fn agenda_interviews(
    conn: &mut DbConn,
    user_id: i64,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(bool, MyInterviewRow)>> {
    use diesel::sql_types::Bool;
    // The same table again, for each part's page of ids.
    let page = diesel::alias!(interviews as page_interviews);
    let starts_at = page.field(interviews::starts_at);
    macro_rules! lines_where {
        ($due:expr, $when:expr) => {{
            let ids = page
                .filter(page.field(interviews::interviewer_id).eq(user_id))
                .filter(page.field(interviews::awaiting_feedback).eq(true))
                .filter($when)
                .select(page.field(interviews::id))
                .order((starts_at.asc(), page.field(interviews::id).asc()))
                .limit(limit);
            my_interview_lines!()
                .filter(interviews::id.eq_any(ids))
                .select(($due.into_sql::<Bool>(), my_interview_columns!()))
        }};
    }
    let due = lines_where!(true, starts_at.le(now));
    let upcoming = lines_where!(false, starts_at.gt(now));
    let query = due.union_all(upcoming);
    // The home page's read: on the backend's own connection.
    let mut rows: Vec<(bool, MyInterviewRow)> = super::native!(conn, |c| query.load(c))?;
    rows.sort_by_key(|(due, r)| (!*due, r.starts_at, r.interview_id));
    Ok(rows)
}

/// An interview whose feedback is overdue, with what a reminder needs.
#[derive(Debug, Clone, Queryable)]
pub struct Overdue {
    pub interview_id: i64,
    pub loop_id: i64,
    pub interviewer_id: i64,
    pub recruiter_id: i64,
    pub requisition_id: i64,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub feedback_due_at: NaiveDateTime,
    pub reminders_sent: i64,
}

/// Interviews of scheduled loops whose feedback is overdue at `now`, not
/// submitted, and not reminded since `reminded_before`.
pub fn overdue(
    conn: &mut DbConn,
    now: NaiveDateTime,
    reminded_before: NaiveDateTime,
) -> QueryResult<Vec<Overdue>> {
    interviews::table
        .inner_join(interview_loops::table)
        .left_join(feedback::table)
        .filter(interview_loops::status.eq("scheduled"))
        .filter(interviews::feedback_due_at.lt(now))
        .filter(
            feedback::status
                .is_null()
                .or(feedback::status.ne(SUBMITTED)),
        )
        .filter(
            interviews::last_reminded_at
                .is_null()
                .or(interviews::last_reminded_at.le(reminded_before)),
        )
        .select((
            interviews::id,
            interviews::loop_id,
            interviews::interviewer_id,
            interview_loops::recruiter_id,
            interview_loops::requisition_id,
            interviews::feedback_due_at,
            interviews::reminders_sent,
        ))
        .order(interviews::id.asc())
        .load(conn)
}

/// Claims the next reminder of an interview: only one caller (of any
/// instance) wins for a given `reminders_sent`. Returns whether this one did.
pub fn claim_reminder(
    conn: &mut DbConn,
    interview_id: i64,
    reminders_sent: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        interviews::table
            .find(interview_id)
            .filter(interviews::reminders_sent.eq(reminders_sent)),
    )
    .set((
        interviews::reminders_sent.eq(reminders_sent + 1),
        interviews::last_reminded_at.eq(Some(now)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}
