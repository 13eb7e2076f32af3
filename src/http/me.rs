use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::auth::TokenResponse;
use super::json::Json;
use super::{CurrentUser, UserView};
use crate::auth::{self, Caller};
use crate::domain::NewPassword;
use crate::http::problem::{ApiError, Problem};
use crate::state::AppState;

/// `GET /me`
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "auth",
    summary = "The caller",
    responses((status = 200, description = "OK", body = UserView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem)),
)]
pub async fn get_me(user: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(UserView::from(user.0))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ChangePasswordRequest {
    current_password: String,
    #[schema(min_length = 12, max_length = 128)]
    new_password: String,
}

/// `POST /me/password`: revokes every earlier token and returns a fresh one.
#[utoipa::path(
    post,
    path = "/api/v1/me/password",
    tag = "auth",
    summary = "Change one's password (earlier tokens stop working)",
    request_body = ChangePasswordRequest,
    responses((status = 200, description = "OK", body = TokenResponse), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 422, description = "`validation_failed`: `current_password` does not match, or `new_password` is not 12 to 128 characters", body = Problem), (status = 429, description = "`too_many_attempts`: shares the sign-in budget", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let ChangePasswordRequest {
        current_password,
        new_password,
    } = body.into_inner();
    let new_password = NewPassword::parse("new_password", new_password)?;
    let (updated, key) = auth::change_password(
        &state.db,
        &state.passwords,
        caller,
        current_password,
        new_password,
    )
    .await?;
    Ok(HttpResponse::Ok().json(TokenResponse::issue(&state, updated, &key)?))
}

/// `DELETE /me/sessions`: signs the caller out everywhere.
#[utoipa::path(
    delete,
    path = "/api/v1/me/sessions",
    tag = "auth",
    summary = "Sign out of every session: every browser and every token of the caller stops working at once",
    responses((status = 204, description = "Every session ended, this token's too"), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn end_sessions(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    auth::sign_out_everywhere(&state.db, caller).await?;
    Ok(HttpResponse::NoContent().finish())
}
