//! One's own interviews (`GET /me/interviews`, the home page): upcoming,
//! feedback due and done, soonest first, a page at a time.

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::auth::Caller;
use crate::db::feedback::{self as rows, MineFilter, MyInterviewRow};
use crate::db::{Db, DbConn};
use crate::domain::LoopStatus;
use crate::domain::feedback::FeedbackStatus;
use crate::error::ServiceError;

/// One of the actor's interviews, for their own list.
#[derive(Debug, Clone)]
pub struct MyInterview {
    pub row: MyInterviewRow,
    pub candidate_name: String,
    pub role_title: String,
    pub feedback_status: FeedbackStatus,
    /// Started, due, and not submitted.
    pub overdue: bool,
}

/// `upcoming`, `feedback_due` or `done`.
pub fn parse_mine_filter(
    raw: Option<&str>,
) -> Result<Option<MineFilter>, crate::domain::DomainError> {
    match raw {
        None => Ok(None),
        Some("upcoming") => Ok(Some(MineFilter::Upcoming)),
        Some("feedback_due") => Ok(Some(MineFilter::FeedbackDue)),
        Some("done") => Ok(Some(MineFilter::Done)),
        Some(_) => Err(crate::domain::DomainError::invalid(
            "status",
            "must be upcoming, feedback_due or done",
        )),
    }
}

/// Where a page of one's interviews starts: after the interview that starts
/// at this time with this id. Opaque to clients: `<microseconds>.<id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MineCursor {
    pub starts_at: NaiveDateTime,
    pub id: i64,
}

impl MineCursor {
    pub fn parse(raw: Option<&str>) -> Result<Option<Self>, crate::domain::DomainError> {
        let Some(raw) = raw.filter(|r| !r.is_empty()) else {
            return Ok(None);
        };
        let invalid =
            || crate::domain::DomainError::invalid("cursor", "is not a cursor this service issued");
        let (micros, id) = raw.split_once('.').ok_or_else(invalid)?;
        let micros: i64 = micros.parse().map_err(|_| invalid())?;
        let id: i64 = id.parse().map_err(|_| invalid())?;
        let starts_at = DateTime::<Utc>::from_timestamp_micros(micros)
            .ok_or_else(invalid)?
            .naive_utc();
        Ok(Some(Self { starts_at, id }))
    }

    pub fn encode(&self) -> String {
        format!(
            "{}.{}",
            self.starts_at.and_utc().timestamp_micros(),
            self.id
        )
    }
}

/// A page of one's interviews and the cursor of the next page.
#[derive(Debug, Clone)]
pub struct MyInterviews {
    pub items: Vec<MyInterview>,
    pub next: Option<MineCursor>,
}

/// The actor's interviews (in loops that were scheduled), soonest first,
/// paged by seeking on `(starts_at, id)`.
pub async fn my_interviews(
    db: &Db,
    caller: Caller,
    filter: Option<MineFilter>,
    limit: i64,
    after: Option<MineCursor>,
    at: DateTime<Utc>,
) -> Result<MyInterviews, ServiceError> {
    caller
        .run(db, move |c, me| {
            my_interviews_in(c, me.id, filter, limit, after, at)
        })
        .await
}

/// [`my_interviews`] of the person `me`, on `c`.
pub fn my_interviews_in(
    c: &mut DbConn,
    me: i64,
    filter: Option<MineFilter>,
    limit: i64,
    after: Option<MineCursor>,
    at: DateTime<Utc>,
) -> Result<MyInterviews, ServiceError> {
    let at = at.naive_utc();
    let after = after.map(|c| (c.starts_at, c.id));
    let mut rows = rows::mine(c, me, filter, at, after, limit + 1)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = rows.last().filter(|_| more).map(|r| MineCursor {
        starts_at: r.starts_at,
        id: r.interview_id,
    });
    let items = rows.into_iter().map(|row| my_interview(row, at)).collect();
    Ok(MyInterviews { items, next })
}

fn my_interview(row: MyInterviewRow, at: NaiveDateTime) -> MyInterview {
    let feedback_status = FeedbackStatus::of(row.feedback_status.as_deref());
    let open = LoopStatus::TAKING_FEEDBACK
        .iter()
        .any(|s| s.as_str() == row.loop_status);
    MyInterview {
        candidate_name: row.candidate_name.clone(),
        role_title: row.role_title.clone(),
        overdue: open && feedback_status != FeedbackStatus::Submitted && row.feedback_due_at < at,
        feedback_status,
        row,
    }
}

/// The home page's interviews of the person `me` at `at`: the first
/// `limit` whose feedback is due and the first `limit` coming up, each
/// soonest first, in one statement.
pub fn agenda_interviews_in(
    c: &mut DbConn,
    me: i64,
    limit: i64,
    at: DateTime<Utc>,
) -> Result<AgendaInterviews, ServiceError> {
    let at = at.naive_utc();
    let mut out = AgendaInterviews::default();
    for (due, row) in rows::agenda_interviews(c, me, at, limit)? {
        let part = if due {
            &mut out.feedback_due
        } else {
            &mut out.upcoming
        };
        part.push(my_interview(row, at));
    }
    Ok(out)
}

/// One's interviews as the home page shows them.
#[derive(Debug, Default)]
pub struct AgendaInterviews {
    /// Started, feedback not submitted, the loop still takes feedback.
    pub feedback_due: Vec<MyInterview>,
    /// Not started yet, in a loop that is going ahead.
    pub upcoming: Vec<MyInterview>,
}
