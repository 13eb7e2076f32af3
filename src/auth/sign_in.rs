//! Signing in, changing one's password, and who a token belongs to.

use crate::db::users::{self, User, UserChanges};
use crate::db::{Db, sessions};
use crate::domain::{Email, NewPassword};
use crate::error::ServiceError;

use super::session::{self, SessionKey, SessionKind};
use super::{Caller, Passwords, throttle};

/// The account behind `email` and `password`. An unknown email, an inactive
/// account and a wrong password are the same `InvalidCredentials` after the
/// same argon2 work; the check is reserved against the account's budget first.
/// Where password sign-in is turned off (`allowed` false: single sign-on
/// only), nothing is checked: `password_sign_in_off`.
pub async fn sign_in(
    db: &Db,
    passwords: &Passwords,
    allowed: bool,
    email: &str,
    password: String,
    kind: SessionKind,
) -> Result<(User, SessionKey), ServiceError> {
    if !allowed {
        return Err(password_sign_in_off());
    }
    let Some(email) = Email::normalize_for_lookup(email) else {
        // Text no account can have (a NUL, a control character): a wrong email,
        // answered after the same work, and never sent to the database.
        passwords.verify(password, None).await?;
        return Err(ServiceError::InvalidCredentials);
    };
    let (check, credentials) = db
        .write(move |c| {
            let check = throttle::reserve(c, &email)?;
            Ok((check, users::credentials(c, &email)?))
        })
        .await?;
    let (user_id, active, stored) = match credentials {
        Some(c) => (Some(c.id), c.active, Some(c.password_hash)),
        None => (None, false, None),
    };
    let password_ok = passwords.verify(password, stored).await?;
    let Some(user_id) = user_id.filter(|_| password_ok && active) else {
        // The reservation stays: it is the failure that counts.
        return Err(ServiceError::InvalidCredentials);
    };
    let signed_in = db
        .write(move |c| {
            throttle::succeeded(c, check)?;
            users::lock(c, user_id)?;
            // Re-read after the lock: a deactivation may have won the race.
            let user = users::find(c, user_id)?
                .filter(|u| u.active)
                .ok_or(ServiceError::InvalidCredentials)?;
            let key = session::start(c, user.id, kind, crate::db::now())?;
            Ok((user, key))
        })
        .await?;
    tracing::info!(
        user.id = signed_in.0.id,
        session = kind.as_str(),
        "signed in"
    );
    Ok(signed_in)
}

/// The refusal of a password sign-in where only single sign-on is on.
pub fn password_sign_in_off() -> ServiceError {
    ServiceError::forbidden(
        "password_sign_in_off",
        "Password sign-in is turned off here: sign in with single sign-on.",
    )
}

/// Changes the caller's password after checking the current one (which
/// spends the same budget as sign-in). Every session of the person ends, and
/// the caller gets a new one of the same kind. Of concurrent changes the
/// first wins: the others find their session ended (`InvalidToken`). The
/// account's row is locked, so a deactivation is either seen (and the change
/// refused) or comes after (and ends the new session too).
pub async fn change_password(
    db: &Db,
    passwords: &Passwords,
    caller: Caller,
    current_password: String,
    new_password: NewPassword,
) -> Result<(User, SessionKey), ServiceError> {
    let (check, stored) = caller
        .write(db, move |c, user| {
            let check = throttle::reserve(c, &user.email)?;
            let stored = users::credentials(c, &user.email)?.map(|cr| cr.password_hash);
            Ok((check, stored))
        })
        .await?;
    if !passwords.verify(current_password, stored).await? {
        return Err(ServiceError::field(
            "current_password",
            "does not match your password",
        ));
    }
    let hash = passwords.hash(new_password.expose().to_owned()).await?;
    let kind = caller.session_kind().unwrap_or(SessionKind::Api);
    let changed = db
        .write(move |c| {
            // The password was right: the check does not count as a failure,
            // even if the change loses the race below.
            throttle::succeeded(c, check)?;
            // A change or a deactivation that committed meanwhile ended
            // this session: the change is lost.
            let current = match caller.user_locked(c) {
                Ok(user) => user,
                Err(ServiceError::InvalidToken) => return Ok(None),
                Err(e) => return Err(e),
            };
            let id = current.id;
            let changes = UserChanges {
                password_hash: Some(hash),
                token_version: Some(current.token_version + 1),
                must_change_password: Some(false),
                ..Default::default()
            };
            let updated = users::update(c, id, changes)?;
            session::end_all(c, id)?;
            let key = session::start(c, id, kind, crate::db::now())?;
            Ok(Some((updated, key)))
        })
        .await?;
    let (updated, key) = changed.ok_or(ServiceError::InvalidToken)?;
    tracing::info!(
        user.id = updated.id,
        "password changed; every other session ended"
    );
    Ok((updated, key))
}

/// Ends the caller's session (signing out): at once, on every instance.
pub async fn sign_out(db: &Db, caller: Caller) -> Result<(), ServiceError> {
    let Some(session) = caller.session() else {
        return Ok(());
    };
    let ended = db
        .write(move |c| Ok(sessions::delete(c, &session.hex())?))
        .await?;
    tracing::info!(ended, "signed out");
    Ok(())
}

/// Ends every session of the caller, on every device and every token, and
/// revokes every token issued before (the token version moves on).
pub async fn sign_out_everywhere(db: &Db, caller: Caller) -> Result<usize, ServiceError> {
    let (id, ended) = db
        .write(move |c| {
            let user = caller.user_locked(c)?;
            let id = user.id;
            users::update(
                c,
                id,
                UserChanges {
                    token_version: Some(user.token_version + 1),
                    ..Default::default()
                },
            )?;
            Ok((id, session::end_all(c, id)?))
        })
        .await?;
    tracing::info!(user.id = id, ended, "signed out of every session");
    Ok(ended)
}

/// How many live sessions the caller has, this one included.
pub async fn live_sessions(db: &Db, caller: Caller) -> Result<i64, ServiceError> {
    caller
        .run(db, |c, user| {
            Ok(sessions::count_live_of(c, user.id, crate::db::now())?)
        })
        .await
}
