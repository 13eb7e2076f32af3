use actix_web::{HttpResponse, web};

use super::json::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{List, Page, utc};
use crate::auth::CurrentUser;
use crate::db::requisitions::{self, NewRequisition, Requisition};
use crate::db::{DbConn, competencies, now, users};
use crate::domain::{DomainError, OneLine, Role};
use crate::error::{AllValid, ApiError, FieldIssue};
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct RequisitionView {
    id: i64,
    title: String,
    hiring_manager_id: i64,
    recruiter_id: i64,
    competency_ids: Vec<i64>,
    min_panel_size: i64,
    status: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl RequisitionView {
    fn new(r: Requisition, competency_ids: Vec<i64>) -> Self {
        Self {
            id: r.id,
            title: r.title,
            hiring_manager_id: r.hiring_manager_id,
            recruiter_id: r.recruiter_id,
            competency_ids,
            min_panel_size: r.min_panel_size,
            status: r.status,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

fn view(c: &mut DbConn, r: Requisition) -> Result<RequisitionView, ApiError> {
    let ids = requisitions::competency_ids(c, r.id)?;
    Ok(RequisitionView::new(r, ids))
}

#[derive(Debug, Deserialize)]
pub struct CreateRequisitionRequest {
    title: String,
    hiring_manager_id: i64,
    recruiter_id: Option<i64>,
    competency_ids: Vec<i64>,
    min_panel_size: Option<i64>,
}

/// 1 to 30 distinct competencies.
fn parse_competency_ids(raw: &[i64]) -> Result<Vec<i64>, DomainError> {
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

fn parse_min_panel_size(raw: Option<i64>) -> Result<i64, DomainError> {
    match raw.unwrap_or(4) {
        n @ 1..=20 => Ok(n),
        _ => Err(DomainError::invalid(
            "min_panel_size",
            "must be from 1 to 20",
        )),
    }
}

/// `POST /requisitions` (recruiter, admin).
pub async fn create_requisition(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateRequisitionRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require_recruiting()?;
    let body = body.into_inner();
    let (title, ids, min_panel_size) = (
        OneLine::parse("title", &body.title, 200),
        parse_competency_ids(&body.competency_ids),
        parse_min_panel_size(body.min_panel_size),
    )
        .all_valid()?;
    let me = user.0;
    let created = state
        .db
        .write(move |c| {
            // Every reference is checked; every problem is answered at once.
            let mut issues = Vec::new();
            match users::find(c, body.hiring_manager_id)? {
                Some(u) if u.active => {}
                Some(_) => issues.push(FieldIssue::new(
                    "hiring_manager_id",
                    "this user is deactivated",
                )),
                None => issues.push(FieldIssue::new("hiring_manager_id", "no user has this id")),
            }
            let recruiter_id = body.recruiter_id.unwrap_or(me.id);
            match users::find(c, recruiter_id)? {
                Some(u) if u.active && matches!(u.role, Role::Recruiter | Role::Admin) => {}
                _ => issues.push(FieldIssue::new(
                    "recruiter_id",
                    "must be an active recruiter or admin",
                )),
            }
            let found = competencies::find_many(c, &ids)?;
            for id in &ids {
                match found.iter().find(|f| f.id == *id) {
                    None => issues.push(FieldIssue::new(
                        "competency_ids",
                        format!("competency {id} does not exist"),
                    )),
                    Some(f) if !f.active => issues.push(FieldIssue::new(
                        "competency_ids",
                        format!("competency {id} is retired"),
                    )),
                    Some(_) => {}
                }
            }
            if !issues.is_empty() {
                return Err(ApiError::Validation(issues));
            }
            let at = now();
            let new = NewRequisition {
                title: title.as_ref(),
                hiring_manager_id: body.hiring_manager_id,
                recruiter_id,
                min_panel_size,
                status: "open",
                created_at: at,
                updated_at: at,
            };
            let r = requisitions::insert(c, &new, &ids)?;
            view(c, r)
        })
        .await?;
    Ok(HttpResponse::Created().json(created))
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    limit: Option<String>,
    cursor: Option<String>,
}

/// `GET /requisitions`: an admin sees all, a recruiter theirs.
pub async fn list_requisitions(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require_recruiting()?;
    let page = Page::parse(query.limit.as_deref(), query.cursor.as_deref())?;
    let only = (user.0.role != Role::Admin).then_some(user.0.id);
    let list = state
        .db
        .run(move |c| {
            let rows = requisitions::list(c, only, page.after, page.fetch())?;
            let mut views = Vec::with_capacity(rows.len());
            for r in rows {
                views.push((r.id, view(c, r)?));
            }
            Ok(List::from_rows(views, page, |(id, _)| *id, |(_, v)| v))
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// `GET /requisitions/{id}`
pub async fn get_requisition(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    user.require_recruiting()?;
    let id = id.into_inner();
    let me = user.0;
    let found = state
        .db
        .run(move |c| {
            let r = requisitions::find(c, id)?
                .filter(|r| me.role == Role::Admin || r.recruiter_id == me.id)
                .ok_or(ApiError::NotFound)?;
            view(c, r)
        })
        .await?;
    Ok(HttpResponse::Ok().json(found))
}
