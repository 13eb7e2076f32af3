use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::UserView;
use super::json::Json;
use crate::auth::{self, TOKEN_LIFETIME_SECS};
use crate::error::ServiceError;
use crate::http::problem::{ApiError, Problem};
use crate::people::User;
use crate::state::AppState;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    email: String,
    password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    access_token: String,
    token_type: &'static str,
    expires_in: i64,
    user: UserView,
}

impl TokenResponse {
    pub fn issue(state: &AppState, user: User) -> Result<Self, ApiError> {
        let access_token = state
            .tokens
            .issue(user.id, user.token_version)
            .map_err(ServiceError::Internal)?;
        Ok(Self {
            access_token,
            token_type: "Bearer",
            expires_in: TOKEN_LIFETIME_SECS,
            user: UserView::from(user),
        })
    }
}

/// `POST /auth/login`.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    summary = "Sign in",
    request_body = LoginRequest,
    responses((status = 200, description = "OK", body = TokenResponse), (status = 401, description = "`invalid_credentials`: the same for an unknown email, a wrong password and an inactive account", body = Problem), (status = 429, description = "`too_many_attempts`: ten failed password checks within 15 minutes; see `Retry-After`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
    security(()),
)]
pub async fn login(
    state: web::Data<AppState>,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let user = auth::sign_in(&state.db, &state.passwords, &email, password).await?;
    Ok(HttpResponse::Ok().json(TokenResponse::issue(&state, user)?))
}
