use actix_web::{HttpResponse, web};
use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use super::UserView;
use crate::auth::TOKEN_LIFETIME_SECS;
use crate::db::users::{self, User};
use crate::db::{login_failures, now};
use crate::domain::Email;
use crate::error::ApiError;
use crate::state::AppState;

/// Failed sign-ins allowed per account within [`THROTTLE_WINDOW_MINUTES`].
pub const MAX_FAILURES: i64 = 10;
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

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
/// password get the same 401 body after the same argon2 work.
pub async fn login(
    state: web::Data<AppState>,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let email = Email::normalize_for_lookup(&email);
    let window = TimeDelta::minutes(THROTTLE_WINDOW_MINUTES);

    let lookup = email.clone();
    let (failures, oldest, credentials) = state
        .db
        .run(move |c| {
            let (failures, oldest) = login_failures::recent(c, &lookup, now() - window)?;
            Ok((failures, oldest, users::credentials(c, &lookup)?))
        })
        .await?;
    if failures >= MAX_FAILURES {
        let retry_at = oldest.unwrap_or_else(now) + window;
        let retry_after_secs = (retry_at - now()).num_seconds().max(1) as u64;
        return Err(ApiError::TooManyRequests { retry_after_secs });
    }

    let (user_id, active, stored) = match credentials {
        Some(c) => (Some(c.id), c.active, Some(c.password_hash)),
        None => (None, false, None),
    };
    let password_ok = state.passwords.verify(password, stored).await?;
    let Some(user_id) = user_id.filter(|_| password_ok && active) else {
        state
            .db
            .write(move |c| {
                let at = now();
                Ok(login_failures::record(c, &email, at, at - window)?)
            })
            .await?;
        return Err(ApiError::Unauthenticated("invalid_credentials"));
    };

    let user = state
        .db
        .write(move |c| {
            if failures > 0 {
                login_failures::clear(c, &email)?;
            }
            users::find(c, user_id)?.ok_or(ApiError::Unauthenticated("invalid_credentials"))
        })
        .await?;
    tracing::info!(user.id = user.id, "signed in");
    Ok(HttpResponse::Ok().json(TokenResponse::issue(&state, user)?))
}
