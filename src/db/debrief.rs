//! `debriefs`, `debrief_reads`, `debrief_votes`, `debrief_notes`, `commitments`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{commitments, debrief_notes, debrief_reads, debrief_votes, debriefs};

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

/// Everything of one loop's debrief, in two queries: the debrief's row, and
/// its read receipts, votes, notes and commitments together.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub debrief: Option<DebriefRow>,
    /// Oldest first.
    pub reads: Vec<ReadRow>,
    /// Oldest first.
    pub votes: Vec<VoteRow>,
    /// Oldest first.
    pub notes: Vec<NoteRow>,
    /// Oldest first.
    pub commitments: Vec<CommitmentRow>,
}

/// Which of a debrief's lists a row of [`record`]'s union belongs to.
const READ: i32 = 0;
const VOTE: i32 = 1;
const NOTE: i32 = 2;
const COMMITMENT: i32 = 3;

/// A row of the union of a debrief's lists: its list, the row's own id
/// (votes, notes), the person (reader, voter, author, who committed), a
/// competency (notes), two texts (a vote and its reason, a note's text, a
/// dissent) and when.
type ListRow = (
    i32,
    Option<i64>,
    i64,
    Option<i64>,
    Option<String>,
    Option<String>,
    NaiveDateTime,
);

pub fn record(conn: &mut DbConn, loop_id: i64) -> QueryResult<Record> {
    use diesel::sql_types::{BigInt, Integer, Nullable, Text};
    let no_id = || None::<i64>.into_sql::<Nullable<BigInt>>();
    let no_text = || None::<String>.into_sql::<Nullable<Text>>();
    let reads = debrief_reads::table
        .filter(debrief_reads::loop_id.eq(loop_id))
        .select((
            READ.into_sql::<Integer>(),
            no_id(),
            debrief_reads::user_id,
            no_id(),
            no_text(),
            no_text(),
            debrief_reads::read_at,
        ));
    let votes = debrief_votes::table
        .filter(debrief_votes::loop_id.eq(loop_id))
        .select((
            VOTE.into_sql::<Integer>(),
            debrief_votes::id.nullable(),
            debrief_votes::user_id,
            no_id(),
            debrief_votes::vote.nullable(),
            debrief_votes::reason,
            debrief_votes::cast_at,
        ));
    let notes = debrief_notes::table
        .filter(debrief_notes::loop_id.eq(loop_id))
        .select((
            NOTE.into_sql::<Integer>(),
            debrief_notes::id.nullable(),
            debrief_notes::author_id,
            debrief_notes::competency_id,
            debrief_notes::text.nullable(),
            no_text(),
            debrief_notes::created_at,
        ));
    let commitments = commitments::table
        .filter(commitments::loop_id.eq(loop_id))
        .select((
            COMMITMENT.into_sql::<Integer>(),
            no_id(),
            commitments::user_id,
            no_id(),
            commitments::dissent,
            no_text(),
            commitments::committed_at,
        ));
    // Every view of the debrief room reads it: on the backend's own connection.
    let (debrief, rows): (Option<DebriefRow>, Vec<ListRow>) = super::native!(conn, |c| {
        let debrief = debriefs::table
            .find(loop_id)
            .select(DebriefRow::as_select())
            .first(c)
            .optional()?;
        let rows = reads
            .union_all(votes)
            .union_all(notes)
            .union_all(commitments)
            .load(c)?;
        (debrief, rows)
    });
    let mut record = Record {
        debrief,
        ..Record::default()
    };
    for (list, id, user_id, competency_id, first, second, at) in rows {
        match list {
            READ => record.reads.push(ReadRow {
                loop_id,
                user_id,
                read_at: at,
            }),
            VOTE => record.votes.push(VoteRow {
                id: id.unwrap_or_default(),
                loop_id,
                user_id,
                vote: first.unwrap_or_default(),
                reason: second,
                cast_at: at,
            }),
            NOTE => record.notes.push(NoteRow {
                id: id.unwrap_or_default(),
                loop_id,
                author_id: user_id,
                competency_id,
                text: first.unwrap_or_default(),
                created_at: at,
            }),
            _ => record.commitments.push(CommitmentRow {
                loop_id,
                user_id,
                dissent: first,
                committed_at: at,
            }),
        }
    }
    record.reads.sort_by_key(|r| r.read_at);
    record.votes.sort_by_key(|v| v.id);
    record.notes.sort_by_key(|n| n.id);
    record.commitments.sort_by_key(|x| x.committed_at);
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
