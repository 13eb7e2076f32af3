//! The loops list as people work from it: sorted by any column, filtered by
//! status, requisition and "needs me", and for each loop what a glance should
//! tell — the feedback in (`3/4`), the next interview or how late the feedback
//! is, whether the debrief can begin, and why a loop is red. A page is four
//! queries whatever its length: the ordered ids, the loops (their reports
//! kept with them), their panels, and the candidates' names with the roles'
//! titles.

use chrono::{NaiveDateTime, TimeDelta};

use super::read::{LoopRead, read_many};
use crate::db::loop_board::{self, BoardQuery, SortKey};
use crate::db::loops::InterviewLoop;
use crate::db::users::User;
use crate::db::{Db, DbConn, loops, requisitions};
use crate::domain::feedback::FeedbackStatus;
use crate::domain::independence::rule_title;
use crate::domain::{CandidateId, LoopStatus, RequisitionId};
use crate::error::ServiceError;

/// A loop as a line of a list.
#[derive(Debug, Clone)]
pub struct LoopLine {
    pub lp: InterviewLoop,
    pub candidate_name: String,
    pub role_title: String,
}

/// Lines for `loops`: one query for their candidates' names and roles'
/// titles, none when there are no loops.
pub fn lines(conn: &mut DbConn, loops: Vec<InterviewLoop>) -> Result<Vec<LoopLine>, ServiceError> {
    if loops.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = loops.iter().map(|l| l.id).collect();
    let mut headings = loops::headings(conn, &ids)?;
    Ok(loops
        .into_iter()
        .map(|lp| {
            let (candidate_name, role_title) = headings.remove(&lp.id).unwrap_or_default();
            LoopLine {
                candidate_name,
                role_title,
                lp,
            }
        })
        .collect())
}

/// What the list is asked for.
#[derive(Debug, Clone, Default)]
pub struct BoardFilter {
    pub status: Option<LoopStatus>,
    pub requisition_id: Option<RequisitionId>,
    pub candidate_id: Option<CandidateId>,
    pub needs_me: bool,
    pub sort: SortKey,
    pub descending: bool,
    /// Where the previous page ended: its last row's sort key and id.
    pub after: Option<(String, i64)>,
}

/// A cursor as a link carries it: `{id}:{sort key}`.
pub fn parse_cursor(raw: &str) -> Option<(String, i64)> {
    let (id, key) = raw.split_once(':')?;
    Some((key.to_owned(), id.parse().ok().filter(|i| *i > 0)?))
}

/// One loop of the list.
#[derive(Debug)]
pub struct BoardLine {
    pub line: LoopLine,
    pub read: LoopRead,
    /// Submitted feedback, and interviews.
    pub submitted: usize,
    pub interviews: usize,
    /// The next interview to be held, if any.
    pub next_interview: Option<NaiveDateTime>,
    /// How late the latest-overdue feedback is (feedback still awaited past
    /// its interview's end plus the loop's window).
    pub feedback_late_by: Option<TimeDelta>,
    /// Scheduled with every interview's feedback in: the debrief can open.
    pub ready_for_debrief: bool,
    /// Why the loop is red: the failing rules, when it is.
    pub red_because: Vec<&'static str>,
}

/// What a loop's line says, from its panel, at `now`.
pub fn describe(line: LoopLine, read: LoopRead, now: NaiveDateTime) -> BoardLine {
    let interviews = read.panel.len();
    let submitted = read
        .panel
        .iter()
        .filter(|e| e.feedback() == FeedbackStatus::Submitted)
        .count();
    let next_interview = read
        .panel
        .iter()
        .map(|e| e.interview.starts_at)
        .filter(|s| *s > now)
        .min();
    let window = TimeDelta::hours(read.lp.feedback_window_hours);
    let feedback_late_by = if LoopStatus::TAKING_FEEDBACK.contains(&read.lp.status) {
        read.panel
            .iter()
            .filter(|e| e.feedback() != FeedbackStatus::Submitted)
            .map(|e| now - (e.interview.ends_at + window))
            .filter(|late| *late > TimeDelta::zero())
            .max()
    } else {
        None
    };
    let ready_for_debrief =
        read.lp.status == LoopStatus::Scheduled && interviews > 0 && submitted == interviews;
    let open = LoopStatus::OPEN.contains(&read.lp.status);
    let red_because = if open && (!read.report.ok || read.lp.flagged_at.is_some()) {
        read.report.failing().map(|c| rule_title(c.rule)).collect()
    } else {
        Vec::new()
    };
    BoardLine {
        line,
        read,
        submitted,
        interviews,
        next_interview,
        feedback_late_by,
        ready_for_debrief,
        red_because,
    }
}

/// A page of the list.
#[derive(Debug)]
pub struct Board {
    pub lines: Vec<BoardLine>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}

/// The loops list's page: a page of loops, and the requisitions it may be
/// filtered by.
#[derive(Debug)]
pub struct LoopsList {
    pub board: Board,
    /// The requisitions the person may filter by (their own; all for an
    /// admin; none for those who do not recruit).
    pub requisitions: Vec<(i64, String)>,
}

/// The loops list: the page of `filter` as `actor` may see it (admins:
/// every loop), with the requisitions to filter by.
pub async fn board(
    db: &Db,
    actor: &User,
    filter: BoardFilter,
    limit: i64,
    now: NaiveDateTime,
) -> Result<LoopsList, ServiceError> {
    let actor = actor.clone();
    db.run(move |c| {
        Ok(LoopsList {
            board: board_in(c, &actor, &filter, limit, now)?,
            requisitions: requisition_choices(c, &actor)?,
        })
    })
    .await
}

/// The requisitions `actor` may filter the list by, by title.
fn requisition_choices(c: &mut DbConn, actor: &User) -> Result<Vec<(i64, String)>, ServiceError> {
    if !actor.role.recruits() {
        return Ok(Vec::new());
    }
    let only = (!actor.is_admin()).then_some(actor.id);
    let mut all: Vec<(i64, String)> = requisitions::list(c, only, None, 500)?
        .into_iter()
        .map(|r| (r.id, r.title))
        .collect();
    all.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Ok(all)
}

/// A page of the loops `actor` may see, as `filter` asks, on a connection
/// (the loops list, a requisition's page, a candidate's page).
pub fn board_in(
    c: &mut DbConn,
    actor: &User,
    filter: &BoardFilter,
    limit: i64,
    now: NaiveDateTime,
) -> Result<Board, ServiceError> {
    let query = BoardQuery {
        user_id: actor.id,
        all: actor.is_admin(),
        status: filter.status,
        requisition_id: filter.requisition_id.map(RequisitionId::get),
        candidate_id: filter.candidate_id.map(CandidateId::get),
        needs_me: filter.needs_me,
        sort: filter.sort,
        descending: filter.descending,
        after: filter.after.clone(),
        limit: limit + 1,
        now,
    };
    let mut ordered = loop_board::ordered(c, &query)?;
    let more = ordered.len() as i64 > limit;
    ordered.truncate(limit as usize);
    let ids: Vec<i64> = ordered.iter().map(|o| o.id).collect();
    let mut rows = loops::find_many(c, &ids)?;
    rows.sort_by_key(|lp| ids.iter().position(|i| *i == lp.id));
    let reads = read_many(c, rows.clone())?;
    let lines = lines(c, rows)?;
    let next = more
        .then(|| ordered.last().map(|o| format!("{}:{}", o.id, o.sort_key)))
        .flatten();
    Ok(Board {
        lines: lines
            .into_iter()
            .zip(reads)
            .map(|(line, read)| describe(line, read, now))
            .collect(),
        next,
    })
}
