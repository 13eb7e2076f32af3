use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::json::Json;
use super::{CurrentUser, List, utc};
use crate::domain::{Page, RequisitionId, UserId};
use crate::error::AllValid;
use crate::http::problem::{ApiError, Problem};
use crate::services::hiring::requisitions::{
    self, NewRole, Requisition, RequisitionRead, RoleEdit, parse_competency_ids,
    parse_min_panel_size, parse_status, parse_title,
};
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
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

impl From<RequisitionRead> for RequisitionView {
    fn from(r: RequisitionRead) -> Self {
        Self::new(r.requisition, r.competency_ids)
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CreateRequisitionRequest {
    #[schema(min_length = 1, max_length = 200)]
    title: String,
    hiring_manager_id: UserId,
    recruiter_id: Option<UserId>,
    #[schema(min_items = 1, max_items = 30)]
    competency_ids: Vec<i64>,
    /// 1 to 20, default 4.
    #[schema(minimum = 1, maximum = 20)]
    min_panel_size: Option<i64>,
}

/// `POST /requisitions` (recruiter, admin).
#[utoipa::path(
    post,
    path = "/api/v1/requisitions",
    tag = "hiring",
    summary = "Open a requisition (recruiter, admin)",
    request_body = CreateRequisitionRequest,
    responses((status = 201, description = "Created", body = RequisitionView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`recruiter_only`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn create_requisition(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateRequisitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (title, competency_ids, min_panel_size) = (
        parse_title(&body.title),
        parse_competency_ids(&body.competency_ids),
        parse_min_panel_size(body.min_panel_size),
    )
        .all_valid()?;
    let new = NewRole {
        title,
        hiring_manager_id: body.hiring_manager_id,
        recruiter_id: body.recruiter_id,
        competency_ids,
        min_panel_size,
    };
    let created = requisitions::create(&state.db, &user.0, new).await?;
    Ok(HttpResponse::Created().json(RequisitionView::from(created)))
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    limit: Option<String>,
    cursor: Option<String>,
}

/// `GET /requisitions`: an admin sees all; others those they recruit or hire for.
#[utoipa::path(
    get,
    path = "/api/v1/requisitions",
    tag = "hiring",
    summary = "Requisitions (admins all; others those they recruit or hire for)",
    params(("limit" = Option<i64>, Query, description = "1 to 200, default 50"), ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page")),
    responses((status = 200, description = "OK", body = List<RequisitionView>), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`recruiter_only`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn list_requisitions(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = Page::parse(query.limit.as_deref(), query.cursor.as_deref())?;
    let listing = requisitions::list(&state.db, &user.0, page).await?;
    Ok(HttpResponse::Ok().json(List::of(listing, RequisitionView::from)))
}

/// `GET /requisitions/{id}`
#[utoipa::path(
    get,
    path = "/api/v1/requisitions/{id}",
    tag = "hiring",
    summary = "One requisition",
    params(("id" = i64, Path, description = "requisition id")),
    responses((status = 200, description = "OK", body = RequisitionView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`recruiter_only`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn get_requisition(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<RequisitionId>,
) -> Result<HttpResponse, ApiError> {
    let found = requisitions::get(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(RequisitionView::from(found)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct UpdateRequisitionRequest {
    #[schema(min_length = 1, max_length = 200)]
    title: Option<String>,
    #[schema(min_items = 1, max_items = 30)]
    competency_ids: Option<Vec<i64>>,
    #[schema(minimum = 1, maximum = 20)]
    min_panel_size: Option<i64>,
    /// `open` or `closed`; a closed requisition takes no new loops.
    #[schema(value_type = Option<RequisitionStatus>)]
    status: Option<String>,
}

/// Whether a requisition takes new loops.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // the document's names for the strings `parse_status` reads
pub enum RequisitionStatus {
    Open,
    Closed,
}

/// `PATCH /requisitions/{id}` (its recruiter, admin): title, competencies,
/// minimum panel, open or closed. Its open loops are re-evaluated.
#[utoipa::path(
    patch,
    path = "/api/v1/requisitions/{id}",
    tag = "hiring",
    summary = "Change a requisition, close or reopen it (its recruiter, admin)",
    params(("id" = i64, Path, description = "requisition id")),
    request_body = UpdateRequisitionRequest,
    responses((status = 200, description = "OK", body = RequisitionView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`recruiter_only`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn update_requisition(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<RequisitionId>,
    body: Json<UpdateRequisitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (title, competency_ids, min_panel_size, open) = (
        body.title.as_deref().map(parse_title).transpose(),
        body.competency_ids
            .as_deref()
            .map(parse_competency_ids)
            .transpose(),
        body.min_panel_size
            .map(|n| parse_min_panel_size(Some(n)))
            .transpose(),
        parse_status(body.status.as_deref()),
    )
        .all_valid()?;
    let edit = RoleEdit {
        title,
        competency_ids,
        min_panel_size,
        open,
    };
    let changed =
        requisitions::update(&state.db, &state.links, &user.0, id.into_inner(), edit).await?;
    Ok(HttpResponse::Ok().json(RequisitionView::from(changed)))
}
