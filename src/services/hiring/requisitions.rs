//! Requisitions: the roles being hired for, with the competencies they require.
//! Recruiters see their own, hiring managers those they hire for, admins all.

use super::independence;
use crate::auth::require_recruiting;
use crate::db::loops;
pub use crate::db::requisitions::Requisition;
use crate::db::requisitions::{self, NewRequisition, RequisitionChanges};
use crate::db::users::{self, User};
use crate::db::{Db, DbConn, now};
use crate::domain::{
    DomainError, FieldProblem, Listing, OneLine, Page, RequisitionId, Role, UserId,
};
use crate::error::ServiceError;
use crate::links::Links;
use crate::services::competencies;

/// A requisition with the ids of its required competencies.
#[derive(Debug, Clone)]
pub struct RequisitionRead {
    pub requisition: Requisition,
    pub competency_ids: Vec<i64>,
}

/// A parsed `POST /requisitions`.
#[derive(Debug)]
pub struct NewRole {
    pub title: OneLine,
    pub hiring_manager_id: UserId,
    pub recruiter_id: Option<UserId>,
    pub competency_ids: Vec<i64>,
    pub min_panel_size: i64,
}

/// The most characters of a requisition's title.
pub const TITLE_MAX: usize = 200;

/// A requisition's title: one line of 1 to [`TITLE_MAX`] characters.
pub fn parse_title(raw: &str) -> Result<OneLine, DomainError> {
    OneLine::parse("title", raw, TITLE_MAX)
}

/// `open` or `closed` (`None` when not given): whether it is open.
pub fn parse_status(raw: Option<&str>) -> Result<Option<bool>, DomainError> {
    match raw {
        None => Ok(None),
        Some("open") => Ok(Some(true)),
        Some("closed") => Ok(Some(false)),
        Some(_) => Err(DomainError::invalid("status", "must be open or closed")),
    }
}

/// 1 to 30 distinct competencies.
pub fn parse_competency_ids(raw: &[i64]) -> Result<Vec<i64>, DomainError> {
    if !(1..=30).contains(&raw.len()) {
        return Err(DomainError::invalid(
            "competency_ids",
            "must list 1 to 30 competencies",
        ));
    }
    let mut ids = raw.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() != raw.len() {
        return Err(DomainError::invalid(
            "competency_ids",
            "names a competency twice",
        ));
    }
    Ok(ids)
}

/// 1 to 20 interviews, 4 when not given.
pub fn parse_min_panel_size(raw: Option<i64>) -> Result<i64, DomainError> {
    match raw.unwrap_or(4) {
        n @ 1..=20 => Ok(n),
        _ => Err(DomainError::invalid(
            "min_panel_size",
            "must be from 1 to 20",
        )),
    }
}

/// Reads many requisitions with their competencies in two queries.
fn read_many(c: &mut DbConn, rows: Vec<Requisition>) -> Result<Vec<RequisitionRead>, ServiceError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut competencies = requisitions::competency_ids_of_many(c, &ids)?;
    Ok(rows
        .into_iter()
        .map(|requisition| RequisitionRead {
            competency_ids: competencies.remove(&requisition.id).unwrap_or_default(),
            requisition,
        })
        .collect())
}

/// Opens a requisition. Every reference is checked; every problem is answered at once.
pub async fn create(db: &Db, actor: &User, new: NewRole) -> Result<RequisitionRead, ServiceError> {
    require_recruiting(actor)?;
    let actor = actor.clone();
    db.write(move |c| {
        let mut problems: Vec<FieldProblem> = Vec::new();
        let mut problem = |field: &str, message: &str| {
            problems.push(FieldProblem {
                field: field.into(),
                message: message.into(),
            })
        };
        match users::find(c, new.hiring_manager_id.get())? {
            Some(u) if u.active => {}
            Some(_) => problem("hiring_manager_id", "this user is deactivated"),
            None => problem("hiring_manager_id", "no user has this id"),
        }
        let recruiter_id = new.recruiter_id.map_or(actor.id, UserId::get);
        match users::find(c, recruiter_id)? {
            Some(u) if u.active && u.role.recruits() => {}
            _ => problem("recruiter_id", "must be an active recruiter or admin"),
        }
        if let Err(e) = competencies::check_assignable(
            c,
            |_| "competency_ids".into(),
            &[new.competency_ids.as_slice()],
            &[],
        ) {
            match e {
                ServiceError::Invalid(p) => problems.extend(p),
                other => return Err(other),
            }
        }
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        let at = now();
        let row = NewRequisition {
            title: new.title.as_ref(),
            hiring_manager_id: new.hiring_manager_id.get(),
            recruiter_id,
            min_panel_size: new.min_panel_size,
            status: "open",
            created_at: at,
            updated_at: at,
        };
        let r = requisitions::insert(c, &row, &new.competency_ids)?;
        Ok(RequisitionRead {
            requisition: r,
            competency_ids: new.competency_ids,
        })
    })
    .await
}

/// A page of requisitions: an admin sees all; anyone else those they recruit
/// for or hire for (a hiring manager reads their own).
pub async fn list(
    db: &Db,
    actor: &User,
    page: Page,
) -> Result<Listing<RequisitionRead>, ServiceError> {
    let only = (actor.role != Role::Admin).then_some(actor.id);
    db.run(move |c| {
        let rows = requisitions::list(c, only, page.after, page.fetch())?;
        let listing = page.cut(rows, |r| r.id);
        Ok(Listing {
            items: read_many(c, listing.items)?,
            next: listing.next,
        })
    })
    .await
}

/// Whether `actor` assembles loops for `r`: an admin, or its recruiter.
pub fn recruits_for(actor: &User, r: &Requisition) -> bool {
    actor.role == Role::Admin || r.recruiter_id == actor.id
}

/// The requisition if `actor` may read it (an admin, its recruiter, its hiring
/// manager); `NotFound` otherwise.
fn visible(c: &mut DbConn, actor: &User, id: RequisitionId) -> Result<Requisition, ServiceError> {
    requisitions::find(c, id.get())?
        .filter(|r| recruits_for(actor, r) || r.hiring_manager_id == actor.id)
        .ok_or(ServiceError::NotFound)
}

/// One requisition, for an admin, its recruiter or its hiring manager.
pub async fn get(
    db: &Db,
    actor: &User,
    id: RequisitionId,
) -> Result<RequisitionRead, ServiceError> {
    let actor = actor.clone();
    db.run(move |c| {
        let r = visible(c, &actor, id)?;
        read_many(c, vec![r])?.pop().ok_or(ServiceError::NotFound)
    })
    .await
}

/// A parsed `PATCH /requisitions/{id}`: what is `None` stays.
#[derive(Debug, Default)]
pub struct RoleEdit {
    pub title: Option<OneLine>,
    pub competency_ids: Option<Vec<i64>>,
    pub min_panel_size: Option<i64>,
    pub open: Option<bool>,
}

/// Changes a requisition (its recruiter, an admin). A change of competencies or
/// of the minimum panel re-evaluates its open loops in the same transaction,
/// so a loop it turns red is flagged and its recruiter told.
pub async fn update(
    db: &Db,
    links: &Links,
    actor: &User,
    id: RequisitionId,
    edit: RoleEdit,
) -> Result<RequisitionRead, ServiceError> {
    let (actor, links) = (actor.clone(), links.clone());
    db.write(move |c| {
        let before = visible(c, &actor, id)?;
        if !recruits_for(&actor, &before) {
            return Err(ServiceError::forbidden(
                "recruiter_only",
                "Only the requisition's recruiter or an admin may change it.",
            ));
        }
        if let Some(ids) = &edit.competency_ids {
            let held = requisitions::competency_ids(c, id.get())?;
            competencies::check_assignable(
                c,
                |_| "competency_ids".into(),
                &[ids.as_slice()],
                &[held.as_slice()],
            )?;
        }
        let changes = RequisitionChanges {
            title: edit.title.as_ref().map(|t| t.as_ref().to_owned()),
            min_panel_size: edit.min_panel_size,
            status: edit
                .open
                .map(|o| if o { "open" } else { "closed" }.to_owned()),
            updated_at: Some(now()),
        };
        let after = requisitions::update(c, id.get(), &changes)?;
        if let Some(ids) = &edit.competency_ids {
            requisitions::set_competencies(c, id.get(), ids)?;
        }
        if edit.competency_ids.is_some() || edit.min_panel_size.is_some() {
            let open = loops::open_loops_of_requisition(c, id.get())?;
            independence::reevaluate_loops(c, &open, Some(actor.id), &links)?;
        }
        tracing::info!(
            requisition.id = id.get(),
            by = actor.id,
            "requisition changed"
        );
        read_many(c, vec![after])?
            .pop()
            .ok_or(ServiceError::NotFound)
    })
    .await
}

/// A requisition as the list of requisitions shows it.
#[derive(Debug)]
pub struct RequisitionLine {
    pub read: RequisitionRead,
    pub hiring_manager: String,
    /// Its loops not yet decided or cancelled.
    pub open_loops: i64,
}

/// A page of requisitions with their hiring managers' names and their open
/// loops (four queries): an admin sees all; anyone else those they recruit or
/// hire for.
pub async fn lines(
    db: &Db,
    actor: &User,
    page: Page,
) -> Result<Listing<RequisitionLine>, ServiceError> {
    let only = (actor.role != Role::Admin).then_some(actor.id);
    db.run(move |c| {
        let rows = requisitions::list(c, only, page.after, page.fetch())?;
        let listing = page.cut(rows, |r| r.id);
        let ids: Vec<i64> = listing.items.iter().map(|r| r.id).collect();
        let open = loops::open_per_requisition(c, &ids)?;
        let managers: Vec<i64> = listing.items.iter().map(|r| r.hiring_manager_id).collect();
        let names: std::collections::HashMap<i64, String> = users::find_many(c, &managers)?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        Ok(Listing {
            items: read_many(c, listing.items)?
                .into_iter()
                .map(|read| RequisitionLine {
                    hiring_manager: names
                        .get(&read.requisition.hiring_manager_id)
                        .cloned()
                        .unwrap_or_default(),
                    open_loops: open.get(&read.requisition.id).copied().unwrap_or(0),
                    read,
                })
                .collect(),
            next: listing.next,
        })
    })
    .await
}

/// One requisition's page: the requisition, who hires and recruits for it,
/// its competencies by name, whether the reader may change it, and its loops.
#[derive(Debug)]
pub struct RequisitionPage {
    pub read: RequisitionRead,
    pub hiring_manager: String,
    pub recruiter: String,
    pub competencies: Vec<crate::db::competencies::Competency>,
    /// Its recruiter or an admin: edit, close and reopen.
    pub may_change: bool,
    /// What an edit may require, by name: the active competencies and its own.
    pub library: Vec<crate::db::competencies::Competency>,
    pub loops: super::board::Board,
}

/// [`RequisitionPage`] for an admin, its recruiter or its hiring manager.
pub async fn page(
    db: &Db,
    actor: &User,
    id: RequisitionId,
    now: chrono::NaiveDateTime,
) -> Result<RequisitionPage, ServiceError> {
    let actor = actor.clone();
    db.run(move |c| {
        let r = visible(c, &actor, id)?;
        let may_change = recruits_for(&actor, &r);
        let read = read_many(c, vec![r])?.pop().ok_or(ServiceError::NotFound)?;
        let people = users::find_many(
            c,
            &[
                read.requisition.hiring_manager_id,
                read.requisition.recruiter_id,
            ],
        )?;
        let person = |id: i64| people.iter().find(|u| u.id == id);
        let hiring_manager = person(read.requisition.hiring_manager_id)
            .ok_or(ServiceError::NotFound)?
            .name
            .clone();
        let recruiter =
            person(read.requisition.recruiter_id).map_or_else(String::new, |u| u.name.clone());
        let competencies = crate::db::competencies::find_many(c, &read.competency_ids)?;
        let filter = super::board::BoardFilter {
            requisition_id: Some(id),
            ..Default::default()
        };
        let loops = super::board::board_in(c, &actor, &filter, 200, now)?;
        let mut library = Vec::new();
        if may_change {
            library = crate::db::competencies::list(c, Some(true), None, 500)?;
            library.extend(competencies.iter().filter(|x| !x.active).cloned());
            library.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        }
        Ok(RequisitionPage {
            read,
            hiring_manager,
            recruiter,
            competencies,
            may_change,
            library,
            loops,
        })
    })
    .await
}
