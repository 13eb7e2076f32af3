use actix_web::{HttpResponse, web};

use super::json::Json;
use serde::Deserialize;

use super::UserView;
use super::auth::TokenResponse;
use crate::auth::{CurrentUser, throttle};
use crate::db::users::{self, UserChanges};
use crate::domain::NewPassword;
use crate::error::ApiError;
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
    let me = user.0;
    let email = me.email.clone();
    // The current-password check spends the same budget as sign-in.
    let (check, stored) = state
        .db
        .write(move |c| {
            let check = throttle::reserve(c, &email)?;
            Ok((
                check,
                users::credentials(c, &email)?.map(|cr| cr.password_hash),
            ))
        })
        .await?;
    if !state.passwords.verify(current_password, stored).await? {
        return Err(ApiError::field(
            "current_password",
            "does not match your password",
        ));
    }
    let hash = state
        .passwords
        .hash(new_password.expose().to_owned())
        .await?;
    let id = me.id;
    let updated = state
        .db
        .write(move |c| {
            // Re-read inside the transaction: a concurrent change may have bumped the version.
            throttle::succeeded(c, check)?;
            let current = users::find(c, id)?.ok_or(ApiError::NotFound)?;
            let changes = UserChanges {
                password_hash: Some(hash),
                token_version: Some(current.token_version + 1),
                ..Default::default()
            };
            Ok(users::update(c, id, changes)?)
        })
        .await?;
    tracing::info!(user.id = id, "password changed; earlier tokens revoked");
    Ok(HttpResponse::Ok().json(TokenResponse::issue(&state, updated)?))
}
