//! The loops list of the web workspace, sorted by any of its columns and
//! paged by seek (the sort key and the id of the last row shown), with its
//! filters: status, requisition and "needs me". One statement returns the
//! page's ids in order; the rows themselves are read by id.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};

use super::{DbConn, param};
use crate::domain::LoopStatus;

/// A column the list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// The order loops were created in.
    #[default]
    Created,
    Candidate,
    Role,
    /// The order of the loop's life (draft … cancelled).
    Status,
    /// The share of the panel's feedback submitted.
    Progress,
    /// The next interview (loops with none last).
    Next,
}

/// What one page of the list asks for.
#[derive(Debug, Clone)]
pub struct BoardQuery {
    pub user_id: i64,
    /// Every loop (an admin), not only those the user takes part in.
    pub all: bool,
    pub status: Option<LoopStatus>,
    pub requisition_id: Option<i64>,
    pub candidate_id: Option<i64>,
    pub needs_me: bool,
    pub sort: SortKey,
    pub descending: bool,
    /// The last row of the previous page: its sort key (as text) and id.
    pub after: Option<(String, i64)>,
    pub limit: i64,
    pub now: NaiveDateTime,
}

/// A row of the page, in order, with its sort key as text (for the cursor).
#[derive(Debug, QueryableByName)]
pub struct Ordered {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub sort_key: String,
}

const SUBMITTED: &str =
    "EXISTS (SELECT 1 FROM feedback f WHERE f.interview_id = i.id AND f.status = 'submitted')";

/// The page's ids in order (at most `limit`).
pub fn ordered(conn: &mut DbConn, q: &BoardQuery) -> QueryResult<Vec<Ordered>> {
    let p = |n: usize| param(conn, n);
    let (me, now, status, requisition, key, id, limit, candidate) =
        (p(1), p(2), p(3), p(4), p(5), p(6), p(7), p(8));
    let pg = matches!(conn, DbConn::Pg(_));
    let never = if pg {
        "TIMESTAMP '9999-12-31 00:00:00'"
    } else {
        "'9999-12-31 00:00:00'"
    };
    let sort = match q.sort {
        SortKey::Created => "l.id".to_owned(),
        SortKey::Candidate => "c.name".to_owned(),
        SortKey::Role => "r.title".to_owned(),
        SortKey::Status => "CASE l.status WHEN 'draft' THEN 0 WHEN 'scheduled' THEN 1 \
             WHEN 'in_debrief' THEN 2 WHEN 'awaiting_decision' THEN 3 WHEN 'decided' THEN 4 ELSE 5 END"
            .to_owned(),
        SortKey::Progress => format!(
            "COALESCE((SELECT CAST(SUM(CASE WHEN {SUBMITTED} THEN 100 ELSE 0 END) / NULLIF(COUNT(*), 0) AS BIGINT) \
               FROM interviews i WHERE i.loop_id = l.id), 0)"
        ),
        SortKey::Next => format!(
            "COALESCE((SELECT MIN(i.starts_at) FROM interviews i WHERE i.loop_id = l.id AND i.starts_at > {now}), {never})"
        ),
    };
    // The cursor's key, typed like the column it continues from.
    let cursor = match q.sort {
        SortKey::Candidate | SortKey::Role => key.clone(),
        SortKey::Created | SortKey::Status | SortKey::Progress => format!("CAST({key} AS BIGINT)"),
        SortKey::Next if pg => format!("CAST({key} AS TIMESTAMP)"),
        SortKey::Next => key.clone(),
    };
    let visible = if q.all {
        "TRUE".to_owned()
    } else {
        format!(
            "(l.recruiter_id = {me} OR l.hiring_manager_id = {me} OR l.bar_raiser_id = {me} \
              OR EXISTS (SELECT 1 FROM interviews i WHERE i.loop_id = l.id AND i.interviewer_id = {me}))"
        )
    };
    // What the person has to do: their feedback, a debrief to lead (its
    // feedback all in, or open), a decision, a draft or a flagged loop of theirs.
    let needs = if q.needs_me {
        format!(
            "((l.status IN ('scheduled', 'in_debrief') AND EXISTS (SELECT 1 FROM interviews i \
                 WHERE i.loop_id = l.id AND i.interviewer_id = {me} AND NOT {SUBMITTED})) \
              OR (l.bar_raiser_id = {me} AND (l.status = 'in_debrief' OR (l.status = 'scheduled' \
                 AND NOT EXISTS (SELECT 1 FROM interviews i WHERE i.loop_id = l.id AND NOT {SUBMITTED})))) \
              OR (l.hiring_manager_id = {me} AND l.status = 'awaiting_decision') \
              OR (l.recruiter_id = {me} AND (l.status = 'draft' OR (l.flagged_at IS NOT NULL \
                 AND l.status IN ('scheduled', 'in_debrief', 'awaiting_decision')))))"
        )
    } else {
        "TRUE".to_owned()
    };
    let (op, dir) = if q.descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    let sql = format!(
        "SELECT t.id AS id, CAST(t.k AS TEXT) AS sort_key FROM ( \
           SELECT l.id AS id, {sort} AS k FROM interview_loops l \
             JOIN candidates c ON c.id = l.candidate_id \
             JOIN requisitions r ON r.id = l.requisition_id \
           WHERE {visible} AND {needs} \
             AND ({status} IS NULL OR l.status = {status}) \
             AND ({requisition} IS NULL OR l.requisition_id = {requisition}) \
             AND ({candidate} IS NULL OR l.candidate_id = {candidate}) \
         ) t \
         WHERE {key} IS NULL OR t.k {op} {cursor} OR (t.k = {cursor} AND t.id {op} {id}) \
         ORDER BY t.k {dir}, t.id {dir} LIMIT {limit}"
    );
    let (after_key, after_id) = match &q.after {
        Some((k, i)) => (Some(k.clone()), Some(*i)),
        None => (None, None),
    };
    diesel::sql_query(sql)
        .bind::<BigInt, _>(q.user_id)
        .bind::<Timestamp, _>(q.now)
        .bind::<Nullable<Text>, _>(q.status.map(|s| s.as_str()))
        .bind::<Nullable<BigInt>, _>(q.requisition_id)
        .bind::<Nullable<Text>, _>(after_key)
        .bind::<Nullable<BigInt>, _>(after_id)
        .bind::<BigInt, _>(q.limit)
        .bind::<Nullable<BigInt>, _>(q.candidate_id)
        .load(conn)
}
