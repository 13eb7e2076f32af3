//! What a person has to do now: the home page's agenda. Interviews whose
//! feedback is due (overdue first) and those coming up; debriefs to lead;
//! decisions awaiting them; and for recruiters their open loops, flagged ones
//! on top. A fixed number of queries, whatever the number of loops.

use chrono::{DateTime, Utc};

pub use crate::db::loops::AgendaLoop;
use crate::db::loops::{self, AgendaPart};
use crate::db::users::User;
use crate::db::{Db, DbConn};
use crate::domain::LoopStatus;
use crate::error::ServiceError;
use crate::services::feedback::{self, MyInterview};

/// How many items each part of the agenda shows: what to do now, not every
/// loop (the loops list has them all, sorted and filtered).
pub const PART_LIMIT: usize = 10;

#[derive(Debug, Clone, Default)]
pub struct Agenda {
    /// Feedback not yet submitted for interviews that have started, overdue first.
    pub feedback_due: Part<MyInterview>,
    pub upcoming: Part<MyInterview>,
    /// Loops whose debrief the person leads (scheduled or in debrief).
    pub to_lead: Part<AgendaLoop>,
    /// Loops awaiting the person's decision.
    pub to_decide: Part<AgendaLoop>,
    /// A recruiter's (or admin's) own open loops, flagged first, then by status.
    pub recruiting: Part<AgendaLoop>,
}

/// One part of the agenda: its first [`PART_LIMIT`] items, and whether more
/// follow them.
#[derive(Debug, Clone)]
pub struct Part<T> {
    pub items: Vec<T>,
    pub more: bool,
}

impl<T> Default for Part<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            more: false,
        }
    }
}

impl<T> Part<T> {
    /// The part from up to `PART_LIMIT + 1` items read (the one more says
    /// whether more follow).
    fn of(mut items: Vec<T>) -> Self {
        let more = items.len() > PART_LIMIT;
        items.truncate(PART_LIMIT);
        Self { items, more }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// What a part reads: one item more than it shows.
const READ_LIMIT: i64 = PART_LIMIT as i64 + 1;

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

/// The agenda of `actor` at `now`, on `conn`: a fixed number of queries whatever how many
/// interviews and loops the person has (each part is limited).
pub fn agenda_in(c: &mut DbConn, actor: &User, now: DateTime<Utc>) -> Result<Agenda, ServiceError> {
    let mine = feedback::agenda_interviews_in(c, actor.id, READ_LIMIT, now)?;
    let mut feedback_due = Part::of(mine.feedback_due);
    let (mut to_lead, mut to_decide, mut recruiting) = (Vec::new(), Vec::new(), Vec::new());
    for (part, line) in loops::agenda_loops(c, actor.id, READ_LIMIT)? {
        match part {
            AgendaPart::Leading => to_lead.push(line),
            AgendaPart::Deciding => to_decide.push(line),
            // Only a recruiter (or an admin) is shown their loops as recruiter.
            AgendaPart::Recruiting if actor.role.recruits() => recruiting.push(line),
            AgendaPart::Recruiting => {}
        }
    }
    let mut recruiting = Part::of(recruiting);
    recruiting
        .items
        .sort_by_key(|l| (l.flagged_at.is_none(), status_rank(l.status), l.id));
    // Overdue first, the longest overdue on top; then by when feedback is due.
    feedback_due
        .items
        .sort_by_key(|i| (!i.overdue, i.row.feedback_due_at));
    Ok(Agenda {
        feedback_due,
        upcoming: Part::of(mine.upcoming),
        to_lead: Part::of(to_lead),
        to_decide: Part::of(to_decide),
        recruiting,
    })
}
