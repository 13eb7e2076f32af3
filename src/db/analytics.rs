//! The queries behind the input metrics and calibration: aggregates computed
//! by the database, and narrow row sets (a number or two per row) where a
//! median or a per-person breakdown needs the values. Every period is
//! `[from, to)`.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use diesel::sql_types::{BigInt, Double, Nullable, Timestamp};

use super::schema::{
    debrief_votes, debriefs, feedback, feedback_ratings, interview_loops, interviews, loop_events,
};
use super::{DbConn, hours_between, param};
use crate::domain::LoopStatus;

/// The statuses of the loops whose feedback analytics count (see
/// [`LoopStatus::UNBLINDED`]).
fn unblinded() -> [&'static str; 4] {
    LoopStatus::UNBLINDED.map(LoopStatus::as_str)
}

/// A `[from, to)` period.
#[derive(Debug, Clone, Copy)]
pub struct Period {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
}

/// `(matching, total)` of a count.
pub type Share = (i64, i64);

pub fn loops_scheduled(conn: &mut DbConn, p: Period) -> QueryResult<i64> {
    loop_events::table
        .filter(loop_events::kind.eq("loop_scheduled"))
        .filter(loop_events::at.ge(p.from).and(loop_events::at.lt(p.to)))
        .select(count_star())
        .first(conn)
}

/// When each loop scheduled in the period was scheduled.
pub fn scheduled_times(conn: &mut DbConn, p: Period) -> QueryResult<Vec<NaiveDateTime>> {
    loop_events::table
        .filter(loop_events::kind.eq("loop_scheduled"))
        .filter(loop_events::at.ge(p.from).and(loop_events::at.lt(p.to)))
        .select(loop_events::at)
        .load(conn)
}

/// Independence violations caught at assembly (loops created red) and after
/// scheduling (a scheduled loop turned red).
pub fn violations(conn: &mut DbConn, p: Period) -> QueryResult<(i64, i64)> {
    let in_period = loop_events::at.ge(p.from).and(loop_events::at.lt(p.to));
    let at_assembly = loop_events::table
        .filter(loop_events::kind.eq("loop_created"))
        .filter(in_period)
        .filter(loop_events::data.like("%\"independence_ok\":false%"))
        .select(count_star())
        .first(conn)?;
    let after_scheduling = loop_events::table
        .filter(loop_events::kind.eq("independence_changed"))
        .filter(in_period)
        .filter(loop_events::data.like("%\"after_scheduling\":true%"))
        .filter(loop_events::data.like("%\"turned_red\":true%"))
        .select(count_star())
        .first(conn)?;
    Ok((at_assembly, after_scheduling))
}

/// The debriefs of the period, counted in one scan.
#[derive(Debug, Clone, Default, QueryableByName)]
pub struct DebriefCounts {
    /// Decided in the period, of those hired, and of those against the composite.
    #[diesel(sql_type = BigInt)]
    pub decided: i64,
    #[diesel(sql_type = BigInt)]
    pub hired: i64,
    #[diesel(sql_type = BigInt)]
    pub against_composite: i64,
    /// Opened in the period, and of those with an override.
    #[diesel(sql_type = BigInt)]
    pub opened: i64,
    #[diesel(sql_type = BigInt)]
    pub overridden: i64,
    /// Closed in the period, and of those vetoed.
    #[diesel(sql_type = BigInt)]
    pub closed: i64,
    #[diesel(sql_type = BigInt)]
    pub vetoed: i64,
}

pub fn debrief_counts(conn: &mut DbConn, p: Period) -> QueryResult<DebriefCounts> {
    let (from, to) = (param(conn, 1), param(conn, 2));
    let within = |col: &str| format!("{col} >= {from} AND {col} < {to}");
    let count = |cond: String| {
        format!("CAST(COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0) AS BIGINT)")
    };
    let decided = within("decided_at");
    let opened = within("opened_at");
    let closed = within("closed_at");
    let sql = format!(
        "SELECT {} AS decided, {} AS hired, {} AS against_composite, {} AS opened, \
           {} AS overridden, {} AS closed, {} AS vetoed FROM debriefs",
        count(decided.clone()),
        count(format!("{decided} AND decision = 'hire'")),
        count(format!("{decided} AND agrees_with_composite = FALSE")),
        count(opened.clone()),
        count(format!("{opened} AND override_reason IS NOT NULL")),
        count(closed.clone()),
        count(format!("{closed} AND veto = TRUE")),
    );
    diesel::sql_query(sql)
        .bind::<Timestamp, _>(p.from)
        .bind::<Timestamp, _>(p.to)
        .get_result(conn)
}

/// The votes of the debriefs closed in the period: each panel member's
/// final vote (their latest), their initial one (their feedback's), and
/// each loop's bar raiser.
#[derive(Debug, Default)]
pub struct DebriefVotes {
    /// `(loop, member) → final vote`.
    pub finals: std::collections::HashMap<(i64, i64), String>,
    /// `(loop, member) → initial vote` (submitted feedback only).
    pub initial: std::collections::HashMap<(i64, i64), Option<String>>,
    /// `loop → its bar raiser`.
    pub bar_raisers: std::collections::HashMap<i64, i64>,
}

pub fn debrief_votes(conn: &mut DbConn, p: Period) -> QueryResult<DebriefVotes> {
    let closed_loops = debriefs::table
        .filter(
            debriefs::closed_at
                .ge(p.from)
                .and(debriefs::closed_at.lt(p.to)),
        )
        .select(debriefs::loop_id);
    let finals: Vec<(i64, i64, String, i64)> = debrief_votes::table
        .filter(debrief_votes::loop_id.eq_any(closed_loops))
        .select((
            debrief_votes::loop_id,
            debrief_votes::user_id,
            debrief_votes::vote,
            debrief_votes::id,
        ))
        .order(debrief_votes::id.asc())
        .load(conn)?;
    // The latest vote of each panel member counts.
    let mut latest: std::collections::HashMap<(i64, i64), String> = Default::default();
    for (loop_id, user_id, vote, _) in finals {
        latest.insert((loop_id, user_id), vote);
    }
    let mut loop_ids: Vec<i64> = latest.keys().map(|(l, _)| *l).collect();
    loop_ids.sort_unstable();
    loop_ids.dedup();
    let initial: Vec<(i64, i64, Option<String>)> = feedback::table
        .inner_join(interviews::table)
        .filter(super::any_of::any_of(interviews::loop_id, &loop_ids))
        .filter(feedback::status.eq("submitted"))
        .select((
            interviews::loop_id,
            interviews::interviewer_id,
            feedback::vote,
        ))
        .load(conn)?;
    let bar_raisers: Vec<(i64, i64)> = interview_loops::table
        .filter(super::any_of::any_of(interview_loops::id, &loop_ids))
        .select((interview_loops::id, interview_loops::bar_raiser_id))
        .load(conn)?;
    Ok(DebriefVotes {
        finals: latest,
        initial: initial.into_iter().map(|(l, u, v)| ((l, u), v)).collect(),
        bar_raisers: bar_raisers.into_iter().collect(),
    })
}

/// `(scheduled at, decided at)` of the loops decided in the period.
pub fn schedule_to_decision(
    conn: &mut DbConn,
    p: Period,
) -> QueryResult<Vec<(NaiveDateTime, NaiveDateTime)>> {
    let rows: Vec<(NaiveDateTime, Option<NaiveDateTime>)> = debriefs::table
        .inner_join(loop_events::table.on(loop_events::loop_id.eq(debriefs::loop_id)))
        .filter(loop_events::kind.eq("loop_scheduled"))
        .filter(
            debriefs::decided_at
                .ge(p.from)
                .and(debriefs::decided_at.lt(p.to)),
        )
        .select((loop_events::at, debriefs::decided_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(s, d)| d.map(|d| (s, d)))
        .collect())
}

/// `(end of the last interview, decided at)` of the loops decided in the
/// period: how long the panel waited for its decision.
pub fn last_interview_to_decision(
    conn: &mut DbConn,
    p: Period,
) -> QueryResult<Vec<(NaiveDateTime, NaiveDateTime)>> {
    use diesel::dsl::max;
    let rows: Vec<(Option<NaiveDateTime>, Option<NaiveDateTime>)> = debriefs::table
        .inner_join(interviews::table.on(interviews::loop_id.eq(debriefs::loop_id)))
        .filter(
            debriefs::decided_at
                .ge(p.from)
                .and(debriefs::decided_at.lt(p.to)),
        )
        .group_by((debriefs::loop_id, debriefs::decided_at))
        .select((max(interviews::ends_at), debriefs::decided_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(last, decided)| Some((last?, decided?)))
        .collect())
}

/// One submission of the period, as numbers: who, of which loop, on time or
/// not (1/0), whether its loop was decided (1/0) and its vote (hire or not)
/// matched the decision (1/0), and the hours from the interview's end.
pub type SubmissionFigures = (i64, i64, i64, i64, i64, Option<f64>);

/// The submissions of the period on loops the blind rule no longer protects,
/// as numbers, in one scan (the database computes every figure of a row; the
/// caller only adds them up). Read by position, not by name: this is the hot
/// path of `/metrics/process`.
pub fn submission_figures(conn: &mut DbConn, p: Period) -> QueryResult<Vec<SubmissionFigures>> {
    submissions(conn, p, None)
}

/// [`submission_figures`] of one interviewer only.
pub fn submissions_of(
    conn: &mut DbConn,
    p: Period,
    interviewer: i64,
) -> QueryResult<Vec<SubmissionFigures>> {
    submissions(conn, p, Some(interviewer))
}

fn submissions(
    conn: &mut DbConn,
    p: Period,
    interviewer: Option<i64>,
) -> QueryResult<Vec<SubmissionFigures>> {
    use diesel::dsl::sql;
    let hours = hours_between(conn, "interviews.ends_at", "feedback.submitted_at");
    let mut query = feedback::table
        .inner_join(interviews::table.inner_join(interview_loops::table))
        .left_join(debriefs::table.on(debriefs::loop_id.eq(interviews::loop_id)))
        .filter(feedback::status.eq("submitted"))
        .filter(interview_loops::status.eq_any(unblinded()))
        .filter(
            feedback::submitted_at
                .ge(p.from)
                .and(feedback::submitted_at.lt(p.to)),
        )
        .select((
            interviews::interviewer_id,
            interviews::loop_id,
            sql::<BigInt>(
                "CAST(CASE WHEN feedback.timing = 'on_time' THEN 1 ELSE 0 END AS BIGINT)",
            ),
            sql::<BigInt>(
                "CAST(CASE WHEN debriefs.decision IS NOT NULL THEN 1 ELSE 0 END AS BIGINT)",
            ),
            sql::<BigInt>(
                "CAST(CASE WHEN debriefs.decision IS NOT NULL AND \
                 (feedback.vote IN ('hire', 'strong_hire')) = (debriefs.decision = 'hire') \
                 THEN 1 ELSE 0 END AS BIGINT)",
            ),
            sql::<Nullable<Double>>(&hours),
        ))
        .into_boxed();
    if let Some(who) = interviewer {
        query = query.filter(interviews::interviewer_id.eq(who));
    }
    query.load(conn)
}

/// `(bar raiser, opened at, closed at, veto)` of one debrief.
pub type Led = (i64, NaiveDateTime, Option<NaiveDateTime>, bool);

/// The debriefs opened in the period.
pub fn debriefs_led(conn: &mut DbConn, p: Period) -> QueryResult<Vec<Led>> {
    debriefs::table
        .filter(
            debriefs::opened_at
                .ge(p.from)
                .and(debriefs::opened_at.lt(p.to)),
        )
        .select((
            debriefs::opened_by_id,
            debriefs::opened_at,
            debriefs::closed_at,
            debriefs::veto,
        ))
        .load(conn)
}

/// The feedback's vote as a number, 1 = strong_no_hire … 4 = strong_hire.
fn vote_number() -> diesel::expression::SqlLiteral<Nullable<BigInt>> {
    diesel::dsl::sql::<Nullable<BigInt>>(
        "CAST(CASE feedback.vote WHEN 'strong_no_hire' THEN 1 WHEN 'no_hire' THEN 2 \
         WHEN 'hire' THEN 3 WHEN 'strong_hire' THEN 4 END AS BIGINT)",
    )
}

/// One rating of the period: `(feedback, loop, competency, rater, rating,
/// the feedback's vote as 1 = strong_no_hire … 4 = strong_hire)`.
pub type RatingFigures = (i64, i64, i64, i64, Option<i64>, Option<i64>);

/// Every rating of the feedback submitted in the period on loops the blind
/// rule no longer protects, grouped by feedback (the ratings table's own
/// order), in one query read by position.
pub fn ratings(conn: &mut DbConn, p: Period) -> QueryResult<Vec<RatingFigures>> {
    feedback_ratings::table
        .inner_join(
            feedback::table.inner_join(interviews::table.inner_join(interview_loops::table)),
        )
        .filter(feedback::status.eq("submitted"))
        .filter(interview_loops::status.eq_any(unblinded()))
        .filter(
            feedback::submitted_at
                .ge(p.from)
                .and(feedback::submitted_at.lt(p.to)),
        )
        .select((
            feedback_ratings::feedback_id,
            interviews::loop_id,
            feedback_ratings::competency_id,
            interviews::interviewer_id,
            feedback_ratings::rating,
            vote_number(),
        ))
        .order(feedback_ratings::feedback_id.asc())
        .load(conn)
}

/// Every rating of the submitted feedback on `loop_ids` (whenever submitted),
/// on loops the blind rule no longer protects, grouped by feedback.
pub fn ratings_on_loops(conn: &mut DbConn, loop_ids: &[i64]) -> QueryResult<Vec<RatingFigures>> {
    feedback_ratings::table
        .inner_join(
            feedback::table.inner_join(interviews::table.inner_join(interview_loops::table)),
        )
        .filter(feedback::status.eq("submitted"))
        .filter(interview_loops::status.eq_any(unblinded()))
        .filter(interviews::loop_id.eq_any(loop_ids))
        .select((
            feedback_ratings::feedback_id,
            interviews::loop_id,
            feedback_ratings::competency_id,
            interviews::interviewer_id,
            feedback_ratings::rating,
            vote_number(),
        ))
        .order(feedback_ratings::feedback_id.asc())
        .load(conn)
}

/// The latest performance rating of each hire decided in the period:
/// `(loop, rating)`, the latest by observation (then by entry).
pub fn rated_hires(conn: &mut DbConn, p: Period) -> QueryResult<Vec<(i64, f64)>> {
    use super::schema::outcomes;
    let rows: Vec<(i64, f64)> = outcomes::table
        .inner_join(debriefs::table.on(debriefs::loop_id.eq(outcomes::loop_id)))
        .filter(outcomes::kind.eq("performance_rating"))
        .filter(debriefs::decision.eq("hire"))
        .filter(
            debriefs::decided_at
                .ge(p.from)
                .and(debriefs::decided_at.lt(p.to)),
        )
        .select((outcomes::loop_id, outcomes::value))
        .order((
            outcomes::loop_id.asc(),
            outcomes::observed_at.asc(),
            outcomes::id.asc(),
        ))
        .load(conn)?;
    // Ordered by loop, latest last: keep the last of each loop.
    let mut latest: Vec<(i64, f64)> = Vec::new();
    for (loop_id, value) in rows {
        match latest.last_mut() {
            Some(last) if last.0 == loop_id => last.1 = value,
            _ => latest.push((loop_id, value)),
        }
    }
    Ok(latest)
}

/// Every rating of the submitted feedback on the hires of the period that
/// have a performance rating, in one query, unordered (sorting some 300,000
/// rows spilled to disk on PostgreSQL for nothing: the caller groups them).
pub fn ratings_of_rated_hires(conn: &mut DbConn, p: Period) -> QueryResult<Vec<RatingFigures>> {
    use super::schema::outcomes;
    use diesel::dsl::exists;
    feedback_ratings::table
        .inner_join(feedback::table.inner_join(interviews::table))
        .inner_join(debriefs::table.on(debriefs::loop_id.eq(interviews::loop_id)))
        .filter(feedback::status.eq("submitted"))
        .filter(debriefs::decision.eq("hire"))
        .filter(
            debriefs::decided_at
                .ge(p.from)
                .and(debriefs::decided_at.lt(p.to)),
        )
        .filter(exists(
            outcomes::table
                .filter(outcomes::loop_id.eq(interviews::loop_id))
                .filter(outcomes::kind.eq("performance_rating")),
        ))
        .select((
            feedback_ratings::feedback_id,
            interviews::loop_id,
            feedback_ratings::competency_id,
            interviews::interviewer_id,
            feedback_ratings::rating,
            vote_number(),
        ))
        .load(conn)
}
