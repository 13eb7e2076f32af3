//! The caller of a request: a verified token whose user is loaded in the same
//! database trip as the work it authorizes.

use crate::db::users::{self, User};
use crate::db::{Db, DbConn};
use crate::error::ServiceError;

use super::TokenKeys;

/// A token that verified (signature, issuer, expiry), naming its user and the
/// token version it was issued for. Whether that user is still active and the
/// version still current is decided by [`Caller::user_in`], on the connection
/// of the work itself: one trip to the database per request instead of two,
/// and the check and the work see the same data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    user_id: i64,
    version: i64,
}

impl Caller {
    /// The caller behind `token`; `None` for any token that does not verify.
    pub fn of_token(tokens: &TokenKeys, token: &str) -> Option<Self> {
        let (user_id, claims) = tokens.verify(token)?;
        Some(Self {
            user_id,
            version: claims.ver,
        })
    }

    /// A caller whose user was already loaded (a page's viewer, the demo):
    /// the check is made again in the trip of the work.
    pub fn of_user(user: &User) -> Self {
        Self {
            user_id: user.id,
            version: user.token_version,
        }
    }

    /// The active user of this caller, loaded fresh so that a deactivation, a
    /// password change or a role change takes effect at once;
    /// `InvalidToken` for a token revoked since it was issued.
    pub fn user_in(&self, conn: &mut DbConn) -> Result<User, ServiceError> {
        users::find(conn, self.user_id)?
            .filter(|u| u.active && u.token_version == self.version)
            .ok_or(ServiceError::InvalidToken)
    }

    /// The active user of this caller, in a trip of its own.
    pub async fn user(self, db: &Db) -> Result<User, ServiceError> {
        self.run(db, |_, user| Ok(user.clone())).await
    }

    /// Runs read queries as this caller on the blocking pool: the user is
    /// loaded on the same connection first.
    pub async fn run<T, F>(self, db: &Db, f: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut DbConn, &User) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        db.run(move |c| {
            let user = self.user_in(c)?;
            f(c, &user)
        })
        .await
    }

    /// Runs `f` as this caller in one write transaction on the blocking pool.
    pub async fn write<T, F>(self, db: &Db, f: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut DbConn, &User) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        db.write(move |c| {
            let user = self.user_in(c)?;
            f(c, &user)
        })
        .await
    }
}
