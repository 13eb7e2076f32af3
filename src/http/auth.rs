use actix_web::{HttpResponse, web};

use super::json::Json;
use serde::{Deserialize, Serialize};

use super::UserView;
use crate::auth::{TOKEN_LIFETIME_SECS, throttle};
use crate::db::users::{self, User};
use crate::domain::Email;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct LoginRequest {
    email: String,
    password: String,
}

#[derive(Serialize)]
pub struct TokenResponse {
    access_token: String,
    token_type: &'static str,
    expires_in: i64,
    user: UserView,
}

impl TokenResponse {
    pub fn issue(state: &AppState, user: User) -> Result<Self, ApiError> {
        Ok(Self {
            access_token: state.tokens.issue(user.id, user.token_version)?,
            token_type: "Bearer",
            expires_in: TOKEN_LIFETIME_SECS,
            user: UserView::from(user),
        })
    }
}

/// `POST /auth/login`. An unknown email, an inactive account and a wrong
/// password get the same 401 body after the same argon2 work. The password
/// check is reserved against the account's budget before any hashing.
pub async fn login(
    state: web::Data<AppState>,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let Some(email) = Email::normalize_for_lookup(&email) else {
        // Text no account can have (a NUL, a control character): a wrong email,
        // answered after the same work, and never sent to the database.
        state.passwords.verify(password, None).await?;
        return Err(ApiError::Unauthenticated("invalid_credentials"));
    };
    let (check, credentials) = state
        .db
        .write(move |c| {
            let check = throttle::reserve(c, &email)?;
            Ok((check, users::credentials(c, &email)?))
        })
        .await?;

    let (user_id, active, stored) = match credentials {
        Some(c) => (Some(c.id), c.active, Some(c.password_hash)),
        None => (None, false, None),
    };
    let password_ok = state.passwords.verify(password, stored).await?;
    let Some(user_id) = user_id.filter(|_| password_ok && active) else {
        // The reservation stays: it is the failure that counts.
        return Err(ApiError::Unauthenticated("invalid_credentials"));
    };

    let user = state
        .db
        .write(move |c| {
            throttle::succeeded(c, check)?;
            users::find(c, user_id)?.ok_or(ApiError::Unauthenticated("invalid_credentials"))
        })
        .await?;
    tracing::info!(user.id = user.id, "signed in");
    Ok(HttpResponse::Ok().json(TokenResponse::issue(&state, user)?))
}
