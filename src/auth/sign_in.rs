//! Signing in, changing one's password, and who a token belongs to.

use crate::db::Db;
use crate::db::users::{self, User, UserChanges};
use crate::domain::{Email, NewPassword};
use crate::error::ServiceError;

use super::{Caller, Passwords, TokenKeys, throttle};

/// The account behind `email` and `password`. An unknown email, an inactive
/// account and a wrong password are the same `InvalidCredentials` after the
/// same argon2 work; the check is reserved against the account's budget first.
pub async fn sign_in(
    db: &Db,
    passwords: &Passwords,
    email: &str,
    password: String,
) -> Result<User, ServiceError> {
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
    let user = db
        .write(move |c| {
            throttle::succeeded(c, check)?;
            users::find(c, user_id)?.ok_or(ServiceError::InvalidCredentials)
        })
        .await?;
    tracing::info!(user.id = user.id, "signed in");
    Ok(user)
}

/// Changes the actor's password after checking the current one (which spends
/// the same budget as sign-in); every earlier token stops working.
pub async fn change_password(
    db: &Db,
    passwords: &Passwords,
    actor: &User,
    current_password: String,
    new_password: NewPassword,
) -> Result<User, ServiceError> {
    let email = actor.email.clone();
    let (check, stored) = db
        .write(move |c| {
            let check = throttle::reserve(c, &email)?;
            let stored = users::credentials(c, &email)?.map(|cr| cr.password_hash);
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
    let id = actor.id;
    let updated = db
        .write(move |c| {
            throttle::succeeded(c, check)?;
            // Re-read inside the transaction: a concurrent change may have bumped the version.
            let current = users::find(c, id)?.ok_or(ServiceError::NotFound)?;
            let changes = UserChanges {
                password_hash: Some(hash),
                token_version: Some(current.token_version + 1),
                must_change_password: Some(false),
                ..Default::default()
            };
            Ok(users::update(c, id, changes)?)
        })
        .await?;
    tracing::info!(user.id = id, "password changed; earlier tokens revoked");
    Ok(updated)
}

/// The active user a token was issued to, loaded fresh so that a deactivation,
/// a password change or a role change takes effect at once; `None` for a
/// token that is invalid or revoked.
pub async fn user_of_token(
    db: &Db,
    tokens: &TokenKeys,
    token: &str,
) -> Result<Option<User>, ServiceError> {
    let Some(caller) = Caller::of_token(tokens, token) else {
        return Ok(None);
    };
    match caller.user(db).await {
        Ok(user) => Ok(Some(user)),
        Err(ServiceError::InvalidToken) => Ok(None),
        Err(e) => Err(e),
    }
}
