//! What a page request can fail with, each shown as a page: a 404 for what a
//! person may not see, an error page with a reference and no internals.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use maud::html;

use super::frame::{bare, html_response, not_found_page};
use crate::error::ServiceError;

/// What a page request can fail with, each rendered as a page.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// Nobody is signed in: go to the sign-in page (and come back to this
    /// path). `htmx`: the request came from htmx, which navigates on `HX-Redirect`.
    #[error("sign-in required")]
    SignIn { target: String, htmx: bool },
    /// Nothing here, or nothing this person may see.
    #[error("not found")]
    NotFound,
    /// The person may see this but not do it.
    #[error("not allowed: {0}")]
    Forbidden(String),
    #[error("unavailable")]
    Unavailable,
    /// A failure with a reference a person can quote to an operator.
    #[error("internal error {reference}")]
    Internal { reference: String },
}

impl PageError {
    pub fn internal(cause: &str) -> Self {
        let reference = crate::auth::random_hex(6);
        tracing::error!(reference, cause, "page failed");
        Self::Internal { reference }
    }
}

impl From<ServiceError> for PageError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => Self::NotFound,
            // The session was revoked while the request ran: sign in again.
            ServiceError::InvalidToken => Self::SignIn {
                target: "/".into(),
                htmx: false,
            },
            ServiceError::Forbidden { detail, .. } => Self::Forbidden(detail),
            ServiceError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "page: database unavailable");
                Self::Unavailable
            }
            other => {
                let reference = crate::auth::random_hex(6);
                tracing::error!(reference, error = %other, "page failed");
                Self::Internal { reference }
            }
        }
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::SignIn { htmx: false, .. } => StatusCode::SEE_OTHER,
            Self::SignIn { htmx: true, .. } => StatusCode::UNAUTHORIZED,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::SignIn {
                target,
                htmx: false,
            } => HttpResponse::SeeOther()
                .insert_header((header::LOCATION, target.as_str()))
                .finish(),
            // htmx follows this header with a whole-page navigation (a 303
            // would be followed inside the fetch and swapped as a fragment).
            Self::SignIn { target, htmx: true } => HttpResponse::Unauthorized()
                .insert_header(("HX-Redirect", target.as_str()))
                .finish(),
            Self::NotFound => html_response(StatusCode::NOT_FOUND, not_found_page()),
            Self::Forbidden(detail) => html_response(
                StatusCode::FORBIDDEN,
                bare(
                    "Not allowed",
                    html! { h1 { "Not allowed" } p { (detail) } p { a href="/" { "Go to your home page" } } },
                ),
            ),
            Self::Unavailable => {
                let mut r = html_response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    bare(
                        "Unavailable",
                        html! { h1 { "Briefly unavailable" } p { "The service is busy. Nothing was changed; please try again in a moment." } },
                    ),
                );
                r.headers_mut()
                    .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
                r
            }
            Self::Internal { reference } => html_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                bare(
                    "Something went wrong",
                    html! {
                        h1 { "Something went wrong" }
                        p { "Nothing was changed. If it happens again, tell your administrator this reference: " strong { (reference) } "." }
                        p { a href="/" { "Go to your home page" } }
                    },
                ),
            ),
        }
    }
}
