//! `debriefs`, `debrief_reads`, `debrief_votes`, `debrief_notes`, `commitments`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::feedback::{FeedbackRow, RatingRow, SUBMITTED, Stored};
use super::schema::{
    commitments, debrief_notes, debrief_reads, debrief_votes, debriefs, feedback, feedback_ratings,
    interviews, signal_requests,
};
use super::signal_requests::SignalRequestRow;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = debriefs, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct DebriefRow {
    pub loop_id: i64,
    pub opened_by_id: i64,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub opened_at: NaiveDateTime,
    pub override_reason: Option<String>,
    pub missing_interview_ids: String,
    pub recommendation: Option<String>,
    pub veto: bool,
    pub rationale: Option<String>,
    #[diesel(deserialize_as = super::stamp::OptStamp)]
    pub closed_at: Option<NaiveDateTime>,
    pub decision: Option<String>,
    pub decision_rationale: Option<String>,
    pub decided_by_id: Option<i64>,
    #[diesel(deserialize_as = super::stamp::OptStamp)]
    pub decided_at: Option<NaiveDateTime>,
    pub composite_at_decision: Option<String>,
    pub agrees_with_composite: Option<bool>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = debrief_reads, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ReadRow {
    pub loop_id: i64,
    pub user_id: i64,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub read_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = debrief_votes, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct VoteRow {
    pub id: i64,
    pub loop_id: i64,
    pub user_id: i64,
    pub vote: String,
    pub reason: Option<String>,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub cast_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = debrief_notes, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct NoteRow {
    pub id: i64,
    pub loop_id: i64,
    pub author_id: i64,
    pub competency_id: Option<i64>,
    pub text: String,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = commitments, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct CommitmentRow {
    pub loop_id: i64,
    pub user_id: i64,
    pub dissent: Option<String>,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub committed_at: NaiveDateTime,
}

/// Everything of one loop's debrief, in one query: the debrief's row, its
/// read receipts, votes, notes and commitments, the requests for more
/// signal on the loop, and the loop's submitted feedback.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// The loop's submitted feedback with its ratings, in interview order
    /// (as `feedback::submitted_for_loop` reads it).
    pub submitted: Vec<Stored>,
    pub debrief: Option<DebriefRow>,
    /// Oldest first.
    pub reads: Vec<ReadRow>,
    /// Oldest first.
    pub votes: Vec<VoteRow>,
    /// Oldest first.
    pub notes: Vec<NoteRow>,
    /// Oldest first.
    pub commitments: Vec<CommitmentRow>,
    /// Oldest first (the last one may be pending).
    pub signal_requests: Vec<SignalRequestRow>,
}

/// Which part of a debrief's record a row of [`record`]'s union is.
const READ: i32 = 0;
const VOTE: i32 = 1;
const NOTE: i32 = 2;
const COMMITMENT: i32 = 3;
const REQUEST: i32 = 4;
const DEBRIEF: i32 = 5;
const FEEDBACK: i32 = 6;

/// A row of the union of a debrief's record: which part it is, the row's
/// own id (votes, notes, requests, feedback), the person (reader, voter,
/// author, who committed, who asked, who opened; a feedback's interview),
/// another id (a note's or a rating's competency, a request's last
/// interview, who decided), a number (a rating), up to seven texts, when,
/// up to two more times and two flags. Each part's mapping is in [`record`].
type Texts = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

#[derive(Queryable)]
struct RecordRow {
    part: i32,
    id: Option<i64>,
    user_id: i64,
    other_id: Option<i64>,
    number: Option<i64>,
    /// Four texts, then three more.
    texts: Texts,
    more: (Option<String>, Option<String>, Option<String>),
    #[diesel(deserialize_as = super::stamp::Stamp)]
    at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::OptStamp)]
    at2: Option<NaiveDateTime>,
    #[diesel(deserialize_as = super::stamp::OptStamp)]
    at3: Option<NaiveDateTime>,
    b1: Option<bool>,
    b2: Option<bool>,
}

pub fn record(conn: &mut DbConn, loop_id: i64) -> QueryResult<Record> {
    use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text, Timestamp};
    let no_id = || None::<i64>.into_sql::<Nullable<BigInt>>();
    let no_text = || None::<String>.into_sql::<Nullable<Text>>();
    let no_at = || None::<NaiveDateTime>.into_sql::<Nullable<Timestamp>>();
    let no_flag = || None::<bool>.into_sql::<Nullable<Bool>>();
    let reads = debrief_reads::table
        .filter(debrief_reads::loop_id.eq(loop_id))
        .select((
            READ.into_sql::<Integer>(),
            no_id(),
            debrief_reads::user_id,
            no_id(),
            no_id(),
            (no_text(), no_text(), no_text(), no_text()),
            (no_text(), no_text(), no_text()),
            debrief_reads::read_at,
            no_at(),
            no_at(),
            no_flag(),
            no_flag(),
        ));
    let votes = debrief_votes::table
        .filter(debrief_votes::loop_id.eq(loop_id))
        .select((
            VOTE.into_sql::<Integer>(),
            debrief_votes::id.nullable(),
            debrief_votes::user_id,
            no_id(),
            no_id(),
            (
                debrief_votes::vote.nullable(),
                debrief_votes::reason,
                no_text(),
                no_text(),
            ),
            (no_text(), no_text(), no_text()),
            debrief_votes::cast_at,
            no_at(),
            no_at(),
            no_flag(),
            no_flag(),
        ));
    let notes = debrief_notes::table
        .filter(debrief_notes::loop_id.eq(loop_id))
        .select((
            NOTE.into_sql::<Integer>(),
            debrief_notes::id.nullable(),
            debrief_notes::author_id,
            debrief_notes::competency_id,
            no_id(),
            (
                debrief_notes::text.nullable(),
                no_text(),
                no_text(),
                no_text(),
            ),
            (no_text(), no_text(), no_text()),
            debrief_notes::created_at,
            no_at(),
            no_at(),
            no_flag(),
            no_flag(),
        ));
    let commitments = commitments::table
        .filter(commitments::loop_id.eq(loop_id))
        .select((
            COMMITMENT.into_sql::<Integer>(),
            no_id(),
            commitments::user_id,
            no_id(),
            no_id(),
            (commitments::dissent, no_text(), no_text(), no_text()),
            (no_text(), no_text(), no_text()),
            commitments::committed_at,
            no_at(),
            no_at(),
            no_flag(),
            no_flag(),
        ));
    let requests = signal_requests::table
        .filter(signal_requests::loop_id.eq(loop_id))
        .select((
            REQUEST.into_sql::<Integer>(),
            signal_requests::id.nullable(),
            signal_requests::requested_by_id,
            signal_requests::last_interview_id.nullable(),
            no_id(),
            (
                signal_requests::requested_as.nullable(),
                signal_requests::competency_ids.nullable(),
                signal_requests::rationale.nullable(),
                signal_requests::previous_recommendation,
            ),
            (signal_requests::previous_rationale, no_text(), no_text()),
            signal_requests::requested_at,
            signal_requests::previous_closed_at,
            signal_requests::reopened_at,
            no_flag(),
            no_flag(),
        ));
    let debrief = debriefs::table
        .filter(debriefs::loop_id.eq(loop_id))
        .select((
            DEBRIEF.into_sql::<Integer>(),
            no_id(),
            debriefs::opened_by_id,
            debriefs::decided_by_id,
            no_id(),
            (
                debriefs::override_reason,
                debriefs::missing_interview_ids.nullable(),
                debriefs::recommendation,
                debriefs::rationale,
            ),
            (
                debriefs::decision,
                debriefs::decision_rationale,
                debriefs::composite_at_decision,
            ),
            debriefs::opened_at,
            debriefs::closed_at,
            debriefs::decided_at,
            debriefs::veto.nullable(),
            debriefs::agrees_with_composite,
        ));
    // A row per rating (or one for feedback without any).
    let submitted = feedback::table
        .inner_join(interviews::table)
        .left_join(feedback_ratings::table)
        .filter(interviews::loop_id.eq(loop_id))
        .filter(feedback::status.eq(SUBMITTED))
        .select((
            FEEDBACK.into_sql::<Integer>(),
            feedback::id.nullable(),
            feedback::interview_id,
            feedback_ratings::competency_id.nullable(),
            feedback_ratings::rating.nullable(),
            (
                feedback::vote,
                feedback::summary,
                feedback::status.nullable(),
                feedback::timing,
            ),
            (feedback_ratings::evidence.nullable(), no_text(), no_text()),
            feedback::created_at,
            feedback::submitted_at,
            feedback::updated_at.nullable(),
            no_flag(),
            no_flag(),
        ));
    // Every view of the debrief room reads it: on the backend's own
    // connection (a top-level UNION does not pass through the two-backend
    // one), in one statement.
    let rows: Vec<RecordRow> = super::native!(conn, |c| reads
        .union_all(votes)
        .union_all(notes)
        .union_all(commitments)
        .union_all(requests)
        .union_all(debrief)
        .union_all(submitted)
        .load(c))?;
    let mut record = Record::default();
    let mut feedback_rows: Vec<(FeedbackRow, Option<RatingRow>)> = Vec::new();
    for r in rows {
        let (t1, t2, t3, t4) = r.texts;
        let (t5, t6, t7) = r.more;
        match r.part {
            READ => record.reads.push(ReadRow {
                loop_id,
                user_id: r.user_id,
                read_at: r.at,
            }),
            VOTE => record.votes.push(VoteRow {
                id: r.id.unwrap_or_default(),
                loop_id,
                user_id: r.user_id,
                vote: t1.unwrap_or_default(),
                reason: t2,
                cast_at: r.at,
            }),
            NOTE => record.notes.push(NoteRow {
                id: r.id.unwrap_or_default(),
                loop_id,
                author_id: r.user_id,
                competency_id: r.other_id,
                text: t1.unwrap_or_default(),
                created_at: r.at,
            }),
            COMMITMENT => record.commitments.push(CommitmentRow {
                loop_id,
                user_id: r.user_id,
                dissent: t1,
                committed_at: r.at,
            }),
            REQUEST => record.signal_requests.push(SignalRequestRow {
                id: r.id.unwrap_or_default(),
                loop_id,
                requested_by_id: r.user_id,
                requested_as: t1.unwrap_or_default(),
                competency_ids: t2.unwrap_or_default(),
                rationale: t3.unwrap_or_default(),
                last_interview_id: r.other_id.unwrap_or_default(),
                previous_recommendation: t4,
                previous_rationale: t5,
                previous_closed_at: r.at2,
                requested_at: r.at,
                reopened_at: r.at3,
            }),
            FEEDBACK => {
                let id = r.id.unwrap_or_default();
                let rating = r.other_id.map(|competency_id| RatingRow {
                    feedback_id: id,
                    competency_id,
                    rating: r.number,
                    evidence: t5.unwrap_or_default(),
                });
                feedback_rows.push((
                    FeedbackRow {
                        id,
                        interview_id: r.user_id,
                        vote: t1,
                        summary: t2,
                        status: t3.unwrap_or_default(),
                        submitted_at: r.at2,
                        timing: t4,
                        created_at: r.at,
                        updated_at: r.at3.unwrap_or(r.at),
                    },
                    rating,
                ));
            }
            _ => {
                record.debrief = Some(DebriefRow {
                    loop_id,
                    opened_by_id: r.user_id,
                    opened_at: r.at,
                    override_reason: t1,
                    missing_interview_ids: t2.unwrap_or_default(),
                    recommendation: t3,
                    veto: r.b1.unwrap_or_default(),
                    rationale: t4,
                    closed_at: r.at2,
                    decision: t5,
                    decision_rationale: t6,
                    decided_by_id: r.other_id,
                    decided_at: r.at3,
                    composite_at_decision: t7,
                    agrees_with_composite: r.b2,
                })
            }
        }
    }
    record.reads.sort_by_key(|r| r.read_at);
    record.votes.sort_by_key(|v| v.id);
    record.notes.sort_by_key(|n| n.id);
    record.commitments.sort_by_key(|x| x.committed_at);
    record.signal_requests.sort_by_key(|x| x.id);
    // In interview order, each feedback's ratings in competency order.
    feedback_rows.sort_by_key(|(f, r)| (f.interview_id, r.as_ref().map(|r| r.competency_id)));
    record.submitted = super::feedback::grouped(feedback_rows);
    Ok(record)
}

/// Whether the loop's debrief was ever opened.
pub fn exists(conn: &mut DbConn, loop_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(debriefs::table.find(loop_id))).get_result(conn)
}

pub fn open(
    conn: &mut DbConn,
    loop_id: i64,
    by: i64,
    at: NaiveDateTime,
    override_reason: Option<&str>,
    missing_interview_ids: &str,
) -> QueryResult<()> {
    diesel::insert_into(debriefs::table)
        .values((
            debriefs::loop_id.eq(loop_id),
            debriefs::opened_by_id.eq(by),
            debriefs::opened_at.eq(at),
            debriefs::override_reason.eq(override_reason),
            debriefs::missing_interview_ids.eq(missing_interview_ids),
            debriefs::veto.eq(false),
        ))
        .execute(conn)?;
    Ok(())
}

/// A read receipt; `false` when the user had already read the packet.
pub fn mark_read(
    conn: &mut DbConn,
    loop_id: i64,
    user_id: i64,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let exists: i64 = debrief_reads::table
        .filter(debrief_reads::loop_id.eq(loop_id))
        .filter(debrief_reads::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(debrief_reads::table)
        .values((
            debrief_reads::loop_id.eq(loop_id),
            debrief_reads::user_id.eq(user_id),
            debrief_reads::read_at.eq(at),
        ))
        .execute(conn)?;
    Ok(true)
}

pub fn add_vote(
    conn: &mut DbConn,
    loop_id: i64,
    user_id: i64,
    vote: &str,
    reason: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(debrief_votes::table)
        .values((
            debrief_votes::loop_id.eq(loop_id),
            debrief_votes::user_id.eq(user_id),
            debrief_votes::vote.eq(vote),
            debrief_votes::reason.eq(reason),
            debrief_votes::cast_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn add_note(
    conn: &mut DbConn,
    loop_id: i64,
    author_id: i64,
    competency_id: Option<i64>,
    text: &str,
    at: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(debrief_notes::table)
        .values((
            debrief_notes::loop_id.eq(loop_id),
            debrief_notes::author_id.eq(author_id),
            debrief_notes::competency_id.eq(competency_id),
            debrief_notes::text.eq(text),
            debrief_notes::created_at.eq(at),
        ))
        .returning(debrief_notes::id)
        .get_result(conn)
}

/// Closes an open debrief; `false` when it was already closed.
pub fn close(
    conn: &mut DbConn,
    loop_id: i64,
    recommendation: &str,
    veto: bool,
    rationale: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        debriefs::table
            .find(loop_id)
            .filter(debriefs::closed_at.is_null()),
    )
    .set((
        debriefs::recommendation.eq(Some(recommendation)),
        debriefs::veto.eq(veto),
        debriefs::rationale.eq(Some(rationale)),
        debriefs::closed_at.eq(Some(at)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Records the decision; `false` when one was already recorded.
#[allow(clippy::too_many_arguments)] // one column each, written together
pub fn decide(
    conn: &mut DbConn,
    loop_id: i64,
    decision: &str,
    rationale: &str,
    by: i64,
    at: NaiveDateTime,
    composite: &str,
    agrees_with_composite: bool,
) -> QueryResult<bool> {
    let n = diesel::update(
        debriefs::table
            .find(loop_id)
            .filter(debriefs::decided_at.is_null()),
    )
    .set((
        debriefs::decision.eq(Some(decision)),
        debriefs::decision_rationale.eq(Some(rationale)),
        debriefs::decided_by_id.eq(Some(by)),
        debriefs::decided_at.eq(Some(at)),
        debriefs::composite_at_decision.eq(Some(composite)),
        debriefs::agrees_with_composite.eq(Some(agrees_with_composite)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// A commitment; `false` when the user had already committed.
pub fn commit(
    conn: &mut DbConn,
    loop_id: i64,
    user_id: i64,
    dissent: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let exists: i64 = commitments::table
        .filter(commitments::loop_id.eq(loop_id))
        .filter(commitments::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(commitments::table)
        .values((
            commitments::loop_id.eq(loop_id),
            commitments::user_id.eq(user_id),
            commitments::dissent.eq(dissent),
            commitments::committed_at.eq(at),
        ))
        .execute(conn)?;
    Ok(true)
}

/// A loop's decision and when it was made, once there is one.
pub fn decision_of(
    conn: &mut DbConn,
    loop_id: i64,
) -> QueryResult<Option<(String, NaiveDateTime)>> {
    let row: Option<(Option<String>, Option<NaiveDateTime>)> = debriefs::table
        .find(loop_id)
        .select((debriefs::decision, debriefs::decided_at))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((Some(decision), Some(at))) => Some((decision, at)),
        _ => None,
    })
}

/// Sets a closed debrief's close aside (a hiring manager's request for more
/// signal): it is open again once the follow-up is in. The close is kept in
/// the request.
pub fn unclose(conn: &mut DbConn, loop_id: i64) -> QueryResult<()> {
    diesel::update(debriefs::table.find(loop_id))
        .set((
            debriefs::recommendation.eq(None::<String>),
            debriefs::veto.eq(false),
            debriefs::rationale.eq(None::<String>),
            debriefs::closed_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}
