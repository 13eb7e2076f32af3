use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use crate::db::users::{self, User};
use crate::domain::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// The signed-in user of this request, loaded fresh from the database so that a
/// deactivation, a password change or a role change takes effect at once.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

impl CurrentUser {
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.0.is_admin() {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "admin_only",
                "Only an admin may do this.",
            ))
        }
    }

    /// Requisitions, candidates and loops are assembled by recruiters and admins.
    pub fn require_recruiting(&self) -> Result<(), ApiError> {
        match self.0.role {
            Role::Recruiter | Role::Admin => Ok(()),
            Role::Member => Err(ApiError::forbidden(
                "recruiter_only",
                "Only recruiters and admins may do this.",
            )),
        }
    }
}

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
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer_token)
            .map(str::to_owned);
        Box::pin(async move {
            let state = state.ok_or_else(|| anyhow::anyhow!("application state missing"))?;
            let token = token.ok_or(ApiError::Unauthenticated("unauthenticated"))?;
            let (user_id, claims) = state.tokens.verify(&token)?;
            let user = state.db.run(move |c| Ok(users::find(c, user_id)?)).await?;
            match user {
                Some(user) if user.active && user.token_version == claims.ver => {
                    Ok(CurrentUser(user))
                }
                _ => Err(ApiError::Unauthenticated("invalid_token")),
            }
        })
    }
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
