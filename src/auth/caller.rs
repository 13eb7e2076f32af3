//! The caller of a request: a session (a browser's cookie or a verified API
//! token) whose user is loaded in the same database trip as the work it
//! authorizes.

use crate::db::loops::{self, LoopWithPanel};
use crate::db::names_cache::{NamesReader, Stamp};
use crate::db::users::{self, User};
use crate::db::{Db, DbConn, sessions};
use crate::domain::LoopId;
use crate::error::ServiceError;

use super::TokenKeys;
use super::session::{KeyHash, SessionKind};

/// The caller of a request: a session key that has the shape of one (a
/// browser's cookie) or a token that verified (signature, issuer, expiry),
/// naming its session, its user and the token version it was issued for.
/// Whether that session is still live, its user still active and the version
/// still current is decided by [`Caller::user_in`], on the connection of the
/// work itself: one trip to the database per request instead of two, and the
/// check and the work see the same data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    credential: Credential,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Credential {
    /// A browser's session cookie.
    Browser(KeyHash),
    /// An API token: its session, user and token version.
    Token {
        session: KeyHash,
        user_id: i64,
        version: i64,
    },
    /// A user the process itself loaded (the demo seeding its loops): no
    /// session; the account must still be active and unchanged.
    Loaded { user_id: i64, version: i64 },
    /// An API key: the hash of the key, looked up at every request.
    Key(KeyHash),
}

impl Caller {
    /// The caller behind an API token; `None` for any token that does not verify.
    pub fn of_token(tokens: &TokenKeys, token: &str) -> Option<Self> {
        let verified = tokens.verify(token)?;
        Some(Self {
            credential: Credential::Token {
                session: verified.session,
                user_id: verified.user_id,
                version: verified.version,
            },
        })
    }

    /// The caller behind an API key (`brk_…`); `None` for anything that
    /// cannot be one.
    pub fn of_api_key(token: &str) -> Option<Self> {
        let secret = token.strip_prefix(super::API_KEY_PREFIX)?;
        Some(Self {
            credential: Credential::Key(KeyHash::of(secret)?),
        })
    }

    /// The hash of the API key this caller presented, if it presented one.
    pub fn api_key(&self) -> Option<KeyHash> {
        match self.credential {
            Credential::Key(hash) => Some(hash),
            _ => None,
        }
    }

    /// The caller behind a browser's session cookie; `None` for a value that
    /// cannot be a session key.
    pub fn of_session_cookie(value: &str) -> Option<Self> {
        Some(Self {
            credential: Credential::Browser(KeyHash::of(value)?),
        })
    }

    /// A caller the process loaded itself (the demo), outside any session.
    pub fn of_user(user: &User) -> Self {
        Self {
            credential: Credential::Loaded {
                user_id: user.id,
                version: user.token_version,
            },
        }
    }

    /// The session this caller acts in, if any.
    pub fn session(&self) -> Option<KeyHash> {
        match self.credential {
            Credential::Browser(hash) | Credential::Token { session: hash, .. } => Some(hash),
            Credential::Loaded { .. } | Credential::Key(_) => None,
        }
    }

    /// The kind of session this caller acts in, if any.
    pub fn session_kind(&self) -> Option<SessionKind> {
        match self.credential {
            Credential::Browser(_) => Some(SessionKind::Browser),
            Credential::Token { .. } => Some(SessionKind::Api),
            Credential::Loaded { .. } | Credential::Key(_) => None,
        }
    }

    /// Whether `user` is the one this caller's credential stands for: for a
    /// token (or a user the process loaded), that user at the token version
    /// it was issued for, so a password change revokes it; for a browser's
    /// session or an API key, whoever the row it names belongs to.
    fn issued_to(&self, user: &User) -> bool {
        match self.credential {
            Credential::Token {
                user_id, version, ..
            }
            | Credential::Loaded { user_id, version } => {
                user.id == user_id && user.token_version == version
            }
            Credential::Browser(_) | Credential::Key(_) => true,
        }
    }

    /// The active user of this caller, loaded fresh so that a sign-out, a
    /// deactivation, a password change or a role change takes effect at once;
    /// `InvalidToken` for a session ended or a token revoked since.
    pub fn user_in(&self, conn: &mut DbConn) -> Result<User, ServiceError> {
        let now = crate::db::now();
        let user = match self.credential {
            Credential::Browser(hash) => {
                sessions::user_of(conn, &hash.hex(), SessionKind::Browser.as_str(), now)?
            }
            Credential::Token { session, .. } => {
                sessions::user_of(conn, &session.hex(), SessionKind::Api.as_str(), now)?
            }
            Credential::Loaded { user_id, .. } => users::find(conn, user_id)?,
            Credential::Key(hash) => crate::db::api_keys::user_of(conn, &hash.hex())?,
        };
        user.filter(|u| self.issued_to(u) && u.active)
            .ok_or(ServiceError::InvalidToken)
    }

    /// [`user_in`](Self::user_in) with loop `loop_id` and its panel (`None`
    /// when there is no such loop; whether the user may see it is the
    /// caller's to decide). A session's check and the loop read are one
    /// statement: one round trip for the loop page, the debrief room and the
    /// API's read. The session's liveness, the token's version and the
    /// account's activity are checked exactly as `user_in` checks them.
    /// With `stamped` and a session, the loop comes with the [`Stamp`] its
    /// kept names are checked against (`db::names_cache`).
    pub fn user_and_loop_in(
        &self,
        conn: &mut DbConn,
        loop_id: i64,
        stamped: bool,
    ) -> Result<(User, Option<LoopWithPanel>, Option<Stamp>), ServiceError> {
        let (Some(session), Some(kind)) = (self.session(), self.session_kind()) else {
            let user = self.user_in(conn)?;
            return Ok((user, loops::with_panel(conn, loop_id)?, None));
        };
        let now = crate::db::now();
        let hash = session.hex();
        let (user, found) =
            loops::with_panel_in_session(conn, &hash, kind.as_str(), now, loop_id, stamped)?
                .filter(|(u, _)| self.issued_to(u) && u.active)
                .ok_or(ServiceError::InvalidToken)?;
        Ok(match found {
            Some((found, stamp)) => (user, Some(found), stamp),
            None => (user, None, None),
        })
    }

    /// [`user_in`](Self::user_in) for many callers at once, in one query for
    /// all their sessions: each caller's active user, or `None` where
    /// `user_in` would refuse (a session ended, a token revoked, an account
    /// deactivated).
    pub fn users_in(
        conn: &mut DbConn,
        callers: &[Caller],
    ) -> Result<Vec<Option<User>>, ServiceError> {
        let now = crate::db::now();
        let hashes: Vec<String> = callers
            .iter()
            .filter_map(|c| c.session().map(|h| h.hex()))
            .collect();
        let live = sessions::users_of_many(conn, &hashes, now)?;
        let session_user = |hash: &KeyHash, kind: SessionKind| {
            let hex = hash.hex();
            live.iter()
                .find(|(h, k, _)| *h == hex && k == kind.as_str())
                .map(|(_, _, u)| u.clone())
        };
        callers
            .iter()
            .map(|caller| {
                let user = match caller.credential {
                    Credential::Browser(hash) => session_user(&hash, SessionKind::Browser),
                    Credential::Token { session, .. } => session_user(&session, SessionKind::Api),
                    Credential::Loaded { .. } | Credential::Key(_) => match caller.user_in(conn) {
                        Ok(u) => Some(u),
                        Err(ServiceError::InvalidToken) => None,
                        Err(e) => return Err(e),
                    },
                };
                Ok(user.filter(|u| caller.issued_to(u) && u.active))
            })
            .collect()
    }

    /// [`user_in`](Self::user_in) with the account's row locked until the
    /// transaction ends: a password change or a deactivation that committed
    /// meanwhile is seen (the caller's session ended: `InvalidToken`).
    pub fn user_locked(&self, conn: &mut DbConn) -> Result<User, ServiceError> {
        let id = self.user_in(conn)?.id;
        users::lock(conn, id)?;
        self.user_in(conn)
    }

    /// The active user of this caller, or `None` when its session ended or
    /// its token was revoked (a page sends such a person to sign in).
    pub async fn live_user(self, db: &Db) -> Result<Option<User>, ServiceError> {
        match self.user(db).await {
            Ok(user) => Ok(Some(user)),
            Err(ServiceError::InvalidToken) => Ok(None),
            Err(e) => Err(e),
        }
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

    /// [`run`](Self::run) for work whose first read is loop `id` with its
    /// panel: `f` gets it (or `None`) read in the same statement as the
    /// caller's session (see [`user_and_loop_in`](Self::user_and_loop_in)).
    pub async fn run_on_loop<T, F>(self, db: &Db, id: LoopId, f: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut DbConn, &User, Option<LoopWithPanel>) -> Result<T, ServiceError>
            + Send
            + 'static,
        T: Send + 'static,
    {
        db.run(move |c| {
            let (user, found, _) = self.user_and_loop_in(c, id.get(), false)?;
            f(c, &user, found)
        })
        .await
    }

    /// [`run_on_loop`](Self::run_on_loop) for a page that shows the loop's
    /// names and trail: `f` also gets the reader that serves them from what
    /// this database's reads keep, checked with the loop's [`Stamp`].
    pub async fn run_on_loop_page<T, F>(self, db: &Db, id: LoopId, f: F) -> Result<T, ServiceError>
    where
        F: FnOnce(
                &mut DbConn,
                &User,
                Option<LoopWithPanel>,
                NamesReader,
            ) -> Result<T, ServiceError>
            + Send
            + 'static,
        T: Send + 'static,
    {
        let cache = db.names_cache();
        db.run(move |c| {
            let (user, found, stamp) = self.user_and_loop_in(c, id.get(), true)?;
            f(c, &user, found, NamesReader::kept(cache, stamp))
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
