use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::json::Json;
use super::{CurrentUser, List, double_option, utc};
use crate::domain::{
    BarRaiserStatus, Email, NewPassword, OneLine, Page, PersonName, Role, UserId, parse_flag,
};
use crate::error::AllValid;
use crate::http::problem::{ApiError, Problem};
use crate::services::people::{self, NewAccount, User, UserEdit, UserFilter};
use crate::state::AppState;

use crate::domain::DEPARTMENT_MAX;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub manager_id: Option<i64>,
    pub department: Option<String>,
    pub bar_raiser: BarRaiserStatus,
    pub active: bool,
    /// The IANA time zone pages and mail use for this person (null until chosen).
    pub time_zone: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        Self {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            manager_id: u.manager_id,
            department: u.department,
            bar_raiser: u.bar_raiser,
            active: u.active,
            time_zone: u.time_zone,
            created_at: utc(u.created_at),
            updated_at: utc(u.updated_at),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ListUsersQuery {
    role: Option<String>,
    bar_raiser: Option<String>,
    active: Option<String>,
    q: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

/// `GET /users`: the directory, for any signed-in user.
#[utoipa::path(
    get,
    path = "/api/v1/users",
    tag = "people",
    summary = "The directory",
    params(("role" = inline(Option<Role>), Query, description = "admin, recruiter or member"), ("bar_raiser" = inline(Option<BarRaiserStatus>), Query, description = "none, in_training, certified or inactive"), ("active" = Option<bool>, Query, description = "true or false"), ("q" = Option<String>, Query, description = "part of a name or email, case-insensitive"), ("limit" = Option<i64>, Query, description = "1 to 200, default 50"), ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page")),
    responses((status = 200, description = "OK", body = List<UserView>), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn list_users(
    state: web::Data<AppState>,
    _user: CurrentUser,
    query: web::Query<ListUsersQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let (page, active, text, role, bar_raiser) = (
        Page::parse(q.limit.as_deref(), q.cursor.as_deref()),
        parse_flag("active", q.active.as_deref()),
        OneLine::parse_optional("q", q.q.as_deref(), 200),
        q.role.as_deref().map(str::parse::<Role>).transpose(),
        q.bar_raiser
            .as_deref()
            .map(str::parse::<BarRaiserStatus>)
            .transpose(),
    )
        .all_valid()?;
    let filter = UserFilter {
        role,
        bar_raiser,
        active,
        query: text.map(OneLine::into_string),
    };
    let listing = people::list(&state.db, filter, page).await?;
    Ok(HttpResponse::Ok().json(List::of(listing, UserView::from)))
}

/// `GET /users/{id}`
#[utoipa::path(
    get,
    path = "/api/v1/users/{id}",
    tag = "people",
    summary = "One person",
    params(("id" = i64, Path, description = "user id")),
    responses((status = 200, description = "OK", body = UserView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn get_user(
    state: web::Data<AppState>,
    _user: CurrentUser,
    id: web::Path<UserId>,
) -> Result<HttpResponse, ApiError> {
    let user = people::get(&state.db, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(UserView::from(user)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CreateUserRequest {
    #[schema(format = Email, max_length = 254)]
    email: String,
    #[schema(min_length = 1, max_length = 200)]
    name: String,
    /// 12 to 128 characters; without it, the person is mailed a single-use
    /// link to choose one (valid 72 hours).
    #[schema(min_length = 12, max_length = 128)]
    password: Option<String>,
    #[schema(value_type = Role)]
    role: String,
    manager_id: Option<UserId>,
    #[schema(max_length = 200)]
    department: Option<String>,
}

/// `POST /users` (admin).
#[utoipa::path(
    post,
    path = "/api/v1/users",
    tag = "people",
    summary = "Create an account (admin)",
    request_body = CreateUserRequest,
    responses((status = 201, description = "Created", body = UserView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 409, description = "`email_taken`", body = Problem), (status = 422, description = "`validation_failed` (every field problem), `reporting_cycle`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn create_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (email, name, password, role, department) = (
        Email::parse("email", &body.email),
        PersonName::parse("name", &body.name),
        body.password
            .map(|p| NewPassword::parse("password", p))
            .transpose(),
        body.role.parse::<Role>(),
        OneLine::parse_optional("department", body.department.as_deref(), DEPARTMENT_MAX),
    )
        .all_valid()?;
    let account = NewAccount {
        email,
        name,
        role,
        manager_id: body.manager_id,
        department,
    };
    let created = people::create(
        &state.db,
        &state.passwords,
        &state.links,
        &user.0,
        account,
        password,
    )
    .await?;
    Ok(HttpResponse::Created().json(UserView::from(created)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct UpdateUserRequest {
    #[schema(min_length = 1, max_length = 200)]
    name: Option<String>,
    #[schema(value_type = Option<Role>)]
    role: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    manager_id: Option<Option<UserId>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(max_length = 200)]
    department: Option<Option<String>>,
    active: Option<bool>,
}

/// `PATCH /users/{id}` (admin): name, role, manager, department, active.
#[utoipa::path(
    patch,
    path = "/api/v1/users/{id}",
    tag = "people",
    summary = "Change a person (admin)",
    request_body = UpdateUserRequest,
    params(("id" = i64, Path, description = "user id")),
    responses((status = 200, description = "OK", body = UserView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 409, description = "`self_lockout`", body = Problem), (status = 422, description = "`validation_failed`, `reporting_cycle` (the detail names the people)", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn update_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<UserId>,
    body: Json<UpdateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (name, role, department) = (
        body.name
            .as_deref()
            .map(|n| PersonName::parse("name", n))
            .transpose(),
        body.role.as_deref().map(str::parse::<Role>).transpose(),
        body.department
            .map(|d| OneLine::parse_optional("department", d.as_deref(), DEPARTMENT_MAX))
            .transpose(),
    )
        .all_valid()?;
    let edit = UserEdit {
        name,
        role,
        manager_id: body.manager_id,
        department,
        active: body.active,
    };
    let updated = people::update(&state.db, &state.links, &user.0, id.into_inner(), edit).await?;
    Ok(HttpResponse::Ok().json(UserView::from(updated)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SetBarRaiserRequest {
    #[schema(value_type = BarRaiserStatus)]
    status: String,
}

/// `PUT /users/{id}/bar-raiser` (admin).
#[utoipa::path(
    put,
    path = "/api/v1/users/{id}/bar-raiser",
    tag = "people",
    summary = "Set bar raiser status (admin)",
    request_body = SetBarRaiserRequest,
    params(("id" = i64, Path, description = "user id")),
    responses((status = 200, description = "OK", body = UserView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn set_bar_raiser(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<UserId>,
    body: Json<SetBarRaiserRequest>,
) -> Result<HttpResponse, ApiError> {
    let status: BarRaiserStatus = body.status.parse()?;
    let updated =
        people::set_bar_raiser(&state.db, &state.links, &user.0, id.into_inner(), status).await?;
    Ok(HttpResponse::Ok().json(UserView::from(updated)))
}
