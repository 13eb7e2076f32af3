use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::UserView;
use super::json::Json;
use crate::auth::{self, TOKEN_LIFETIME_SECS};
use crate::error::ServiceError;
use crate::http::problem::ApiError;
use crate::people::User;
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
pub async fn login(
    state: web::Data<AppState>,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let user = auth::sign_in(&state.db, &state.passwords, &email, password).await?;
    Ok(HttpResponse::Ok().json(TokenResponse::issue(&state, user)?))
}
