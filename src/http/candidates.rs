use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::json::Json;
use super::{CurrentUser, List, utc};
use crate::domain::{CandidateId, Email, OneLine, Page, PersonName, UserId};
use crate::error::AllValid;
use crate::http::problem::{ApiError, Problem};
use crate::services::hiring::candidates::{self, Candidate, NewPerson};
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CandidateView {
    id: i64,
    name: String,
    email: String,
    referred_by_id: Option<i64>,
    erased: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<Candidate> for CandidateView {
    fn from(c: Candidate) -> Self {
        Self {
            id: c.id,
            name: c.name,
            email: c.email,
            referred_by_id: c.referred_by_id,
            erased: c.erased_at.is_some(),
            created_at: utc(c.created_at),
            updated_at: utc(c.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CreateCandidateRequest {
    #[schema(min_length = 1, max_length = 200)]
    name: String,
    #[schema(format = Email, max_length = 254)]
    email: String,
    referred_by_id: Option<UserId>,
}

/// `POST /candidates` (recruiter, admin).
#[utoipa::path(
    post,
    path = "/api/v1/candidates",
    tag = "hiring",
    summary = "Add a candidate (recruiter, admin)",
    request_body = CreateCandidateRequest,
    responses((status = 201, description = "Created", body = CandidateView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`recruiter_only`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn create_candidate(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateCandidateRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (name, email) = (
        PersonName::parse("name", &body.name),
        Email::parse("email", &body.email),
    )
        .all_valid()?;
    let new = NewPerson {
        name,
        email,
        referred_by_id: body.referred_by_id,
    };
    let created = candidates::create(&state.db, &user.0, new).await?;
    Ok(HttpResponse::Created().json(CandidateView::from(created)))
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

/// `GET /candidates?q=`: a recruiter's own candidates, all of them for an admin.
#[utoipa::path(
    get,
    path = "/api/v1/candidates",
    tag = "hiring",
    summary = "Candidates (recruiters their own, admins all), matching `q`",
    params(("q" = Option<String>, Query, description = "part of the name or email, case-insensitive"), ("limit" = Option<i64>, Query, description = "1 to 200, default 50"), ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page")),
    responses((status = 200, description = "OK", body = List<CandidateView>), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`recruiter_only`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn list_candidates(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let (page, q) = (
        Page::parse(query.limit.as_deref(), query.cursor.as_deref()),
        query
            .q
            .as_deref()
            .filter(|q| !q.trim().is_empty())
            .map(|q| OneLine::parse("q", q.trim(), 200))
            .transpose(),
    )
        .all_valid()?;
    let listing = candidates::list(&state.db, &user.0, q, page).await?;
    Ok(HttpResponse::Ok().json(List::of(listing, CandidateView::from)))
}

/// `GET /candidates/{id}`
#[utoipa::path(
    get,
    path = "/api/v1/candidates/{id}",
    tag = "hiring",
    summary = "One candidate",
    params(("id" = i64, Path, description = "candidate id")),
    responses((status = 200, description = "OK", body = CandidateView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn get_candidate(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<CandidateId>,
) -> Result<HttpResponse, ApiError> {
    let candidate = candidates::get(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(CandidateView::from(candidate)))
}

/// `DELETE /candidates/{id}`: erases personal data (admin, the recruiter who
/// added them, or the recruiter of one of their loops). Loops stay.
#[utoipa::path(
    delete,
    path = "/api/v1/candidates/{id}",
    tag = "hiring",
    summary = "Erase a candidate's personal data",
    params(("id" = i64, Path, description = "candidate id")),
    responses((status = 200, description = "OK", body = CandidateView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`recruiter_only`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn erase_candidate(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<CandidateId>,
) -> Result<HttpResponse, ApiError> {
    let erased = candidates::erase(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(CandidateView::from(erased)))
}
