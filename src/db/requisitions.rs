//! `requisitions` and `requisition_competencies`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{requisition_competencies, requisitions};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = requisitions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Requisition {
    pub id: i64,
    pub title: String,
    pub hiring_manager_id: i64,
    pub recruiter_id: i64,
    pub min_panel_size: i64,
    pub status: String,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = requisitions)]
pub struct NewRequisition<'a> {
    pub title: &'a str,
    pub hiring_manager_id: i64,
    pub recruiter_id: i64,
    pub min_panel_size: i64,
    pub status: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(
    conn: &mut DbConn,
    new: &NewRequisition<'_>,
    competency_ids: &[i64],
) -> QueryResult<Requisition> {
    let id: i64 = diesel::insert_into(requisitions::table)
        .values(new)
        .returning(requisitions::id)
        .get_result(conn)?;
    for competency_id in competency_ids {
        diesel::insert_into(requisition_competencies::table)
            .values((
                requisition_competencies::requisition_id.eq(id),
                requisition_competencies::competency_id.eq(competency_id),
            ))
            .execute(conn)?;
    }
    requisitions::table
        .find(id)
        .select(Requisition::as_select())
        .first(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Requisition>> {
    requisitions::table
        .find(id)
        .select(Requisition::as_select())
        .first(conn)
        .optional()
}

pub fn competency_ids(conn: &mut DbConn, id: i64) -> QueryResult<Vec<i64>> {
    requisition_competencies::table
        .filter(requisition_competencies::requisition_id.eq(id))
        .select(requisition_competencies::competency_id)
        .order(requisition_competencies::competency_id.asc())
        .load(conn)
}

pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Requisition>> {
    requisitions::table
        .filter(super::any_of::any_of(requisitions::id, ids))
        .select(Requisition::as_select())
        .load(conn)
}

/// The competency ids of each of `ids`, in one query (sorted by id).
pub fn competency_ids_of_many(
    conn: &mut DbConn,
    ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, Vec<i64>>> {
    let pairs: Vec<(i64, i64)> = requisition_competencies::table
        .filter(super::any_of::any_of(
            requisition_competencies::requisition_id,
            ids,
        ))
        .select((
            requisition_competencies::requisition_id,
            requisition_competencies::competency_id,
        ))
        .order((
            requisition_competencies::requisition_id,
            requisition_competencies::competency_id,
        ))
        .load(conn)?;
    let mut out: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for (requisition, competency) in pairs {
        out.entry(requisition).or_default().push(competency);
    }
    Ok(out)
}

/// A partial update of a requisition's own columns.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = requisitions)]
pub struct RequisitionChanges {
    pub title: Option<String>,
    pub min_panel_size: Option<i64>,
    pub status: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn update(
    conn: &mut DbConn,
    id: i64,
    changes: &RequisitionChanges,
) -> QueryResult<Requisition> {
    diesel::update(requisitions::table.find(id))
        .set(changes)
        .execute(conn)?;
    requisitions::table
        .find(id)
        .select(Requisition::as_select())
        .first(conn)
}

/// Makes `competency_ids` the requisition's required competencies.
pub fn set_competencies(conn: &mut DbConn, id: i64, competency_ids: &[i64]) -> QueryResult<()> {
    diesel::delete(
        requisition_competencies::table.filter(requisition_competencies::requisition_id.eq(id)),
    )
    .execute(conn)?;
    for competency_id in competency_ids {
        diesel::insert_into(requisition_competencies::table)
            .values((
                requisition_competencies::requisition_id.eq(id),
                requisition_competencies::competency_id.eq(competency_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A page of requisitions: all of them, or those `user_id` recruits or hires for.
pub fn list(
    conn: &mut DbConn,
    user_id: Option<i64>,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Requisition>> {
    let mut query = requisitions::table
        .select(Requisition::as_select())
        .into_boxed();
    if let Some(user_id) = user_id {
        query = query.filter(
            requisitions::recruiter_id
                .eq(user_id)
                .or(requisitions::hiring_manager_id.eq(user_id)),
        );
    }
    if let Some(after) = after {
        query = query.filter(requisitions::id.gt(after));
    }
    query.order(requisitions::id.asc()).limit(limit).load(conn)
}
