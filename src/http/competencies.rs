use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::json::Json;
use super::{CurrentUser, List, utc};
use crate::domain::{
    Anchors, CompetencyId, CompetencyKey, DomainError, LongText, OneLine, Page, Questions,
    parse_flag,
};
use crate::error::AllValid;
use crate::http::problem::{ApiError, Problem};
use crate::services::competencies::{self, Competency, NewRubric, RubricEdit};
use crate::state::AppState;

/// The rating anchors, keyed by rating: 1 = strong concern … 4 = strong evidence.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AnchorsDto {
    #[serde(rename = "1")]
    #[schema(min_length = 1, max_length = 2000)]
    one: String,
    #[serde(rename = "2")]
    #[schema(min_length = 1, max_length = 2000)]
    two: String,
    #[serde(rename = "3")]
    #[schema(min_length = 1, max_length = 2000)]
    three: String,
    #[serde(rename = "4")]
    #[schema(min_length = 1, max_length = 2000)]
    four: String,
}

impl AnchorsDto {
    fn parse(&self) -> Result<Anchors, DomainError> {
        Anchors::parse([&self.one, &self.two, &self.three, &self.four])
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CompetencyView {
    id: i64,
    key: String,
    name: String,
    description: String,
    anchors: AnchorsDto,
    questions: Vec<String>,
    active: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<Competency> for CompetencyView {
    fn from(c: Competency) -> Self {
        let questions = c.questions();
        Self {
            id: c.id,
            key: c.key,
            name: c.name,
            description: c.description,
            anchors: AnchorsDto {
                one: c.anchor_1,
                two: c.anchor_2,
                three: c.anchor_3,
                four: c.anchor_4,
            },
            questions,
            active: c.active,
            created_at: utc(c.created_at),
            updated_at: utc(c.updated_at),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ListCompetenciesQuery {
    active: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

/// `GET /competencies` (`?active=true|false`; both by default, so retired
/// competencies of old loops stay readable).
#[utoipa::path(
    get,
    path = "/api/v1/competencies",
    tag = "competencies",
    summary = "The competency library",
    params(("active" = Option<bool>, Query, description = "only active or only retired"), ("limit" = Option<i64>, Query, description = "1 to 200, default 50"), ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page")),
    responses((status = 200, description = "OK", body = List<CompetencyView>), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn list_competencies(
    state: web::Data<AppState>,
    _user: CurrentUser,
    query: web::Query<ListCompetenciesQuery>,
) -> Result<HttpResponse, ApiError> {
    let (page, active) = (
        Page::parse(query.limit.as_deref(), query.cursor.as_deref()),
        parse_flag("active", query.active.as_deref()),
    )
        .all_valid()?;
    let listing = competencies::list(&state.db, active, page).await?;
    Ok(HttpResponse::Ok().json(List::of(listing, CompetencyView::from)))
}

/// `GET /competencies/{id}`
#[utoipa::path(
    get,
    path = "/api/v1/competencies/{id}",
    tag = "competencies",
    summary = "One competency",
    params(("id" = i64, Path, description = "competency id")),
    responses((status = 200, description = "OK", body = CompetencyView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn get_competency(
    state: web::Data<AppState>,
    _user: CurrentUser,
    id: web::Path<CompetencyId>,
) -> Result<HttpResponse, ApiError> {
    let row = competencies::get(&state.db, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(CompetencyView::from(row)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CreateCompetencyRequest {
    /// 2 to 64 characters: lower-case letters, digits and `_`.
    #[schema(pattern = "^[a-z0-9_]{2,64}$")]
    key: String,
    #[schema(min_length = 1, max_length = 200)]
    name: String,
    #[schema(min_length = 1, max_length = 4000)]
    description: String,
    anchors: AnchorsDto,
    /// 1 to 20 behavioural questions, each up to 1000 characters.
    #[schema(min_items = 1, max_items = 20)]
    questions: Vec<String>,
}

/// `POST /competencies` (admin).
#[utoipa::path(
    post,
    path = "/api/v1/competencies",
    tag = "competencies",
    summary = "Add a competency (admin)",
    request_body = CreateCompetencyRequest,
    responses((status = 201, description = "Created", body = CompetencyView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 409, description = "`key_taken`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn create_competency(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateCompetencyRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (key, name, description, anchors, questions) = (
        CompetencyKey::parse(&body.key),
        OneLine::parse("name", &body.name, competencies::NAME_MAX),
        LongText::parse(
            "description",
            &body.description,
            competencies::DESCRIPTION_MAX,
        ),
        body.anchors.parse(),
        Questions::parse(&body.questions),
    )
        .all_valid()?;
    let new = NewRubric {
        key,
        name,
        description,
        anchors,
        questions,
    };
    let created = competencies::create(&state.db, &user.0, new).await?;
    Ok(HttpResponse::Created().json(CompetencyView::from(created)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct UpdateCompetencyRequest {
    #[schema(min_length = 1, max_length = 200)]
    name: Option<String>,
    #[schema(min_length = 1, max_length = 4000)]
    description: Option<String>,
    anchors: Option<AnchorsDto>,
    #[schema(min_items = 1, max_items = 20)]
    questions: Option<Vec<String>>,
    /// `false` retires the competency: it stays on the loops that use it.
    active: Option<bool>,
}

/// `PATCH /competencies/{id}` (admin): edit, retire (`active: false`) or restore.
#[utoipa::path(
    patch,
    path = "/api/v1/competencies/{id}",
    tag = "competencies",
    summary = "Edit, retire or restore a competency (admin)",
    request_body = UpdateCompetencyRequest,
    params(("id" = i64, Path, description = "competency id")),
    responses((status = 200, description = "OK", body = CompetencyView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn update_competency(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<CompetencyId>,
    body: Json<UpdateCompetencyRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (name, description, anchors, questions) = (
        body.name
            .as_deref()
            .map(|n| OneLine::parse("name", n, competencies::NAME_MAX))
            .transpose(),
        body.description
            .as_deref()
            .map(|d| LongText::parse("description", d, competencies::DESCRIPTION_MAX))
            .transpose(),
        body.anchors.as_ref().map(AnchorsDto::parse).transpose(),
        body.questions.as_deref().map(Questions::parse).transpose(),
    )
        .all_valid()?;
    let edit = RubricEdit {
        name,
        description,
        anchors,
        questions,
        active: body.active,
    };
    let updated = crate::services::hiring::competencies::update_competency(
        &state.db,
        &state.links,
        &user.0,
        id.into_inner(),
        edit,
    )
    .await?;
    Ok(HttpResponse::Ok().json(CompetencyView::from(updated)))
}
