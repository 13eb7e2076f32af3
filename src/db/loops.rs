//! `interview_loops`: loops, their panels and the queries about open loops
//! (one interview's rows are in `interviews`).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::schema::{
    feedback, interview_competencies, interview_loops, interviews, sessions, users,
};
use super::statuses::{Deciding, Recruiting, TakingFeedback};
use super::users::User;
use super::{DbConn, first_param};
use crate::domain::LoopStatus;
use crate::domain::feedback::FeedbackStatus;

pub use super::interviews::{
    Interview, InterviewValues, delete_interview, find_interview, insert_interview,
    mark_awaiting_feedback, update_interview,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = interview_loops, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct InterviewLoop {
    pub id: i64,
    pub requisition_id: i64,
    pub candidate_id: i64,
    pub hiring_manager_id: i64,
    pub recruiter_id: i64,
    pub bar_raiser_id: i64,
    pub feedback_window_hours: i64,
    #[diesel(deserialize_as = String)]
    pub status: LoopStatus,
    pub independence_ok: bool,
    #[diesel(deserialize_as = super::stamp::OptStamp)]
    pub flagged_at: Option<NaiveDateTime>,
    pub cancel_reason: Option<String>,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
    /// The report as last evaluated, as JSON (see `hiring::independence::store_result`).
    pub independence_report: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = interview_loops)]
pub struct NewInterviewLoop<'a> {
    pub requisition_id: i64,
    pub candidate_id: i64,
    pub hiring_manager_id: i64,
    pub recruiter_id: i64,
    pub bar_raiser_id: i64,
    pub feedback_window_hours: i64,
    pub status: &'a str,
    pub independence_ok: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = interview_loops)]
pub struct LoopChanges {
    pub bar_raiser_id: Option<i64>,
    pub status: Option<String>,
    pub independence_ok: Option<bool>,
    pub flagged_at: Option<Option<NaiveDateTime>>,
    pub cancel_reason: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
    pub independence_report: Option<Option<String>>,
}

/// An interview with the competencies it assesses (sorted by id).
#[derive(Debug, Clone)]
pub struct PanelEntry {
    pub interview: Interview,
    pub competency_ids: Vec<i64>,
    /// The status of the interview's feedback (`draft`, `submitted`), if any.
    pub feedback_status: Option<String>,
}

impl PanelEntry {
    /// Where the interview's feedback stands.
    pub fn feedback(&self) -> FeedbackStatus {
        FeedbackStatus::of(self.feedback_status.as_deref())
    }
}

pub fn insert(conn: &mut DbConn, new: &NewInterviewLoop<'_>) -> QueryResult<i64> {
    diesel::insert_into(interview_loops::table)
        .values(new)
        .returning(interview_loops::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<InterviewLoop>> {
    interview_loops::table
        .find(id)
        .select(InterviewLoop::as_select())
        .first(conn)
        .optional()
}

/// The loops with these ids (in no particular order).
pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<InterviewLoop>> {
    interview_loops::table
        .filter(super::any_of::any_of(interview_loops::id, ids))
        .select(InterviewLoop::as_select())
        .load(conn)
}

/// Up to `limit` loops after `after` (by id) that have no kept report: loops
/// written before reports were kept, or by the data-set generator.
pub fn without_report(
    conn: &mut DbConn,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<InterviewLoop>> {
    interview_loops::table
        .filter(interview_loops::independence_report.is_null())
        .filter(interview_loops::id.gt(after))
        .order(interview_loops::id.asc())
        .limit(limit)
        .select(InterviewLoop::as_select())
        .load(conn)
}

/// Keeps the reports (and results) of loops whose report was never kept, in
/// one statement: `(loop id, ok, report JSON)` travel as one JSON parameter,
/// so a batch of a thousand loops is one round trip on PostgreSQL.
pub fn keep_reports(conn: &mut DbConn, reports: &[(i64, bool, String)]) -> QueryResult<usize> {
    if reports.is_empty() {
        return Ok(0);
    }
    let rows: Vec<serde_json::Value> = reports
        .iter()
        .map(|(id, ok, report)| serde_json::json!({ "id": id, "ok": ok, "report": report }))
        .collect();
    let rows = serde_json::Value::Array(rows).to_string();
    let sql = match conn {
        DbConn::Pg(_) => {
            "UPDATE interview_loops AS l SET independence_ok = v.ok, independence_report = v.report \
             FROM json_to_recordset($1::json) AS v(id BIGINT, ok BOOLEAN, report TEXT) \
             WHERE l.id = v.id"
        }
        DbConn::Sqlite(_) => {
            "UPDATE interview_loops SET independence_ok = v.ok, independence_report = v.report \
             FROM (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.ok') AS ok, \
                          json_extract(value, '$.report') AS report FROM json_each(?1)) AS v \
             WHERE interview_loops.id = v.id"
        }
    };
    diesel::sql_query(sql)
        .bind::<diesel::sql_types::Text, _>(rows)
        .execute(conn)
}

/// Locks the loop's row until the transaction ends (PostgreSQL), so that
/// concurrent changes to one loop, and its event chain, happen one at a time.
/// SQLite needs nothing: `Db::write` already admits one writer.
pub fn lock(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    if let DbConn::Pg(pg) = conn {
        interview_loops::table
            .find(id)
            .select(interview_loops::id)
            .for_update()
            .execute(pg)?;
    }
    Ok(())
}

pub fn update(conn: &mut DbConn, id: i64, changes: &LoopChanges) -> QueryResult<InterviewLoop> {
    diesel::update(interview_loops::table.find(id))
        .set(changes)
        .execute(conn)?;
    if changes.status.is_some() {
        mark_awaiting_feedback(conn, Some(id))?;
    }
    interview_loops::table
        .find(id)
        .select(InterviewLoop::as_select())
        .first(conn)
}

/// The candidate's name and the role's title of many loops in one query, by loop id.
pub fn headings(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, (String, String)>> {
    use super::schema::{candidates, requisitions};
    let rows: Vec<(i64, String, String)> = interview_loops::table
        .inner_join(candidates::table)
        .inner_join(requisitions::table)
        .filter(super::any_of::any_of(interview_loops::id, ids))
        .select((interview_loops::id, candidates::name, requisitions::title))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, title)| (id, (name, title)))
        .collect())
}

/// The names a loop's pages show, read in one fixed statement by the loop's
/// ids (where a list of ids bound into `IN (…)` is prepared afresh on every
/// call on SQLite).
#[derive(Debug, Default, Clone)]
pub struct LoopNames {
    pub candidate: String,
    pub role: String,
    /// Everyone the loop names: its hiring manager, recruiter and bar raiser,
    /// its interviewers, the actors of its trail and whoever recorded its
    /// outcomes.
    pub people: HashMap<i64, String>,
    /// The competencies on its panel.
    pub competencies: HashMap<i64, String>,
}

/// A row of [`names_and_trail`]'s union: a name (its kind, the id and the
/// name, the rest empty) or one event of the trail (every column, its kind
/// in `text`).
#[derive(Queryable)]
struct NameOrEvent {
    kind: i32,
    id: i64,
    seq: Option<i64>,
    actor_id: Option<i64>,
    text: String,
    data: Option<String>,
    prev_hash: Option<String>,
    hash: Option<String>,
    #[diesel(deserialize_as = super::stamp::OptStamp)]
    at: Option<NaiveDateTime>,
}

/// The names a loop's pages show and its audit trail (oldest first), in one
/// statement: on PostgreSQL each statement is a round trip, and the loop page
/// and the debrief room read both.
pub fn names_and_trail(
    conn: &mut DbConn,
    lp: &InterviewLoop,
) -> QueryResult<(LoopNames, Vec<super::events::LoopEvent>)> {
    use super::schema::{candidates, competencies, loop_events, outcomes, requisitions, users};
    use diesel::sql_types::{Integer, Nullable, Text, Timestamp};
    const PERSON: i32 = 0;
    const COMPETENCY: i32 = 1;
    const CANDIDATE: i32 = 2;
    const ROLE: i32 = 3;
    const EVENT: i32 = 4;
    let no_id = || None::<i64>.into_sql::<Nullable<BigInt>>();
    let no_text = || None::<String>.into_sql::<Nullable<Text>>();
    let no_at = || None::<NaiveDateTime>.into_sql::<Nullable<Timestamp>>();
    // A name's row: its kind, the id and the name.
    macro_rules! name {
        ($kind:expr, $id:expr, $name:expr) => {
            (
                $kind.into_sql::<Integer>(),
                $id,
                no_id(),
                no_id(),
                $name,
                no_text(),
                no_text(),
                no_text(),
                no_at(),
            )
        };
    }
    let interviewers = interviews::table
        .filter(interviews::loop_id.eq(lp.id))
        .select(interviews::interviewer_id);
    let actors = loop_events::table
        .filter(loop_events::loop_id.eq(lp.id))
        .filter(loop_events::actor_id.is_not_null())
        .select(loop_events::actor_id.assume_not_null());
    let recorders = outcomes::table
        .filter(outcomes::loop_id.eq(lp.id))
        .select(outcomes::recorded_by_id);
    // One list of ids, so that each is found by the primary key (a filter
    // of ORs over subqueries has PostgreSQL scan every account).
    macro_rules! role {
        ($column:expr) => {
            interview_loops::table
                .filter(interview_loops::id.eq(lp.id))
                .select($column)
        };
    }
    let people = interviewers
        .union_all(actors)
        .union_all(recorders)
        .union_all(role!(interview_loops::hiring_manager_id))
        .union_all(role!(interview_loops::recruiter_id))
        .union_all(role!(interview_loops::bar_raiser_id));
    let on_panel = interview_competencies::table
        .inner_join(interviews::table)
        .filter(interviews::loop_id.eq(lp.id))
        .select(interview_competencies::competency_id);
    // A top-level UNION does not pass through the two-backend connection:
    // the statement runs on each backend's own.
    let query = users::table
        .filter(users::id.eq_any(people))
        .select(name!(PERSON, users::id, users::name))
        .union_all(
            competencies::table
                .filter(competencies::id.eq_any(on_panel))
                .select(name!(COMPETENCY, competencies::id, competencies::name)),
        )
        .union_all(
            candidates::table
                .filter(candidates::id.eq(lp.candidate_id))
                .select(name!(CANDIDATE, candidates::id, candidates::name)),
        )
        .union_all(
            requisitions::table
                .filter(requisitions::id.eq(lp.requisition_id))
                .select(name!(ROLE, requisitions::id, requisitions::title)),
        )
        .union_all(
            loop_events::table
                .filter(loop_events::loop_id.eq(lp.id))
                .select((
                    EVENT.into_sql::<Integer>(),
                    loop_events::id,
                    loop_events::seq.nullable(),
                    loop_events::actor_id,
                    loop_events::kind,
                    loop_events::data.nullable(),
                    loop_events::prev_hash.nullable(),
                    loop_events::hash.nullable(),
                    loop_events::at.nullable(),
                )),
        );
    let rows: Vec<NameOrEvent> = super::native!(conn, |c| query.load(c))?;
    let mut names = LoopNames::default();
    let mut trail = Vec::new();
    for row in rows {
        match row.kind {
            PERSON => {
                names.people.insert(row.id, row.text);
            }
            COMPETENCY => {
                names.competencies.insert(row.id, row.text);
            }
            CANDIDATE => names.candidate = row.text,
            ROLE => names.role = row.text,
            _ => trail.push(super::events::LoopEvent {
                id: row.id,
                loop_id: lp.id,
                seq: row.seq.unwrap_or_default(),
                actor_id: row.actor_id,
                kind: row.text,
                data: row.data.unwrap_or_default(),
                at: row.at.unwrap_or_default(),
                prev_hash: row.prev_hash.unwrap_or_default(),
                hash: row.hash.unwrap_or_default(),
            }),
        }
    }
    trail.sort_unstable_by_key(|e| e.seq);
    Ok((names, trail))
}

pub fn panel(conn: &mut DbConn, loop_id: i64) -> QueryResult<Vec<PanelEntry>> {
    Ok(panels(conn, &[loop_id])?
        .remove(&loop_id)
        .unwrap_or_default())
}

/// A loop with its panel, as [`with_panel`] reads it.
pub type LoopWithPanel = (InterviewLoop, Vec<PanelEntry>);

/// What a loop's kept names and trail are checked against, read with the
/// loop (`db::names_cache`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// `names_version.version`.
    pub names_version: i64,
    /// The last sequence number of the loop's trail (0 with no event).
    pub trail_seq: i64,
}

/// A loop with its panel and, when asked for, the [`Stamp`] its kept names
/// are checked against, as [`with_panel_in_session`] reads it.
pub type StampedLoop = (LoopWithPanel, Option<Stamp>);

/// `$loops` (a source that holds `interview_loops`) with each loop's panel
/// joined: its interviews, their competencies and their feedback, a row per
/// interview and competency (one with none for a loop without interviews),
/// in interview order.
macro_rules! with_panel_rows {
    ($loops:expr) => {
        $loops
            .left_join(interviews::table.on(interviews::loop_id.eq(interview_loops::id)))
            .left_join(
                interview_competencies::table
                    .on(interview_competencies::interview_id.eq(interviews::id)),
            )
            .left_join(feedback::table.on(feedback::interview_id.eq(interviews::id)))
            .order((
                interviews::id.asc(),
                interview_competencies::competency_id.asc(),
            ))
    };
}

/// The columns of a panel's row, beside its loop's: an interview, one of its
/// competencies and the status of its feedback.
macro_rules! panel_row_columns {
    () => {
        (
            Option::<Interview>::as_select(),
            interview_competencies::competency_id.nullable(),
            feedback::status.nullable(),
        )
    };
}

/// One row of a panel read: an interview with one of its competencies and
/// its feedback's status, or nothing for a loop without interviews.
type PanelRow = (Option<Interview>, Option<i64>, Option<String>);

/// The panel of a loop from its rows (in interview order).
fn panel_of(rows: impl Iterator<Item = PanelRow>) -> Vec<PanelEntry> {
    let mut panel: Vec<PanelEntry> = Vec::new();
    for (interview, competency_id, feedback_status) in rows {
        if let Some(interview) = interview {
            add_panel_row(&mut panel, interview, competency_id, feedback_status);
        }
    }
    panel
}

/// One loop and its panel in one query (one round trip): the loop's row
/// comes with each of its panel's rows (an interview and one of its
/// competencies), or once with none for a loop without interviews.
pub fn with_panel(conn: &mut DbConn, loop_id: i64) -> QueryResult<Option<LoopWithPanel>> {
    type Row = (InterviewLoop, PanelRow);
    // The read of every loop page and API read: on the backend's own connection.
    let rows: Vec<Row> = super::native!(conn, |c| with_panel_rows!(interview_loops::table)
        .filter(interview_loops::id.eq(loop_id))
        .select((InterviewLoop::as_select(), panel_row_columns!()))
        .load(c))?;
    Ok(loop_with_panel(rows))
}

/// The loop that holds interview `interview_id`, with its panel, in one
/// query: [`with_panel`] for the interview's writes (its feedback).
pub fn with_panel_of_interview(
    conn: &mut DbConn,
    interview_id: i64,
) -> QueryResult<Option<LoopWithPanel>> {
    type Row = (InterviewLoop, PanelRow);
    let rows: Vec<Row> = super::native!(conn, |c| {
        // The interview again, apart from the panel's.
        let held = diesel::alias!(interviews as held);
        let holder = held
            .filter(held.field(interviews::id).eq(interview_id))
            .select(held.field(interviews::loop_id))
            .single_value();
        with_panel_rows!(interview_loops::table)
            .filter(interview_loops::id.nullable().eq(holder))
            .select((InterviewLoop::as_select(), panel_row_columns!()))
            .load(c)
    })?;
    Ok(loop_with_panel(rows))
}

/// A loop and its panel from rows of [`with_panel_rows!`]: none when there
/// are no rows.
fn loop_with_panel(rows: Vec<(InterviewLoop, PanelRow)>) -> Option<LoopWithPanel> {
    let mut rows = rows.into_iter();
    let (lp, first) = rows.next()?;
    let panel = panel_of(std::iter::once(first).chain(rows.map(|(_, row)| row)));
    Some((lp, panel))
}

/// `$sessions` (sessions joined with their users) with loop `$loop_id`
/// left-joined, its panel's rows and `$stamp` selected, for the live session
/// of `$kind` whose key hashes to `$key_hash` (see [`with_panel_in_session`]).
macro_rules! loop_in_session {
    ($key_hash:expr, $kind:expr, $now:expr, $loop_id:expr, $stamp:expr) => {
        with_panel_rows!(
            sessions::table
                .inner_join(users::table)
                .left_join(interview_loops::table.on(interview_loops::id.eq($loop_id)))
        )
        .filter(sessions::key_hash.eq($key_hash))
        .filter(sessions::kind.eq($kind))
        .filter(sessions::expires_at.gt($now))
        .select((
            User::as_select(),
            Option::<InterviewLoop>::as_select(),
            $stamp,
            // Last: a panel's row is not of a fixed width to diesel.
            panel_row_columns!(),
        ))
    };
}

/// The user of the live session of `kind` whose key hashes to `key_hash`,
/// and loop `loop_id` with its panel, in one query: the session's check and
/// a loop read in one round trip (the loop page's, the debrief room's, the
/// API's). `None` when no such session is live; the user alone when there
/// is no such loop. With `stamped` (the pages), the loop comes with the
/// [`Stamp`] its kept names are checked against (two subqueries more, which
/// the API's read does without).
pub fn with_panel_in_session(
    conn: &mut DbConn,
    key_hash: &str,
    kind: &str,
    now: NaiveDateTime,
    loop_id: i64,
    stamped: bool,
) -> QueryResult<Option<(User, Option<StampedLoop>)>> {
    use super::schema::{loop_events, names_version};
    use diesel::sql_types::Nullable;
    type Row = (
        User,
        Option<InterviewLoop>,
        (Option<i64>, Option<i64>),
        PanelRow,
    );
    let rows: Vec<Row> = if stamped {
        super::native!(conn, |c| loop_in_session!(
            key_hash,
            kind,
            now,
            loop_id,
            (
                names_version::table
                    .select(names_version::version)
                    .single_value(),
                loop_events::table
                    .filter(loop_events::loop_id.eq(loop_id))
                    .select(diesel::dsl::max(loop_events::seq))
                    .single_value(),
            )
        )
        .load(c))?
    } else {
        super::native!(conn, |c| loop_in_session!(
            key_hash,
            kind,
            now,
            loop_id,
            (
                None::<i64>.into_sql::<Nullable<BigInt>>(),
                None::<i64>.into_sql::<Nullable<BigInt>>(),
            )
        )
        .load(c))?
    };
    let mut rows = rows.into_iter();
    let Some((user, lp, (names_version, trail_seq), first)) = rows.next() else {
        return Ok(None);
    };
    let found = lp.map(|lp| {
        let panel = panel_of(std::iter::once(first).chain(rows.map(|(_, _, _, row)| row)));
        let stamp = stamped.then(|| Stamp {
            names_version: names_version.unwrap_or_default(),
            trail_seq: trail_seq.unwrap_or_default(),
        });
        ((lp, panel), stamp)
    });
    Ok(Some((user, found)))
}

/// Adds one row of a panel read (an interview with one of its competencies,
/// rows in interview order) to `panel`.
fn add_panel_row(
    panel: &mut Vec<PanelEntry>,
    interview: Interview,
    competency_id: Option<i64>,
    feedback_status: Option<String>,
) {
    match panel.last_mut() {
        Some(last) if last.interview.id == interview.id => {
            last.competency_ids.extend(competency_id);
        }
        _ => panel.push(PanelEntry {
            interview,
            competency_ids: competency_id.into_iter().collect(),
            feedback_status,
        }),
    }
}

/// The panels of many loops in one query, whatever their number and size.
pub fn panels(conn: &mut DbConn, loop_ids: &[i64]) -> QueryResult<HashMap<i64, Vec<PanelEntry>>> {
    // Each interview with its competencies (a row per pair, in interview
    // order) and the status of its feedback; the loops as one list parameter,
    // one statement kept prepared whatever their number (see `db::any_of`).
    let rows: Vec<(Interview, Option<i64>, Option<String>)> = interviews::table
        .left_join(interview_competencies::table)
        .left_join(feedback::table)
        .filter(super::any_of::any_of(interviews::loop_id, loop_ids))
        .select((
            Interview::as_select(),
            interview_competencies::competency_id.nullable(),
            feedback::status.nullable(),
        ))
        .order((
            interviews::id.asc(),
            interview_competencies::competency_id.asc(),
        ))
        .load(conn)?;
    let mut out: HashMap<i64, Vec<PanelEntry>> = HashMap::new();
    for (interview, competency_id, feedback_status) in rows {
        let panel = out.entry(interview.loop_id).or_default();
        add_panel_row(panel, interview, competency_id, feedback_status);
    }
    Ok(out)
}

/// `loops`, in their order, each with its panel (one query).
pub fn with_panels(
    conn: &mut DbConn,
    loops: Vec<InterviewLoop>,
) -> QueryResult<Vec<(InterviewLoop, Vec<PanelEntry>)>> {
    let ids: Vec<i64> = loops.iter().map(|lp| lp.id).collect();
    let mut panels = panels(conn, &ids)?;
    Ok(loops
        .into_iter()
        .map(|lp| {
            let panel = panels.remove(&lp.id).unwrap_or_default();
            (lp, panel)
        })
        .collect())
}

/// The caller's relation to loops, for `GET /loops?role=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Participation {
    Recruiter,
    HiringManager,
    BarRaiser,
    Interviewer,
}

/// A page of the loops `user_id` may see (`all` for admins), newest ids last.
pub fn list_visible(
    conn: &mut DbConn,
    user_id: i64,
    all: bool,
    role: Option<Participation>,
    status: Option<LoopStatus>,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<InterviewLoop>> {
    let interviewing = interviews::table
        .filter(interviews::interviewer_id.eq(user_id))
        .select(interviews::loop_id);
    let mut query = interview_loops::table
        .select(InterviewLoop::as_select())
        .into_boxed();
    query = match role {
        Some(Participation::Recruiter) => query.filter(interview_loops::recruiter_id.eq(user_id)),
        Some(Participation::HiringManager) => {
            query.filter(interview_loops::hiring_manager_id.eq(user_id))
        }
        Some(Participation::BarRaiser) => query.filter(interview_loops::bar_raiser_id.eq(user_id)),
        Some(Participation::Interviewer) => query.filter(interview_loops::id.eq_any(interviewing)),
        None if all => query,
        None => query.filter(
            interview_loops::recruiter_id
                .eq(user_id)
                .or(interview_loops::hiring_manager_id.eq(user_id))
                .or(interview_loops::bar_raiser_id.eq(user_id))
                .or(interview_loops::id.eq_any(interviewing)),
        ),
    };
    if let Some(status) = status {
        query = query.filter(interview_loops::status.eq(status.as_str()));
    }
    if let Some(after) = after {
        query = query.filter(interview_loops::id.gt(after));
    }
    query
        .order(interview_loops::id.asc())
        .limit(limit)
        .load(conn)
}

pub fn is_interviewer(conn: &mut DbConn, loop_id: i64, user_id: i64) -> QueryResult<bool> {
    let n: i64 = interviews::table
        .filter(interviews::loop_id.eq(loop_id))
        .filter(interviews::interviewer_id.eq(user_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The stored names of the statuses of an open loop (not decided or cancelled).
fn open_statuses() -> [&'static str; 4] {
    LoopStatus::OPEN.map(LoopStatus::as_str)
}

/// Open loops whose report may change when `user_id` changes. With
/// `with_reports`, the people below them count too (their management chain
/// changed). Only these loops are re-evaluated.
pub fn open_loops_touching(
    conn: &mut DbConn,
    user_id: i64,
    with_reports: bool,
) -> QueryResult<Vec<i64>> {
    let p = first_param(conn);
    let open = LoopStatus::OPEN
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let people = if with_reports {
        format!(
            "WITH RECURSIVE people(id) AS (SELECT CAST({p} AS BIGINT) \
             UNION SELECT u.id FROM users u JOIN people ON u.manager_id = people.id) "
        )
    } else {
        format!("WITH people(id) AS (SELECT CAST({p} AS BIGINT)) ")
    };
    let sql = format!(
        "{people}SELECT l.id AS id FROM interview_loops l WHERE l.status IN ({open}) AND ( \
           l.hiring_manager_id IN (SELECT id FROM people) OR l.bar_raiser_id IN (SELECT id FROM people) \
           OR l.recruiter_id = {p} OR l.id IN (SELECT loop_id FROM interviews WHERE interviewer_id = {p})) \
         ORDER BY l.id"
    );
    let rows: Vec<Id> = diesel::sql_query(sql)
        .bind::<BigInt, _>(user_id)
        .load(conn)?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// The open loop of `candidate_id` for `requisition_id`, if there is one.
pub fn open_loop_of(
    conn: &mut DbConn,
    candidate_id: i64,
    requisition_id: i64,
) -> QueryResult<Option<i64>> {
    let open = open_statuses();
    interview_loops::table
        .filter(interview_loops::candidate_id.eq(candidate_id))
        .filter(interview_loops::requisition_id.eq(requisition_id))
        .filter(interview_loops::status.eq_any(open))
        .select(interview_loops::id)
        .first(conn)
        .optional()
}

/// The interviews of open loops (other than `except_loop`) that these
/// interviewers hold between `from` and `to`, in one query.
pub fn bookings(
    conn: &mut DbConn,
    interviewer_ids: &[i64],
    from: NaiveDateTime,
    to: NaiveDateTime,
    except_loop: Option<i64>,
) -> QueryResult<Vec<Interview>> {
    let open = open_statuses();
    interviews::table
        .inner_join(interview_loops::table)
        .filter(interviews::interviewer_id.eq_any(interviewer_ids))
        .filter(interview_loops::status.eq_any(open))
        .filter(interviews::starts_at.lt(to))
        .filter(interviews::ends_at.gt(from))
        .filter(interviews::loop_id.ne(except_loop.unwrap_or(0)))
        .select(Interview::as_select())
        .order((interviews::starts_at.asc(), interviews::id.asc()))
        .load(conn)
}

/// The interviews of the candidate's other open loops (other than
/// `except_loop`) between `from` and `to`, in one query.
pub fn candidate_bookings(
    conn: &mut DbConn,
    candidate_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
    except_loop: Option<i64>,
) -> QueryResult<Vec<Interview>> {
    interviews::table
        .inner_join(interview_loops::table)
        .filter(interview_loops::candidate_id.eq(candidate_id))
        .filter(interview_loops::status.eq_any(open_statuses()))
        .filter(interviews::starts_at.lt(to))
        .filter(interviews::ends_at.gt(from))
        .filter(interviews::loop_id.ne(except_loop.unwrap_or(0)))
        .select(Interview::as_select())
        .order((interviews::starts_at.asc(), interviews::id.asc()))
        .load(conn)
}

/// A part of the home page's agenda: the loops a person holds one part in,
/// at the statuses that part shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgendaPart {
    /// Loops whose debrief the person leads as bar raiser: scheduled or in debrief.
    Leading,
    /// Loops awaiting the person's decision as hiring manager.
    Deciding,
    /// A recruiter's open loops.
    Recruiting,
}

/// One line of the agenda: what the home page shows of a loop.
#[derive(Debug, Clone, Queryable)]
pub struct AgendaLoop {
    pub id: i64,
    #[diesel(deserialize_as = String)]
    pub status: LoopStatus,
    pub independence_ok: bool,
    #[diesel(deserialize_as = super::stamp::OptStamp)]
    pub flagged_at: Option<NaiveDateTime>,
    pub candidate_name: String,
    pub role_title: String,
}

impl AgendaPart {
    const ALL: [AgendaPart; 3] = [Self::Leading, Self::Deciding, Self::Recruiting];

    /// The part's tag in [`agenda_loops`]' union.
    fn tag(self) -> i32 {
        self as i32
    }
}

/// The first `limit` loops of each part of the agenda for `user_id`, each
/// part's flagged ones first, then by id, in one statement: a union of the
/// parts. Each part's page of ids comes from the front of its partial
/// index, whatever how many loops the person holds the part in; then only
/// those loops' lines are read.
pub fn agenda_loops(
    conn: &mut DbConn,
    user_id: i64,
    limit: i64,
) -> QueryResult<Vec<(AgendaPart, AgendaLoop)>> {
    use super::schema::{candidates, requisitions};
    use diesel::sql_types::Integer;
    // The same table again, for each part's page of ids.
    let page = diesel::alias!(interview_loops as page_loops);
    let status = page.field(interview_loops::status);
    macro_rules! lines_where {
        ($part:expr, $filter:expr) => {{
            let ids = page
                .filter($filter)
                .select(page.field(interview_loops::id))
                .order((
                    page.field(interview_loops::flagged_at).is_null().asc(),
                    page.field(interview_loops::id).asc(),
                ))
                .limit(limit);
            interview_loops::table
                .inner_join(candidates::table)
                .inner_join(requisitions::table)
                .filter(interview_loops::id.eq_any(ids))
                .select((
                    $part.tag().into_sql::<Integer>(),
                    (
                        interview_loops::id,
                        interview_loops::status,
                        interview_loops::independence_ok,
                        interview_loops::flagged_at,
                        candidates::name,
                        requisitions::title,
                    ),
                ))
        }};
    }
    let leading = lines_where!(
        AgendaPart::Leading,
        page.field(interview_loops::bar_raiser_id)
            .eq(user_id)
            .and(TakingFeedback::new(status))
    );
    let deciding = lines_where!(
        AgendaPart::Deciding,
        page.field(interview_loops::hiring_manager_id)
            .eq(user_id)
            .and(Deciding::new(status))
    );
    let recruiting = lines_where!(
        AgendaPart::Recruiting,
        page.field(interview_loops::recruiter_id)
            .eq(user_id)
            .and(Recruiting::new(status))
    );
    let query = leading.union_all(deciding).union_all(recruiting);
    // The home page's read: on the backend's own connection.
    let rows: Vec<(i32, AgendaLoop)> = super::native!(conn, |c| query.load(c))?;
    let mut lines: Vec<(AgendaPart, AgendaLoop)> = rows
        .into_iter()
        .filter_map(|(tag, line)| {
            let part = AgendaPart::ALL.into_iter().find(|p| p.tag() == tag)?;
            Some((part, line))
        })
        .collect();
    lines.sort_by_key(|(part, l)| (part.tag(), l.flagged_at.is_none(), l.id));
    Ok(lines)
}

/// The open loops whose requisition requires `competency_id`, by id.
pub fn open_loops_requiring(conn: &mut DbConn, competency_id: i64) -> QueryResult<Vec<i64>> {
    use super::schema::requisition_competencies;
    let open = open_statuses();
    interview_loops::table
        .filter(interview_loops::status.eq_any(open))
        .filter(
            interview_loops::requisition_id.eq_any(
                requisition_competencies::table
                    .filter(requisition_competencies::competency_id.eq(competency_id))
                    .select(requisition_competencies::requisition_id),
            ),
        )
        .select(interview_loops::id)
        .order(interview_loops::id.asc())
        .load(conn)
}

/// The open loops of a requisition, by id.
pub fn open_loops_of_requisition(conn: &mut DbConn, requisition_id: i64) -> QueryResult<Vec<i64>> {
    let open = open_statuses();
    interview_loops::table
        .filter(interview_loops::requisition_id.eq(requisition_id))
        .filter(interview_loops::status.eq_any(open))
        .select(interview_loops::id)
        .order(interview_loops::id.asc())
        .load(conn)
}

/// Certified, active bar raisers who do not report to `hiring_manager_id`
/// (directly or through any number of levels), in one recursive query.
pub fn certified_outside_chain_of(
    conn: &mut DbConn,
    hiring_manager_id: i64,
) -> QueryResult<Vec<i64>> {
    let p = first_param(conn);
    let sql = format!(
        "WITH RECURSIVE below(id) AS (SELECT CAST({p} AS BIGINT) \
           UNION SELECT u.id FROM users u JOIN below ON u.manager_id = below.id) \
         SELECT u.id AS id FROM users u WHERE u.bar_raiser = 'certified' AND u.active = TRUE \
           AND u.id NOT IN (SELECT id FROM below) ORDER BY u.id"
    );
    let rows: Vec<Id> = diesel::sql_query(sql)
        .bind::<BigInt, _>(hiring_manager_id)
        .load(conn)?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// How many open loops each of `ids` is the bar raiser of.
pub fn bar_raiser_loads(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, i64>> {
    let open = open_statuses();
    let rows: Vec<(i64, i64)> = interview_loops::table
        .filter(super::any_of::any_of(interview_loops::bar_raiser_id, ids))
        .filter(interview_loops::status.eq_any(open))
        .group_by(interview_loops::bar_raiser_id)
        .select((interview_loops::bar_raiser_id, count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Open loops (not decided or cancelled) per requisition, for these requisitions.
pub fn open_per_requisition(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = interview_loops::table
        .filter(super::any_of::any_of(interview_loops::requisition_id, ids))
        .filter(interview_loops::status.eq_any(open_statuses()))
        .group_by(interview_loops::requisition_id)
        .select((interview_loops::requisition_id, count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// How many open loops are flagged (turned red after scheduling), and the
/// `limit` flagged longest ago.
pub fn flagged_open(conn: &mut DbConn, limit: i64) -> QueryResult<(i64, Vec<InterviewLoop>)> {
    let open = open_statuses();
    let base = || {
        interview_loops::table
            .filter(interview_loops::status.eq_any(open))
            .filter(interview_loops::flagged_at.is_not_null())
    };
    let count = base().count().get_result(conn)?;
    let loops = base()
        .select(InterviewLoop::as_select())
        .order((interview_loops::flagged_at.asc(), interview_loops::id.asc()))
        .limit(limit)
        .load(conn)?;
    Ok((count, loops))
}
