use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::auth::TokenResponse;
use super::json::Json;
use super::{CurrentUser, UserView};
use crate::auth;
use crate::domain::NewPassword;
use crate::http::problem::ApiError;
use crate::state::AppState;

/// `GET /me`
pub async fn get_me(user: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(UserView::from(user.0))
}

#[derive(Deserialize)]
pub struct ChangePasswordRequest {
    current_password: String,
    new_password: String,
}

/// `POST /me/password`: revokes every earlier token and returns a fresh one.
pub async fn change_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let ChangePasswordRequest {
        current_password,
        new_password,
    } = body.into_inner();
    let new_password = NewPassword::parse("new_password", new_password)?;
    let updated = auth::change_password(
        &state.db,
        &state.passwords,
        &user.0,
        current_password,
        new_password,
    )
    .await?;
    Ok(HttpResponse::Ok().json(TokenResponse::issue(&state, updated)?))
}
