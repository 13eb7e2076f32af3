//! What a person has to do now: the home page's agenda. Interviews whose
//! feedback is due (overdue first) and those coming up; debriefs to lead;
//! decisions awaiting them; and for recruiters their open loops, flagged ones
//! on top. A fixed number of queries, whatever the number of loops.

use chrono::{DateTime, Utc};

use crate::db::feedback::MineFilter;
pub use crate::db::loops::AgendaLoop;
use crate::db::loops::{self, AgendaPart};
use crate::db::users::User;
use crate::db::{Db, DbConn};
use crate::domain::LoopStatus;
use crate::error::ServiceError;
use crate::services::feedback::{self, MyInterview};

/// How many items each part of the agenda shows.
pub const PART_LIMIT: i64 = 50;

#[derive(Debug, Clone, Default)]
pub struct Agenda {
    /// Feedback not yet submitted for interviews that have started, overdue first.
    pub feedback_due: Vec<MyInterview>,
    pub upcoming: Vec<MyInterview>,
    /// Loops whose debrief the person leads (scheduled or in debrief).
    pub to_lead: Vec<AgendaLoop>,
    /// Loops awaiting the person's decision.
    pub to_decide: Vec<AgendaLoop>,
    /// A recruiter's (or admin's) own open loops, flagged first, then by status.
    pub recruiting: Vec<AgendaLoop>,
}

fn status_rank(s: LoopStatus) -> u8 {
    match s {
        LoopStatus::Draft => 0,
        LoopStatus::Scheduled => 1,
        LoopStatus::InDebrief => 2,
        LoopStatus::AwaitingDecision => 3,
        LoopStatus::Decided => 4,
        LoopStatus::Cancelled => 5,
    }
}

/// The agenda of the caller behind a request at `now`, with their account
/// (checked fresh), in one trip through the blocking pool.
pub async fn agenda_with_user(
    db: &Db,
    caller: crate::auth::Caller,
    now: DateTime<Utc>,
) -> Result<(User, Agenda), ServiceError> {
    caller
        .run(db, move |c, actor| {
            Ok((actor.clone(), agenda_in(c, actor, now)?))
        })
        .await
}

/// [`agenda`] on `conn`: a fixed number of queries whatever how many
/// interviews and loops the person has (each part is limited).
pub fn agenda_in(c: &mut DbConn, actor: &User, now: DateTime<Utc>) -> Result<Agenda, ServiceError> {
    let mut feedback_due = feedback::my_interviews_in(
        c,
        actor.id,
        Some(MineFilter::FeedbackDue),
        PART_LIMIT,
        None,
        now,
    )?
    .items;
    // Overdue first, the longest overdue on top; then by when feedback is due.
    feedback_due.sort_by_key(|i| (!i.overdue, i.row.feedback_due_at));
    let upcoming = feedback::my_interviews_in(
        c,
        actor.id,
        Some(MineFilter::Upcoming),
        PART_LIMIT,
        None,
        now,
    )?
    .items;
    let to_lead = loops::agenda_loops(c, actor.id, AgendaPart::Leading, PART_LIMIT)?;
    let to_decide = loops::agenda_loops(c, actor.id, AgendaPart::Deciding, PART_LIMIT)?;
    let mut recruiting = if actor.role.recruits() {
        loops::agenda_loops(c, actor.id, AgendaPart::Recruiting, PART_LIMIT)?
    } else {
        Vec::new()
    };
    recruiting.sort_by_key(|l| (l.flagged_at.is_none(), status_rank(l.status), l.id));
    Ok(Agenda {
        feedback_due,
        upcoming,
        to_lead,
        to_decide,
        recruiting,
    })
}
