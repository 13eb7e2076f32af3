use crate::auth::Caller;
use crate::domain::FeedbackWindow;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::json::Json;
use super::{CurrentUser, List, utc};
use crate::domain::feedback::FeedbackStatus;
use crate::domain::independence::Report;
use crate::domain::panel::{ProposedInterview, RawInterview, parse_panel};
use crate::domain::{
    CandidateId, DomainError, LoopId, LoopStatus, Page, RequisitionId, UserId, parse_cancel_reason,
};
use crate::error::AllValid;
use crate::http::problem::{ApiError, Problem};
use crate::services::hiring::loops::{self, LoopEdit, LoopFilter, NewLoop, Participation};
use crate::services::hiring::read::LoopRead;
use crate::services::hiring::suggestions::Suggestion;
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InterviewView {
    id: i64,
    interviewer_id: i64,
    competency_ids: Vec<i64>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    feedback_due_at: DateTime<Utc>,
    feedback_status: FeedbackStatus,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LoopView {
    id: i64,
    status: LoopStatus,
    requisition_id: i64,
    candidate_id: i64,
    hiring_manager_id: i64,
    recruiter_id: i64,
    bar_raiser_id: i64,
    feedback_window_hours: i64,
    interviews: Vec<InterviewView>,
    independence: Report,
    /// The report turned red after scheduling; the debrief cannot open until it is green.
    flagged: bool,
    flagged_at: Option<DateTime<Utc>>,
    cancel_reason: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<LoopRead> for LoopView {
    fn from(read: LoopRead) -> Self {
        let LoopRead { lp, panel, report } = read;
        Self {
            id: lp.id,
            status: lp.status,
            requisition_id: lp.requisition_id,
            candidate_id: lp.candidate_id,
            hiring_manager_id: lp.hiring_manager_id,
            recruiter_id: lp.recruiter_id,
            bar_raiser_id: lp.bar_raiser_id,
            feedback_window_hours: lp.feedback_window_hours,
            interviews: panel
                .into_iter()
                .map(|p| InterviewView {
                    feedback_status: p.feedback(),
                    id: p.interview.id,
                    interviewer_id: p.interview.interviewer_id,
                    competency_ids: p.competency_ids,
                    starts_at: utc(p.interview.starts_at),
                    ends_at: utc(p.interview.ends_at),
                    feedback_due_at: utc(p.interview.feedback_due_at),
                })
                .collect(),
            independence: report,
            flagged: lp.flagged_at.is_some(),
            flagged_at: lp.flagged_at.map(utc),
            cancel_reason: lp.cancel_reason,
            created_at: utc(lp.created_at),
            updated_at: utc(lp.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct InterviewInput {
    id: Option<i64>,
    interviewer_id: i64,
    #[schema(min_items = 1)]
    competency_ids: Vec<i64>,
    /// RFC 3339 with an offset, between 2000 and 2100.
    #[schema(format = DateTime)]
    starts_at: String,
    /// RFC 3339 with an offset, after `starts_at`.
    #[schema(format = DateTime)]
    ends_at: String,
}

fn panel(input: &[InterviewInput]) -> Result<Vec<ProposedInterview>, DomainError> {
    let raw: Vec<RawInterview> = input
        .iter()
        .map(|i| RawInterview {
            id: i.id,
            interviewer_id: i.interviewer_id,
            competency_ids: &i.competency_ids,
            starts_at: &i.starts_at,
            ends_at: &i.ends_at,
        })
        .collect();
    parse_panel(&raw)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CreateLoopRequest {
    requisition_id: RequisitionId,
    candidate_id: CandidateId,
    bar_raiser_id: UserId,
    hiring_manager_id: Option<UserId>,
    recruiter_id: Option<UserId>,
    /// 1 to 336 hours, default 24.
    #[schema(minimum = 1, maximum = 336)]
    feedback_window_hours: Option<i64>,
    #[serde(default)]
    #[schema(max_items = 20)]
    interviews: Vec<InterviewInput>,
}

/// `POST /loops` (recruiter, admin): a draft with its report, even when red.
#[utoipa::path(
    post,
    path = "/api/v1/loops",
    tag = "loops",
    summary = "Assemble a loop (a draft with its report)",
    request_body = CreateLoopRequest,
    responses((status = 201, description = "Created", body = LoopView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`recruiter_only`", body = Problem), (status = 409, description = "`loop_already_open`: the candidate has an open loop for this requisition", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn create_loop(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateLoopRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let window = FeedbackWindow::parse(body.feedback_window_hours);
    let no_ids = match body.interviews.iter().position(|i| i.id.is_some()) {
        Some(i) => Err(DomainError::invalid(
            format!("interviews[{i}].id"),
            "a new loop has no existing interviews",
        )),
        None => Ok(()),
    };
    let (window, (), panel) = (window, no_ids, panel(&body.interviews)).all_valid()?;
    let input = NewLoop {
        requisition_id: body.requisition_id,
        candidate_id: body.candidate_id,
        bar_raiser_id: body.bar_raiser_id,
        hiring_manager_id: body.hiring_manager_id,
        recruiter_id: body.recruiter_id,
        feedback_window: window,
        panel,
    };
    let created = loops::create(&state.db, &user.0, input).await?;
    Ok(HttpResponse::Created().json(LoopView::from(created)))
}

#[derive(Debug, Deserialize)]
pub struct ListLoopsQuery {
    status: Option<String>,
    role: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

fn parse_role(raw: Option<&str>) -> Result<Option<Participation>, DomainError> {
    match raw {
        None => Ok(None),
        Some("recruiter") => Ok(Some(Participation::Recruiter)),
        Some("hiring_manager") => Ok(Some(Participation::HiringManager)),
        Some("bar_raiser") => Ok(Some(Participation::BarRaiser)),
        Some("interviewer") => Ok(Some(Participation::Interviewer)),
        Some(_) => Err(DomainError::invalid(
            "role",
            "must be recruiter, hiring_manager, bar_raiser or interviewer",
        )),
    }
}

/// `GET /loops?status=&role=`: the loops the caller may see.
#[utoipa::path(
    get,
    path = "/api/v1/loops",
    tag = "loops",
    summary = "The loops the caller may see",
    params(("status" = inline(Option<LoopStatus>), Query, description = "a loop status"), ("role" = inline(Option<LoopRole>), Query, description = "recruiter, hiring_manager, bar_raiser or interviewer"), ("limit" = Option<i64>, Query, description = "1 to 200, default 50"), ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page")),
    responses((status = 200, description = "OK", body = List<LoopView>), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn list_loops(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ListLoopsQuery>,
) -> Result<HttpResponse, ApiError> {
    let (page, status, role) = (
        Page::parse(query.limit.as_deref(), query.cursor.as_deref()),
        query
            .status
            .as_deref()
            .map(str::parse::<LoopStatus>)
            .transpose(),
        parse_role(query.role.as_deref()),
    )
        .all_valid()?;
    let listing = loops::list(&state.db, caller, LoopFilter { role, status }, page).await?;
    Ok(HttpResponse::Ok().json(List::of(listing, LoopView::from)))
}

/// `GET /loops/{id}` (participants, admin).
#[utoipa::path(
    get,
    path = "/api/v1/loops/{id}",
    tag = "loops",
    summary = "One loop with a fresh independence report",
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 200, description = "OK", body = LoopView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn get_loop(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, ApiError> {
    let found = loops::get(&state.db, caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(LoopView::from(found)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct UpdateLoopRequest {
    bar_raiser_id: Option<UserId>,
    #[schema(max_items = 20)]
    interviews: Option<Vec<InterviewInput>>,
}

/// `PATCH /loops/{id}` (its recruiter, admin): bar raiser and panel.
#[utoipa::path(
    patch,
    path = "/api/v1/loops/{id}",
    tag = "loops",
    summary = "Edit the bar raiser and the panel",
    request_body = UpdateLoopRequest,
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 200, description = "OK", body = LoopView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`not_allowed`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 409, description = "`loop_not_editable`, `feedback_submitted`", body = Problem), (status = 422, description = "`validation_failed`, `independence_failed` (a scheduled green loop would turn red; with `failing`)", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn update_loop(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
    body: Json<UpdateLoopRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let edit = LoopEdit {
        bar_raiser_id: body.bar_raiser_id,
        panel: body.interviews.as_deref().map(panel).transpose()?,
    };
    let updated = loops::edit(&state.db, &state.links, &user.0, id.into_inner(), edit).await?;
    Ok(HttpResponse::Ok().json(LoopView::from(updated)))
}

/// `POST /loops/{id}/schedule` (its recruiter, admin).
#[utoipa::path(
    post,
    path = "/api/v1/loops/{id}/schedule",
    tag = "loops",
    summary = "Schedule a green loop",
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 200, description = "OK", body = LoopView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`not_allowed`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 409, description = "`invalid_transition`", body = Problem), (status = 422, description = "`independence_failed`, with `failing`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn schedule_loop(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, ApiError> {
    let updated = loops::schedule(&state.db, &state.links, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(LoopView::from(updated)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CancelRequest {
    #[schema(min_length = 1, max_length = 1000)]
    reason: String,
}

/// `POST /loops/{id}/cancel` (its recruiter, admin).
#[utoipa::path(
    post,
    path = "/api/v1/loops/{id}/cancel",
    tag = "loops",
    summary = "Cancel a loop",
    request_body = CancelRequest,
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 200, description = "OK", body = LoopView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`not_allowed`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 409, description = "`invalid_transition`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn cancel_loop(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
    body: Json<CancelRequest>,
) -> Result<HttpResponse, ApiError> {
    let reason = parse_cancel_reason(&body.reason)?;
    let updated = loops::cancel(&state.db, &state.links, &user.0, id.into_inner(), reason).await?;
    Ok(HttpResponse::Ok().json(LoopView::from(updated)))
}

/// `GET /loops/{id}/independence` (its recruiter, bar raiser, hiring manager; admin).
#[utoipa::path(
    get,
    path = "/api/v1/loops/{id}/independence",
    tag = "loops",
    summary = "A fresh independence report",
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 200, description = "OK", body = Report), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`not_allowed`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn get_independence(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, ApiError> {
    let report = loops::independence(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(report))
}

/// Eligible bar raisers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SuggestionList {
    items: Vec<Suggestion>,
}

/// `GET /loops/{id}/bar-raiser-suggestions` (its recruiter, admin).
#[utoipa::path(
    get,
    path = "/api/v1/loops/{id}/bar-raiser-suggestions",
    tag = "loops",
    summary = "Eligible bar raisers, least loaded first",
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 200, description = "OK", body = SuggestionList), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`not_allowed`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn get_bar_raiser_suggestions(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, ApiError> {
    let items = loops::bar_raiser_suggestions(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(SuggestionList { items }))
}

/// The caller's part in the loops `GET /loops` lists (the strings `parse_role` reads).
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // named in the document only
pub enum LoopRole {
    Recruiter,
    HiringManager,
    BarRaiser,
    Interviewer,
}
