//! `ServiceError`: what a service call can answer besides its result. It knows
//! nothing of HTTP; the edge (`http::problem`) turns it into a status and a
//! problem+json body in one place, and the command line prints its cause chain.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::domain::independence::Check;
use crate::domain::{DomainError, FieldProblem, LineProblem};

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The object does not exist, or the actor may not know that it does.
    #[error("not found")]
    NotFound,
    /// The token verified but its user is inactive now, or it was revoked (a
    /// password or role change since it was issued).
    #[error("the access token is revoked")]
    InvalidToken,
    /// Wrong credentials at sign-in (unknown email, wrong password, inactive account alike).
    #[error("wrong email or password")]
    InvalidCredentials,
    /// The actor may see the object but not do this (`code` says why).
    #[error("forbidden ({code}): {detail}")]
    Forbidden { code: &'static str, detail: String },
    /// The object's state does not allow this (`code` says which state).
    #[error("conflict ({code}): {detail}")]
    Conflict { code: &'static str, detail: String },
    /// Input that is not acceptable, every field problem at once.
    #[error("invalid input: {}", list(.0))]
    Invalid(Vec<FieldProblem>),
    /// An uploaded file with problems: every one, each with its line.
    #[error("the file has {} problems", .0.len())]
    FileRejected(Vec<LineProblem>),
    /// A business rule with its own code (e.g. `reporting_cycle`).
    #[error("{code}: {detail}")]
    Rule { code: &'static str, detail: String },
    /// The loop fails independence or composition rules; `failing` lists them.
    #[error("the loop fails independence or composition rules")]
    IndependenceFailed { failing: Vec<Check> },
    /// The loop's report is red, so the debrief cannot open (a state conflict).
    #[error("the loop is not independent")]
    StillRed { failing: Vec<Check> },
    /// Interviews whose feedback is not submitted.
    #[error("feedback is missing for {} interviews", .missing_interview_ids.len())]
    FeedbackIncomplete { missing_interview_ids: Vec<i64> },
    /// Panel members who submitted feedback but have not cast a final vote.
    #[error("final votes are missing for {} panel members", .missing_user_ids.len())]
    VotesMissing { missing_user_ids: Vec<i64> },
    /// Too many failed password checks for the account.
    #[error("too many failed password checks; retry in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    /// The person already holds as many live streams as one may.
    #[error("too many open streams (at most {limit} per person)")]
    TooManyStreams { limit: usize },
    /// The database is unreachable or stayed busy: nothing was written, retry.
    #[error("the database is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure, with its cause.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

fn list(problems: &[FieldProblem]) -> String {
    let items: Vec<String> = problems
        .iter()
        .map(|p| format!("{} {}", p.field, p.message))
        .collect();
    items.join("; ")
}

/// How a [`ServiceError`] is answered, at every edge: the API answers the
/// status of its class with a problem, a page the page for it (a 404 page, the
/// form again, a flash with the reason, a fragment for htmx). One table, so a
/// refusal is never a 500 on one edge and a 409 on the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// 404: nothing there, or nothing the actor may know of.
    NotFound,
    /// 401: not signed in, or no longer (a session ended, wrong credentials).
    Unauthenticated,
    /// 403: seen, but not the actor's to do.
    Forbidden,
    /// 409: not in this state of things (a loop already decided, feedback missing).
    Conflict,
    /// 422: input that is not acceptable, or a rule it breaks.
    Unprocessable,
    /// 429: too many failed password checks, or too many open streams.
    TooManyAttempts,
    /// 503: the database cannot be reached or stayed busy; nothing was written.
    Unavailable,
    /// 500: a fault of the service itself.
    Fault,
}

impl ErrorClass {
    /// The HTTP status of this class.
    pub fn status(self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::Conflict => 409,
            Self::Unprocessable => 422,
            Self::TooManyAttempts => 429,
            Self::Unavailable => 503,
            Self::Fault => 500,
        }
    }
}

impl ServiceError {
    /// The class of this error (see [`ErrorClass`]).
    pub fn class(&self) -> ErrorClass {
        match self {
            Self::NotFound => ErrorClass::NotFound,
            Self::InvalidCredentials | Self::InvalidToken => ErrorClass::Unauthenticated,
            Self::Forbidden { .. } => ErrorClass::Forbidden,
            Self::Conflict { .. }
            | Self::StillRed { .. }
            | Self::FeedbackIncomplete { .. }
            | Self::VotesMissing { .. } => ErrorClass::Conflict,
            Self::Invalid(_)
            | Self::FileRejected(_)
            | Self::Rule { .. }
            | Self::IndependenceFailed { .. } => ErrorClass::Unprocessable,
            Self::TooManyAttempts { .. } | Self::TooManyStreams { .. } => {
                ErrorClass::TooManyAttempts
            }
            Self::Unavailable(_) => ErrorClass::Unavailable,
            Self::Internal(_) => ErrorClass::Fault,
        }
    }

    /// What a person is told of a refusal, in a sentence (field problems are
    /// listed beside it where a page shows them).
    pub fn reason(&self) -> String {
        match self {
            Self::NotFound => "There is nothing here that you may see.".into(),
            Self::InvalidToken => "Your session has ended. Sign in again.".into(),
            Self::InvalidCredentials => "Email or password is wrong.".into(),
            Self::Forbidden { detail, .. }
            | Self::Conflict { detail, .. }
            | Self::Rule { detail, .. } => detail.clone(),
            Self::Invalid(problems) => format!("Not accepted: {}.", list(problems)),
            Self::FileRejected(problems) => format!(
                "Nothing was imported: the file has {} problem{}.",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            ),
            Self::IndependenceFailed { failing } | Self::StillRed { failing } => format!(
                "The loop does not pass every independence and composition rule: {}.",
                failing
                    .iter()
                    .map(|c| c.detail.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            Self::FeedbackIncomplete {
                missing_interview_ids,
            } => format!(
                "Feedback is missing for {} interview(s); the bar raiser may open the debrief with a reason.",
                missing_interview_ids.len()
            ),
            Self::VotesMissing { missing_user_ids } => format!(
                "{} panel member(s) have not cast a final vote yet.",
                missing_user_ids.len()
            ),
            Self::TooManyAttempts { retry_after_secs } => format!(
                "Too many failed attempts for this account. Try again in {} minutes.",
                retry_after_secs.div_ceil(60)
            ),
            Self::TooManyStreams { limit } => {
                format!("You have {limit} live views open already. Close one and reload this page.")
            }
            Self::Unavailable(_) => {
                "The service is busy. Nothing was changed; please try again in a moment.".into()
            }
            Self::Internal(_) => "Something went wrong. Nothing was changed.".into(),
        }
    }

    /// One field problem.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldProblem {
            field: field.into(),
            message: message.into(),
        }])
    }

    pub fn forbidden(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Forbidden {
            code,
            detail: detail.into(),
        }
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            detail: detail.into(),
        }
    }
}

impl From<DomainError> for ServiceError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Invalid { field, message } => Self::field(field, message),
            DomainError::InvalidFields(problems) => Self::Invalid(problems),
            DomainError::Rule { code, detail } => Self::Rule { code, detail },
            DomainError::State { code, detail } => Self::Conflict { code, detail },
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

const LOST_CONNECTION: &str = "the database connection was lost";

impl ServiceError {
    /// Whether this failed because the database connection was lost.
    pub fn is_lost_connection(&self) -> bool {
        matches!(self, Self::Unavailable(cause) if cause.to_string() == LOST_CONNECTION)
    }
}

impl From<DieselError> for ServiceError {
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
            // The connection is gone (a database restart, a dropped socket):
            // nothing was written; the pool replaces the connection, retry.
            DieselError::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                _,
            ) => Self::Unavailable(anyhow::Error::new(err).context(LOST_CONNECTION)),
            other => Self::Internal(anyhow::Error::new(other).context("database query failed")),
        }
    }
}

impl From<diesel::r2d2::PoolError> for ServiceError {
    fn from(err: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(anyhow::Error::new(err).context("no database connection available"))
    }
}

impl From<actix_web::error::BlockingError> for ServiceError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        Self::Internal(anyhow::Error::new(err).context("blocking task failed"))
    }
}

/// Checks several parsed inputs at once: every value when all are fine,
/// otherwise one `Invalid` listing every field problem (an error that is not
/// about fields, such as `Forbidden`, is answered on its own).
/// `(a, b, c).all_valid()?`
pub trait AllValid {
    type Output;
    fn all_valid(self) -> Result<Self::Output, ServiceError>;
}

fn field_problems(err: ServiceError) -> Result<Vec<FieldProblem>, ServiceError> {
    match err {
        ServiceError::Invalid(problems) => Ok(problems),
        other => Err(other),
    }
}

macro_rules! all_valid_tuple {
    ($($t:ident $e:ident $v:ident),+) => {
        impl<$($t, $e: Into<ServiceError>),+> AllValid for ($(Result<$t, $e>,)+) {
            type Output = ($($t,)+);
            fn all_valid(self) -> Result<Self::Output, ServiceError> {
                let ($($v,)+) = self;
                let mut problems = Vec::new();
                $(
                    let $v = match $v {
                        Ok(v) => Some(v),
                        Err(e) => {
                            problems.extend(field_problems(e.into())?);
                            None
                        }
                    };
                )+
                match ($($v,)+) {
                    ($(Some($v),)+) if problems.is_empty() => Ok(($($v,)+)),
                    _ => Err(ServiceError::Invalid(problems)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_valid_lists_every_field_problem_and_lets_other_errors_through() {
        let ok: Result<u8, DomainError> = Ok(1);
        let bad_a: Result<u8, DomainError> = Err(DomainError::invalid("a", "bad"));
        let bad_b: Result<u8, ServiceError> = Err(ServiceError::field("b", "bad"));
        match (ok.clone(), bad_a.clone(), bad_b).all_valid() {
            Err(ServiceError::Invalid(problems)) => {
                let fields: Vec<&str> = problems.iter().map(|i| i.field.as_str()).collect();
                assert_eq!(fields, ["a", "b"]);
            }
            other => panic!("{other:?}"),
        }
        let forbidden: Result<u8, ServiceError> = Err(ServiceError::forbidden("admin_only", "no"));
        assert!(matches!(
            (bad_a, forbidden).all_valid(),
            Err(ServiceError::Forbidden { .. })
        ));
        assert_eq!((ok, Ok::<_, ServiceError>(2)).all_valid().unwrap(), (1, 2));
    }

    #[test]
    fn a_busy_database_is_unavailable_and_other_failures_are_internal() {
        for message in ["database is locked", "deadlock detected"] {
            let busy = DieselError::DatabaseError(
                DatabaseErrorKind::Unknown,
                Box::new(message.to_string()),
            );
            assert!(matches!(
                ServiceError::from(busy),
                ServiceError::Unavailable(_)
            ));
        }
        let other = DieselError::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("no such table: users".to_string()),
        );
        assert!(matches!(
            ServiceError::from(other),
            ServiceError::Internal(_)
        ));
    }
}
