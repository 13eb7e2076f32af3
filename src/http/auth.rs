use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::UserView;
use super::json::Json;
use crate::auth::{self, Caller, SessionKey, SessionKind, TOKEN_LIFETIME_SECS};
use crate::error::ServiceError;
use crate::http::problem::{ApiError, Problem};
use crate::services::people::User;
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
    /// The token of the API session `key` just started for `user`.
    pub fn issue(state: &AppState, user: User, key: &SessionKey) -> Result<Self, ApiError> {
        let access_token = state
            .tokens
            .issue(user.id, user.token_version, key.expose())
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
    responses((status = 200, description = "OK", body = TokenResponse), (status = 401, description = "`invalid_credentials`: the same for an unknown email, a wrong password and an inactive account", body = Problem), (status = 403, description = "`password_sign_in_off`: only single sign-on signs people in here (`PASSWORD_SIGN_IN=false`); integrations use API keys", body = Problem), (status = 429, description = "`too_many_attempts`: ten failed password checks within 15 minutes; see `Retry-After`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
    security(()),
)]
pub async fn login(
    state: web::Data<AppState>,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let (user, key) = auth::sign_in(
        &state.db,
        &state.passwords,
        state.password_sign_in,
        &email,
        password,
        SessionKind::Api,
    )
    .await?;
    Ok(HttpResponse::Ok().json(TokenResponse::issue(&state, user, &key)?))
}

/// `POST /auth/logout`: ends the session of the Bearer token, at once.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    summary = "Sign out: the token stops working at once",
    responses((status = 204, description = "The token's session ended"), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token` (the session already ended)", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn logout(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    // An ended session cannot end again: 401, like any other use of it.
    caller.user(&state.db).await?;
    auth::sign_out(&state.db, caller).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ResetRequest {
    email: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Accepted {
    /// Always the same text, whether or not the address has an account.
    message: &'static str,
}

/// The answer to every reset request.
pub const RESET_ANSWER: &str = "If an account exists for this address, a link to choose a new password is on its way. It works once, for one hour.";

/// `POST /auth/password-reset`: mails a reset link (valid 1 h) to an active
/// account with this address. Always 202 with the same body.
#[utoipa::path(
    post,
    path = "/api/v1/auth/password-reset",
    tag = "auth",
    summary = "Ask for a password reset link (always 202)",
    request_body = ResetRequest,
    responses((status = 202, description = "Accepted, whether or not the address has an account", body = Accepted), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
    security(()),
)]
pub async fn request_reset(
    state: web::Data<AppState>,
    body: Json<ResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let ResetRequest { email } = body.into_inner();
    crate::services::accounts::request_reset(&state.db, &state.links, &email, crate::db::now());
    Ok(HttpResponse::Accepted().json(Accepted {
        message: RESET_ANSWER,
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SetPasswordRequest {
    /// The token of an invitation or reset link (its `token` query parameter).
    token: String,
    #[schema(min_length = 12, max_length = 128)]
    new_password: String,
}

/// `POST /auth/password`: sets the password of the account an invitation or
/// reset link was made for. The link works once; earlier sessions end.
#[utoipa::path(
    post,
    path = "/api/v1/auth/password",
    tag = "auth",
    summary = "Set a password from an invitation or reset link",
    request_body = SetPasswordRequest,
    responses((status = 200, description = "The password is set; the person signs in with it", body = UserView), (status = 422, description = "`validation_failed`: `new_password` too short, or `token` used, expired or unknown", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
    security(()),
)]
pub async fn set_password(
    state: web::Data<AppState>,
    body: Json<SetPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let SetPasswordRequest {
        token,
        new_password,
    } = body.into_inner();
    let new_password = crate::domain::NewPassword::parse("new_password", new_password)
        .map_err(ServiceError::from)?;
    let user = crate::services::accounts::set_password(
        &state.db,
        &state.passwords,
        &token,
        new_password,
        crate::db::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(UserView::from(user)))
}
