use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use super::problem::ApiError;
use crate::auth::Caller;
use crate::services::people::User;
use crate::state::AppState;

/// The signed-in user of this request: the Bearer token's user, loaded fresh.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

/// The token of an `Authorization: Bearer <token>` header; the scheme name is
/// case-insensitive (RFC 9110 §11.1).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let caller = caller_of(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let (caller, state) = (caller?, state.ok_or_else(state_missing)?);
            // A revoked token is `InvalidToken`, answered 401 `invalid_token`.
            Ok(CurrentUser(caller.user(&state.db).await?))
        })
    }
}

/// The caller of this request: the Bearer token verified, its user not loaded
/// yet. Handlers whose service takes a [`Caller`] use it, so that the user is
/// loaded in the same database trip as the work (see `auth::Caller`).
impl FromRequest for Caller {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(caller_of(req))
    }
}

fn state_missing() -> crate::error::ServiceError {
    crate::error::ServiceError::Internal(anyhow::anyhow!("application state missing"))
}

/// The verified Bearer token of `req` (no database).
fn caller_of(req: &HttpRequest) -> Result<Caller, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(state_missing)?;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token)
        .ok_or(ApiError::Unauthenticated("unauthenticated"))?;
    if token.starts_with(crate::services::api_keys::TOKEN_PREFIX) {
        let caller = Caller::of_api_key(token).ok_or(ApiError::Unauthenticated("invalid_token"))?;
        record_key_use(state, &caller);
        return Ok(caller);
    }
    Caller::of_token(&state.tokens, token).ok_or(ApiError::Unauthenticated("invalid_token"))
}

/// Writes down, beside the request and at most once a minute per key and
/// instance, that an API key was used (a revoked key's use is not written).
fn record_key_use(state: &web::Data<AppState>, caller: &Caller) {
    let Some(hash) = caller.api_key().map(|h| h.hex()) else {
        return;
    };
    if !state.key_uses.due(&hash) {
        return;
    }
    let state = state.clone();
    actix_web::rt::spawn(async move {
        if let Err(e) = crate::services::api_keys::record_use(&state.db, hash).await {
            tracing::warn!(error = %e, "an API key's use was not written down");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn the_bearer_scheme_is_matched_case_insensitively() {
        for header in ["Bearer abc", "bearer abc", "BEARER  abc ", "bEaReR abc"] {
            assert_eq!(bearer_token(header), Some("abc"), "{header:?}");
        }
        for header in ["Basic abc", "Bearer", "Bearer   ", "Bearerabc"] {
            assert_eq!(bearer_token(header), None, "{header:?}");
        }
    }
}
