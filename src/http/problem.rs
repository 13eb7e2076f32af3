//! The HTTP edge's error: the one place where an error becomes a status and an
//! RFC 7807 `application/problem+json` body with a stable snake_case `code`.
//! Services answer [`ServiceError`]; what only HTTP can get wrong (a body that
//! is not JSON, a missing token, a method the route does not answer) is here.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::{Value, json};

use crate::domain::{DomainError, FieldProblem};
use crate::error::ServiceError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body or query could not be read (malformed JSON, wrong types).
    #[error("malformed request: {0}")]
    BadRequest(String),
    /// 401 with a code: `unauthenticated` (no token) or `invalid_token`.
    #[error("unauthenticated ({0})")]
    Unauthenticated(&'static str),
    /// 404 for a route that does not exist.
    #[error("no such route")]
    NoRoute,
    /// 405, with the methods the resource answers (the `Allow` header).
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    /// 413, with the most bytes the route reads.
    #[error("payload too large")]
    PayloadTooLarge { limit: usize },
    /// 415, with the media type the route reads.
    #[error("unsupported media type")]
    UnsupportedMediaType { expected: &'static str },
    /// Whatever a service answered (a revoked token becomes `Unauthenticated`).
    #[error(transparent)]
    Service(ServiceError),
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::InvalidToken => Self::Unauthenticated("invalid_token"),
            other => Self::Service(other),
        }
    }
}

impl ApiError {
    /// One field problem (422 `validation_failed`).
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        ServiceError::field(field, message).into()
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        Self::Service(err.into())
    }
}

/// The RFC 7807 body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    pub code: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub extra: Option<Value>,
}

impl ApiError {
    fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "malformed_request",
            Self::Unauthenticated(code) => code,
            Self::NoRoute => "not_found",
            Self::MethodNotAllowed { .. } => "method_not_allowed",
            Self::PayloadTooLarge { .. } => "payload_too_large",
            Self::UnsupportedMediaType { .. } => "unsupported_media_type",
            Self::Service(e) => match e {
                ServiceError::NotFound => "not_found",
                ServiceError::InvalidCredentials => "invalid_credentials",
                ServiceError::InvalidToken => "invalid_token",
                ServiceError::Forbidden { code, .. }
                | ServiceError::Conflict { code, .. }
                | ServiceError::Rule { code, .. } => code,
                ServiceError::Invalid(_) => "validation_failed",
                ServiceError::FileRejected(_) => "import_invalid",
                ServiceError::IndependenceFailed { .. } | ServiceError::StillRed { .. } => {
                    "independence_failed"
                }
                ServiceError::FeedbackIncomplete { .. } => "feedback_incomplete",
                ServiceError::VotesMissing { .. } => "final_votes_missing",
                ServiceError::TooManyAttempts { .. } => "too_many_attempts",
                ServiceError::TooManyStreams { .. } => "too_many_streams",
                ServiceError::Unavailable(_) => "unavailable",
                ServiceError::Internal(_) => "internal",
            },
        }
    }

    fn detail(&self) -> String {
        match self {
            Self::BadRequest(msg) => msg.clone(),
            Self::Unauthenticated("invalid_token") => {
                "The access token is invalid, expired or revoked.".into()
            }
            Self::Unauthenticated(_) => {
                "Sign in and send the access token as a Bearer token.".into()
            }
            Self::NoRoute => not_found_detail(),
            Self::MethodNotAllowed { allow } => format!("This resource answers only {allow}."),
            Self::PayloadTooLarge { limit } => {
                format!("The request body is larger than {} KiB.", limit / 1024)
            }
            Self::UnsupportedMediaType { expected } => format!("Send the body as {expected}."),
            Self::Service(e) => match e {
                ServiceError::NotFound => not_found_detail(),
                ServiceError::InvalidCredentials => "Email or password is wrong.".into(),
                ServiceError::InvalidToken => {
                    "The access token is invalid, expired or revoked.".into()
                }
                ServiceError::Forbidden { detail, .. }
                | ServiceError::Conflict { detail, .. }
                | ServiceError::Rule { detail, .. } => detail.clone(),
                ServiceError::Invalid(_) => "One or more fields are invalid.".into(),
                e @ ServiceError::FileRejected(_) => e.reason(),
                ServiceError::IndependenceFailed { failing }
                | ServiceError::StillRed { failing } => {
                    let rules: Vec<&str> = failing.iter().map(|c| c.rule).collect();
                    format!(
                        "The loop fails independence or composition rules: {}.",
                        rules.join(", ")
                    )
                }
                ServiceError::FeedbackIncomplete {
                    missing_interview_ids,
                } => format!(
                    "Feedback is missing for {} interviews; wait for it, or open with an override_reason.",
                    missing_interview_ids.len()
                ),
                ServiceError::VotesMissing { missing_user_ids } => format!(
                    "{} panel members who submitted feedback have not cast a final vote.",
                    missing_user_ids.len()
                ),
                ServiceError::TooManyAttempts { retry_after_secs } => format!(
                    "Too many failed password checks for this account; try again in {retry_after_secs} s."
                ),
                ServiceError::TooManyStreams { limit } => {
                    format!("At most {limit} streams may be open per person; close one first.")
                }
                ServiceError::Unavailable(_) => "The service is temporarily unavailable.".into(),
                ServiceError::Internal(_) => "An unexpected error occurred.".into(),
            },
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let (errors, extra) = match self {
            Self::Service(ServiceError::Invalid(problems)) => (problems.clone(), None),
            Self::Service(ServiceError::FileRejected(problems)) => {
                (Vec::new(), Some(json!({ "problems": problems })))
            }
            Self::Service(
                ServiceError::IndependenceFailed { failing } | ServiceError::StillRed { failing },
            ) => (Vec::new(), Some(json!({ "failing": failing }))),
            Self::Service(ServiceError::FeedbackIncomplete {
                missing_interview_ids,
            }) => (
                Vec::new(),
                Some(json!({ "missing_interview_ids": missing_interview_ids })),
            ),
            Self::Service(ServiceError::VotesMissing { missing_user_ids }) => (
                Vec::new(),
                Some(json!({ "missing_user_ids": missing_user_ids })),
            ),
            _ => (Vec::new(), None),
        };
        Problem {
            kind: format!("urn:barraiser:problem:{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: self.detail(),
            code: self.code(),
            errors,
            extra,
        }
    }
}

fn not_found_detail() -> String {
    "The resource does not exist or is not visible to you.".into()
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            Self::NoRoute => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Service(e) => StatusCode::from_u16(e.class().status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Service(ServiceError::Internal(cause)) => {
                tracing::error!(error = ?cause, "request failed")
            }
            Self::Service(ServiceError::Unavailable(cause)) => {
                tracing::warn!(error = %cause, "database unavailable")
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        match self {
            Self::Unauthenticated(_)
            | Self::Service(ServiceError::InvalidCredentials | ServiceError::InvalidToken) => {
                response
                    .insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            Self::MethodNotAllowed { allow } => {
                if let Ok(value) = HeaderValue::from_str(allow) {
                    response.insert_header((header::ALLOW, value));
                }
            }
            Self::Service(ServiceError::TooManyAttempts { retry_after_secs }) => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            Self::Service(ServiceError::Unavailable(_)) => {
                response.insert_header((header::RETRY_AFTER, HeaderValue::from_static("1")));
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::MessageBody;
    use diesel::result::{DatabaseErrorKind, Error as DieselError};

    fn body_of(err: impl Into<ApiError>) -> (u16, String, Value) {
        let res = err.into().error_response();
        let status = res.status().as_u16();
        let ct = res
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let bytes = res.into_body().try_into_bytes().unwrap();
        (status, ct, serde_json::from_slice(&bytes).unwrap())
    }

    #[test]
    fn an_internal_error_shows_no_internal_detail() {
        let cause = anyhow::anyhow!("password_hash column missing in table users at 10.0.0.7");
        let (status, ct, body) = body_of(ServiceError::Internal(
            cause.context("database query failed"),
        ));
        assert_eq!(status, 500);
        assert_eq!(ct, "application/problem+json");
        assert_eq!(body["code"], "internal");
        assert_eq!(body["detail"], "An unexpected error occurred.");
        assert!(
            !body.to_string().contains("password_hash") && !body.to_string().contains("10.0.0.7")
        );
    }

    #[test]
    fn database_errors_map_to_stable_codes_without_constraint_names() {
        let unique = DieselError::DatabaseError(
            DatabaseErrorKind::UniqueViolation,
            Box::new(
                "duplicate key value violates unique constraint \"users_email_key\"".to_string(),
            ),
        );
        let (status, _, body) = body_of(ServiceError::from(unique));
        assert_eq!(
            (status, body["code"].as_str()),
            (409, Some("already_exists"))
        );
        assert!(!body.to_string().contains("users_email_key"));
        let (status, _, body) = body_of(ServiceError::from(DieselError::NotFound));
        assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    }

    #[test]
    fn a_busy_database_is_a_503_with_retry_after_not_a_500() {
        let busy = DieselError::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("database is locked".to_string()),
        );
        let err = ApiError::from(ServiceError::from(busy));
        assert_eq!(
            err.error_response().headers().get("retry-after").unwrap(),
            "1"
        );
        let (status, _, body) = body_of(err);
        assert_eq!((status, body["code"].as_str()), (503, Some("unavailable")));
    }

    #[test]
    fn validation_problems_list_every_field() {
        let (status, _, body) = body_of(ServiceError::Invalid(vec![
            FieldProblem {
                field: "email".into(),
                message: "must be a valid email address".into(),
            },
            FieldProblem {
                field: "password".into(),
                message: "must be at least 12 characters".into(),
            },
        ]));
        assert_eq!(status, 422);
        assert_eq!(body["errors"][1]["field"], "password");
        assert_eq!(body["type"], "urn:barraiser:problem:validation_failed");
    }
}
