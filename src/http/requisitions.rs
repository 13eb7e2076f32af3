use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::{List, Page, utc};
use crate::auth::CurrentUser;
use crate::db::requisitions::{self, NewRequisition, Requisition};
use crate::db::{DbConn, competencies, now, users};
use crate::domain::Role;
use crate::error::ApiError;
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

#[derive(Debug, Deserialize, Validate)]
pub struct CreateRequisitionRequest {
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    title: String,
    hiring_manager_id: i64,
    recruiter_id: Option<i64>,
    #[validate(length(min = 1, max = 30, message = "must list 1 to 30 competencies"))]
    competency_ids: Vec<i64>,
    #[validate(range(min = 1, max = 20, message = "must be from 1 to 20"))]
    min_panel_size: Option<i64>,
}

/// `POST /requisitions` (recruiter, admin).
pub async fn create_requisition(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<CreateRequisitionRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require_recruiting()?;
    let body = body.into_inner();
    body.validate()?;
    let title = body.title.trim().to_owned();
    if title.is_empty() {
        return Err(ApiError::field("title", "must not be blank"));
    }
    let mut ids = body.competency_ids.clone();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() != body.competency_ids.len() {
        return Err(ApiError::field(
            "competency_ids",
            "names a competency twice",
        ));
    }
    let me = user.0;
    let created = state
        .db
        .write(move |c| {
            match users::find(c, body.hiring_manager_id)? {
                Some(u) if u.active => {}
                Some(_) => {
                    return Err(ApiError::field(
                        "hiring_manager_id",
                        "this user is deactivated",
                    ));
                }
                None => return Err(ApiError::field("hiring_manager_id", "no user has this id")),
            }
            let recruiter_id = body.recruiter_id.unwrap_or(me.id);
            match users::find(c, recruiter_id)? {
                Some(u) if u.active && matches!(u.role, Role::Recruiter | Role::Admin) => {}
                _ => {
                    return Err(ApiError::field(
                        "recruiter_id",
                        "must be an active recruiter or admin",
                    ));
                }
            }
            let found = competencies::find_many(c, &ids)?;
            if let Some(missing) = ids.iter().find(|id| !found.iter().any(|f| f.id == **id)) {
                return Err(ApiError::field(
                    "competency_ids",
                    format!("competency {missing} does not exist"),
                ));
            }
            if let Some(retired) = found.iter().find(|f| !f.active) {
                return Err(ApiError::field(
                    "competency_ids",
                    format!("competency {} is retired", retired.id),
                ));
            }
            let at = now();
            let new = NewRequisition {
                title: &title,
                hiring_manager_id: body.hiring_manager_id,
                recruiter_id,
                min_panel_size: body.min_panel_size.unwrap_or(4),
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
