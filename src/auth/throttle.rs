//! The per-account budget of password checks: at most [`MAX_FAILURES`] checks
//! that fail within [`WINDOW_MINUTES`], however many requests arrive at once and
//! however many instances share the database. A check is reserved atomically
//! before the password is hashed and given back only when it succeeds; sign-in
//! and the current-password check of a password change share the budget.

use chrono::TimeDelta;

use crate::db::login_failures::{self, Reservation};
use crate::db::{DbConn, now};
use crate::error::ServiceError;

pub const MAX_FAILURES: i64 = 10;
pub const WINDOW_MINUTES: i64 = 15;

fn window() -> TimeDelta {
    TimeDelta::minutes(WINDOW_MINUTES)
}

/// A reserved password check (the row id of its reservation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check(i64);

/// Reserves a check for the account `email` inside the caller's write
/// transaction, or answers 429 with the seconds until one frees up.
pub fn reserve(c: &mut DbConn, email: &str) -> Result<Check, ServiceError> {
    let at = now();
    match login_failures::reserve(c, email, at, at - window(), MAX_FAILURES)? {
        Reservation::Granted(id) => Ok(Check(id)),
        Reservation::Refused { oldest } => {
            let retry_after_secs = (oldest + window() - at).num_seconds().max(1) as u64;
            Err(ServiceError::TooManyAttempts { retry_after_secs })
        }
    }
}

/// Gives back a check whose password matched: it does not count as a failure.
/// The failures of other requests stay counted.
pub fn succeeded(c: &mut DbConn, check: Check) -> Result<(), ServiceError> {
    Ok(login_failures::release(c, check.0, now() - window())?)
}
