//! What a page request can fail with, each shown as a page: a 404 for what a
//! person may not see, the reason of a refusal (after a form post, back on the
//! page it came from in a flash; for htmx, a fragment in the page's refusal
//! area: see `web::refusals`), and an error page with a reference and no
//! internals only for real faults. Every `ServiceError` maps here by its
//! class, the same table the API answers by.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use maud::html;

use super::frame::{bare, html_response, not_found_page};
use crate::error::{ErrorClass, ServiceError};

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
    /// The service refused the action for a reason the person can act on: a
    /// state that does not allow it, input or a rule it does not accept, too
    /// many attempts.
    #[error("refused: {reason}")]
    Refused { status: StatusCode, reason: String },
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
        match (e.class(), e) {
            (ErrorClass::NotFound, _) => Self::NotFound,
            // The session ended while the request ran: sign in again.
            (_, ServiceError::InvalidToken) => Self::SignIn {
                target: "/".into(),
                htmx: false,
            },
            (ErrorClass::Forbidden, e) => Self::Forbidden(e.reason()),
            (
                class @ (ErrorClass::Unauthenticated
                | ErrorClass::Conflict
                | ErrorClass::Unprocessable
                | ErrorClass::TooManyAttempts),
                e,
            ) => Self::Refused {
                status: StatusCode::from_u16(class.status())
                    .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY),
                reason: e.reason(),
            },
            (ErrorClass::Unavailable, e) => {
                tracing::warn!(error = %e, "page: database unavailable");
                Self::Unavailable
            }
            (ErrorClass::Fault, e) => {
                let reference = crate::auth::random_hex(6);
                tracing::error!(reference, error = %e, "page failed");
                Self::Internal { reference }
            }
        }
    }
}

/// Marks a response as a refusal, with its reason, so that `web::refusals`
/// can answer it the way the request needs (a flash, an htmx fragment).
#[derive(Debug, Clone)]
pub struct Refusal(pub String);

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::SignIn { htmx: false, .. } => StatusCode::SEE_OTHER,
            Self::SignIn { htmx: true, .. } => StatusCode::UNAUTHORIZED,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Refused { status, .. } => *status,
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
            Self::Refused { status, reason } => {
                let mut r = html_response(
                    *status,
                    bare(
                        "Not done",
                        html! {
                            h1 { "Not done" }
                            p role="alert" { (reason) }
                            p { a href="/" { "Go to your home page" } }
                        },
                    ),
                );
                r.extensions_mut().insert(Refusal(reason.clone()));
                r
            }
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
