//! The one error type of the HTTP edge, rendered as RFC 7807
//! `application/problem+json` with a stable snake_case `code`.
//!
//! Domain code returns [`DomainError`](crate::domain::DomainError), queries return
//! diesel's `QueryResult`, plumbing uses `anyhow`; all of them end up here, and
//! this is the only place that turns an error into a response body.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde::Serialize;
use serde_json::Value;

use crate::domain::DomainError;

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldIssue {
    pub field: String,
    pub message: String,
}

impl FieldIssue {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

fn list_issues(issues: &[FieldIssue]) -> String {
    let items: Vec<String> = issues
        .iter()
        .map(|i| format!("{} {}", i.field, i.message))
        .collect();
    items.join("; ")
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body or query could not be read (malformed JSON, wrong types).
    #[error("malformed request: {0}")]
    BadRequest(String),
    /// 422: input that parsed but is not acceptable, field by field.
    #[error("validation failed: {}", list_issues(.0))]
    Validation(Vec<FieldIssue>),
    /// 422 with a rule-specific code, e.g. `reporting_cycle`.
    #[error("{detail}")]
    Unprocessable {
        code: &'static str,
        detail: String,
        errors: Vec<FieldIssue>,
        extra: Option<Value>,
    },
    /// 401 with a code: `unauthenticated`, `invalid_token`, `invalid_credentials`.
    #[error("unauthenticated ({0})")]
    Unauthenticated(&'static str),
    /// 403 with a code, e.g. `admin_only`.
    #[error("forbidden ({code})")]
    Forbidden { code: &'static str, detail: String },
    /// 404, also used for objects the caller may not see.
    #[error("not found")]
    NotFound,
    /// 409 state conflict.
    #[error("{detail}")]
    Conflict {
        code: &'static str,
        detail: String,
        extra: Option<Value>,
    },
    /// 405, with the methods the resource answers (the `Allow` header).
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("too many attempts")]
    TooManyRequests { retry_after_secs: u64 },
    /// 503: the database is busy or the pool could not hand out a connection in time.
    #[error("service unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// 500: logged once with its cause chain, never shown to the client.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldIssue::new(field, message)])
    }

    pub fn unprocessable(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Unprocessable {
            code,
            detail: detail.into(),
            errors: Vec::new(),
            extra: None,
        }
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            detail: detail.into(),
            extra: None,
        }
    }

    pub fn forbidden(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Forbidden {
            code,
            detail: detail.into(),
        }
    }

    /// Attaches extension members to a 409 or 422 problem (other kinds are unchanged).
    pub fn with_extra(mut self, value: Value) -> Self {
        match &mut self {
            Self::Unprocessable { extra, .. } | Self::Conflict { extra, .. } => {
                *extra = Some(value)
            }
            _ => {}
        }
        self
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "malformed_request",
            Self::Validation(_) => "validation_failed",
            Self::Unprocessable { code, .. } | Self::Conflict { code, .. } => code,
            Self::Unauthenticated(code) => code,
            Self::Forbidden { code, .. } => code,
            Self::NotFound => "not_found",
            Self::MethodNotAllowed { .. } => "method_not_allowed",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::TooManyRequests { .. } => "too_many_attempts",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    fn detail(&self) -> String {
        match self {
            Self::BadRequest(msg) => msg.clone(),
            Self::Validation(_) => "One or more fields are invalid.".into(),
            Self::Unprocessable { detail, .. } | Self::Conflict { detail, .. } => detail.clone(),
            Self::Unauthenticated("invalid_credentials") => "Email or password is wrong.".into(),
            Self::Unauthenticated("invalid_token") => {
                "The access token is invalid, expired or revoked.".into()
            }
            Self::Unauthenticated(_) => {
                "Sign in and send the access token as a Bearer token.".into()
            }
            Self::Forbidden { detail, .. } => detail.clone(),
            Self::NotFound => "The resource does not exist or is not visible to you.".into(),
            Self::MethodNotAllowed { allow } => {
                format!("This resource answers only {allow}.")
            }
            Self::PayloadTooLarge => "The request body is larger than 64 KiB.".into(),
            Self::UnsupportedMediaType => "Send the body as application/json.".into(),
            Self::TooManyRequests { retry_after_secs } => format!(
                "Too many failed sign-ins for this account; try again in {retry_after_secs} s."
            ),
            Self::Unavailable(_) => "The service is temporarily unavailable.".into(),
            Self::Internal(_) => "An unexpected error occurred.".into(),
        }
    }
}

/// The RFC 7807 body.
#[derive(Debug, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    pub code: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldIssue>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub extra: Option<Value>,
}

impl From<&ApiError> for Problem {
    fn from(err: &ApiError) -> Self {
        let status = err.status_code();
        let (errors, extra) = match err {
            ApiError::Validation(issues) => (issues.clone(), None),
            ApiError::Unprocessable { errors, extra, .. } => (errors.clone(), extra.clone()),
            ApiError::Conflict { extra, .. } => (Vec::new(), extra.clone()),
            _ => (Vec::new(), None),
        };
        Problem {
            kind: format!("urn:barraiser:problem:{}", err.code()),
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: err.detail(),
            code: err.code(),
            errors,
            extra,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Validation(_) | Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden { .. } => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(cause) => tracing::error!(error = ?cause, "request failed"),
            Self::Unavailable(cause) => tracing::warn!(error = %cause, "database unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        if let Self::Unauthenticated(_) = self {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        if let Self::MethodNotAllowed { allow } = self
            && let Ok(value) = HeaderValue::from_str(allow)
        {
            response.insert_header((header::ALLOW, value));
        }
        if let Self::TooManyRequests { retry_after_secs } = self {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        if let Self::Unavailable(_) = self {
            response.insert_header((header::RETRY_AFTER, HeaderValue::from_static("1")));
        }
        response.json(Problem::from(self))
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Invalid { field, message } => Self::field(field, message),
            DomainError::InvalidFields(problems) => Self::Validation(
                problems
                    .into_iter()
                    .map(|p| FieldIssue::new(p.field, p.message))
                    .collect(),
            ),
            DomainError::Rule { code, detail } => Self::unprocessable(code, detail),
            DomainError::State { code, detail } => Self::conflict(code, detail),
        }
    }
}

impl ApiError {
    /// The field issues of a validation error, or the error itself.
    fn into_field_issues(self) -> Result<Vec<FieldIssue>, ApiError> {
        match self {
            Self::Validation(issues) => Ok(issues),
            other => Err(other),
        }
    }
}

/// Checks several parsed inputs at once: every value when all are fine,
/// otherwise one 422 listing every field problem (a non-field error, such as a
/// 403, is answered on its own). `(a, b, c).all_valid()?`
pub trait AllValid {
    type Output;
    fn all_valid(self) -> Result<Self::Output, ApiError>;
}

macro_rules! all_valid_tuple {
    ($($t:ident $e:ident $v:ident),+) => {
        impl<$($t, $e: Into<ApiError>),+> AllValid for ($(Result<$t, $e>,)+) {
            type Output = ($($t,)+);
            fn all_valid(self) -> Result<Self::Output, ApiError> {
                let ($($v,)+) = self;
                let mut issues = Vec::new();
                $(
                    let $v = match $v {
                        Ok(v) => Some(v),
                        Err(e) => {
                            issues.extend(e.into().into_field_issues()?);
                            None
                        }
                    };
                )+
                match ($($v,)+) {
                    ($(Some($v),)+) if issues.is_empty() => Ok(($($v,)+)),
                    _ => Err(ApiError::Validation(issues)),
                }
            }
        }
    };
}
all_valid_tuple!(A EA a);
all_valid_tuple!(A EA a, B EB b);
all_valid_tuple!(A EA a, B EB b, C EC c);
all_valid_tuple!(A EA a, B EB b, C EC c, D ED d);
all_valid_tuple!(A EA a, B EB b, C EC c, D ED d, E EE e);
all_valid_tuple!(A EA a, B EB b, C EC c, D ED d, E EE e, F EF f);
all_valid_tuple!(A EA a, B EB b, C EC c, D ED d, E EE e, F EF f, G EG g);
all_valid_tuple!(A EA a, B EB b, C EC c, D ED d, E EE e, F EF f, G EG g, H EH h);

impl From<DieselError> for ApiError {
    fn from(err: DieselError) -> Self {
        match err {
            DieselError::NotFound => Self::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => Self::conflict(
                "already_exists",
                "A record with the same unique value already exists.",
            ),
            // The database is busy, not broken: SQLite's write lock was held
            // past the busy timeout by another process, or PostgreSQL chose this
            // transaction as a deadlock or serialisation victim. Worth a retry.
            DieselError::DatabaseError(kind, info)
                if kind == DatabaseErrorKind::SerializationFailure
                    || is_busy_message(info.message()) =>
            {
                let message = info.message().to_owned();
                Self::Unavailable(anyhow::anyhow!(message).context("the database is busy"))
            }
            other => Self::Internal(anyhow::Error::new(other).context("database query failed")),
        }
    }
}

/// SQLite's `SQLITE_BUSY` / `SQLITE_LOCKED` and PostgreSQL's deadlock report.
fn is_busy_message(message: &str) -> bool {
    [
        "database is locked",
        "database table is locked",
        "database is busy",
        "deadlock detected",
    ]
    .iter()
    .any(|m| message.contains(m))
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(err: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(anyhow::Error::new(err).context("no database connection available"))
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        Self::Internal(anyhow::Error::new(err).context("blocking task failed"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::MessageBody;

    fn body_of(err: ApiError) -> (u16, String, Value) {
        let res = err.error_response();
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
        let (status, ct, body) =
            body_of(ApiError::Internal(cause.context("database query failed")));
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
        let (status, _, body) = body_of(ApiError::from(unique));
        assert_eq!(
            (status, body["code"].as_str()),
            (409, Some("already_exists"))
        );
        assert!(!body.to_string().contains("users_email_key"));
        let (status, _, body) = body_of(ApiError::from(DieselError::NotFound));
        assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    }

    #[test]
    fn all_valid_lists_every_field_problem_and_lets_other_errors_through() {
        let ok: Result<u8, DomainError> = Ok(1);
        let bad_a: Result<u8, DomainError> = Err(DomainError::invalid("a", "bad"));
        let bad_b: Result<u8, ApiError> = Err(ApiError::field("b", "bad"));
        match (ok.clone(), bad_a.clone(), bad_b).all_valid() {
            Err(ApiError::Validation(issues)) => {
                let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
                assert_eq!(fields, ["a", "b"]);
            }
            other => panic!("{other:?}"),
        }
        let forbidden: Result<u8, ApiError> = Err(ApiError::forbidden("admin_only", "no"));
        assert!(matches!(
            (bad_a, forbidden).all_valid(),
            Err(ApiError::Forbidden { .. })
        ));
        assert_eq!((ok, Ok::<_, ApiError>(2)).all_valid().unwrap(), (1, 2));
    }

    #[test]
    fn a_busy_database_is_a_503_with_retry_after_not_a_500() {
        for message in ["database is locked", "deadlock detected"] {
            let busy = DieselError::DatabaseError(
                DatabaseErrorKind::Unknown,
                Box::new(message.to_string()),
            );
            let err = ApiError::from(busy);
            assert_eq!(
                err.error_response().headers().get("retry-after").unwrap(),
                "1"
            );
            let (status, _, body) = body_of(err);
            assert_eq!((status, body["code"].as_str()), (503, Some("unavailable")));
        }
        let other = DieselError::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("no such table: users".to_string()),
        );
        assert_eq!(body_of(ApiError::from(other)).0, 500);
    }

    #[test]
    fn validation_problems_list_every_field() {
        let (status, _, body) = body_of(ApiError::Validation(vec![
            FieldIssue::new("email", "must be a valid email address"),
            FieldIssue::new("password", "must be at least 12 characters"),
        ]));
        assert_eq!(status, 422);
        assert_eq!(body["errors"][1]["field"], "password");
        assert_eq!(body["type"], "urn:barraiser:problem:validation_failed");
    }
}
