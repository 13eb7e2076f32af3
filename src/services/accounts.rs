//! Accounts people can act on: single-use links to set a password: the invitation to a new account
//! (72 hours) and the reset someone asks for on the sign-in page (1 hour).
//! Tokens are 256 random bits; only their SHA-256 is stored. A link works
//! once; setting a password retires every other link of the account and
//! ends every earlier session (the token version moves on).

use chrono::{NaiveDateTime, TimeDelta};

use crate::auth::{Passwords, random_hex, sha256_hex};
use crate::db::account_links::{self, AccountLink};
use crate::db::users::{self, User, UserChanges};
use crate::db::{Db, DbConn};
use crate::domain::{Email, NewPassword};
use crate::error::ServiceError;
use crate::links::Links;
use crate::mail::{self, Outgoing, templates};

/// Why a link was made, and how long it works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invitation,
    Reset,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::Reset => "reset",
        }
    }

    pub fn lifetime(self) -> TimeDelta {
        match self {
            Self::Invitation => TimeDelta::hours(72),
            Self::Reset => TimeDelta::hours(1),
        }
    }
}

/// At most this many reset mails per address and hour.
pub const RESETS_PER_HOUR: i64 = 3;

/// Makes a link for `user` inside the caller's transaction; answers its URL.
pub fn issue_in(
    c: &mut DbConn,
    user: &User,
    purpose: Purpose,
    links: &Links,
    at: NaiveDateTime,
) -> Result<String, ServiceError> {
    let token = random_hex(32);
    account_links::insert(
        c,
        user.id,
        purpose.as_str(),
        &sha256_hex(&token),
        at + purpose.lifetime(),
        at,
    )?;
    Ok(links.set_password(&token))
}

/// Mails an invitation to set a password to a new account (caller's transaction).
pub fn invite_in(
    c: &mut DbConn,
    user: &User,
    links: &Links,
    at: NaiveDateTime,
) -> Result<(), ServiceError> {
    let url = issue_in(c, user, Purpose::Invitation, links, at)?;
    mail::enqueue(c, &invitation(user, &url))?;
    Ok(())
}

/// The message inviting `user` to choose a password at `url`.
fn invitation(user: &User, url: &str) -> Outgoing {
    Outgoing {
        kind: "account_invitation",
        to: vec![user.email.clone()],
        cc: Vec::new(),
        content: templates::account_invitation(
            &user.name,
            &user.email,
            url,
            Purpose::Invitation.lifetime().num_hours(),
        ),
        invite: None,
    }
}

/// [`invite_in`] for many new accounts at once (an import): their links and
/// their messages each in multi-row statements, in the order given.
pub fn invite_many_in(
    c: &mut DbConn,
    users: &[&User],
    links: &Links,
    at: NaiveDateTime,
) -> Result<(), ServiceError> {
    let purpose = Purpose::Invitation;
    let tokens: Vec<String> = users.iter().map(|_| random_hex(32)).collect();
    let rows: Vec<(i64, String)> = users
        .iter()
        .zip(&tokens)
        .map(|(user, token)| (user.id, sha256_hex(token)))
        .collect();
    account_links::insert_many(c, &rows, purpose.as_str(), at + purpose.lifetime(), at)?;
    let messages: Vec<Outgoing> = users
        .iter()
        .zip(&tokens)
        .map(|(user, token)| invitation(user, &links.set_password(token)))
        .collect();
    mail::enqueue_many(c, &messages)?;
    Ok(())
}

/// "Forgot your password?": mails a reset link to an active account with this
/// address, at most [`RESETS_PER_HOUR`] an hour. The work is handed to a task
/// of its own and this returns at once, so the caller answers the same, in
/// the same time, whatever the address: nobody learns from the answer or
/// from its timing whether an address has an account. (A request the process
/// is stopped in the middle of is simply not mailed; asking again works.)
pub fn request_reset(db: &Db, links: &Links, email: &str, at: NaiveDateTime) {
    let (db, links, email) = (db.clone(), links.clone(), email.to_owned());
    tokio::spawn(async move {
        if let Err(e) = mail_reset_link(&db, &links, &email, at).await {
            tracing::warn!(error = %e, "a password reset request could not be handled");
        }
    });
}

/// The work of [`request_reset`], after the answer.
async fn mail_reset_link(
    db: &Db,
    links: &Links,
    email: &str,
    at: NaiveDateTime,
) -> Result<(), ServiceError> {
    let Some(email) = Email::normalize_for_lookup(email) else {
        return Ok(());
    };
    let links = links.clone();
    db.write(move |c| {
        let Some(found) = users::credentials(c, &email)? else {
            tracing::info!("password reset asked for an unknown address");
            return Ok(());
        };
        // One request of an account at a time: the hourly limit holds when
        // several arrive together.
        users::lock(c, found.id)?;
        let Some(user) = users::find(c, found.id)?.filter(|u| u.active) else {
            return Ok(());
        };
        let recent = account_links::count_since(
            c,
            user.id,
            Purpose::Reset.as_str(),
            at - TimeDelta::hours(1),
        )?;
        if recent >= RESETS_PER_HOUR {
            tracing::warn!(user.id = user.id, "password reset throttled");
            return Ok(());
        }
        let url = issue_in(c, &user, Purpose::Reset, &links, at)?;
        mail::enqueue(
            c,
            &Outgoing {
                kind: "password_reset",
                to: vec![user.email.clone()],
                cc: Vec::new(),
                content: templates::password_reset(
                    &user.name,
                    &url,
                    Purpose::Reset.lifetime().num_minutes(),
                ),
                invite: None,
            },
        )?;
        tracing::info!(user.id = user.id, "password reset link mailed");
        Ok(())
    })
    .await
}

fn not_valid() -> ServiceError {
    ServiceError::field(
        "token",
        "this link no longer works: it was used, it expired, or a newer one replaced it. Ask for a new one with \"Forgot your password?\"",
    )
}

/// The link with this token hash and its active account, if it still works at `at`.
fn live_link(
    c: &mut DbConn,
    token_hash: &str,
    at: NaiveDateTime,
) -> Result<(AccountLink, User), ServiceError> {
    let link = account_links::find_by_hash(c, token_hash)?
        .filter(|l| l.used_at.is_none() && l.expires_at > at)
        .ok_or_else(not_valid)?;
    let user = users::find(c, link.user_id)?
        .filter(|u| u.active)
        .ok_or_else(not_valid)?;
    Ok((link, user))
}

/// The person a link is for, if it still works (for the page that asks for
/// the new password).
pub async fn holder(db: &Db, token: &str, at: NaiveDateTime) -> Result<User, ServiceError> {
    let hash = sha256_hex(token);
    db.run(move |c| Ok(live_link(c, &hash, at)?.1)).await
}

/// Sets the password of the link's account and uses the link up. Every other
/// link of the account stops working, and so does every earlier session.
pub async fn set_password(
    db: &Db,
    passwords: &Passwords,
    token: &str,
    new_password: NewPassword,
    at: NaiveDateTime,
) -> Result<User, ServiceError> {
    Ok(
        set_password_starting(db, passwords, token, new_password, at, None)
            .await?
            .0,
    )
}

/// [`set_password`], then a session of `kind` for the person, started in the
/// same transaction after the earlier ones ended: the page that set the
/// password signs them in.
pub async fn set_password_and_sign_in(
    db: &Db,
    passwords: &Passwords,
    token: &str,
    new_password: NewPassword,
    at: NaiveDateTime,
    kind: crate::auth::SessionKind,
) -> Result<(User, crate::auth::SessionKey), ServiceError> {
    let (user, key) =
        set_password_starting(db, passwords, token, new_password, at, Some(kind)).await?;
    let key = key.ok_or_else(|| ServiceError::Internal(anyhow::anyhow!("no session started")))?;
    Ok((user, key))
}

async fn set_password_starting(
    db: &Db,
    passwords: &Passwords,
    token: &str,
    new_password: NewPassword,
    at: NaiveDateTime,
    start: Option<crate::auth::SessionKind>,
) -> Result<(User, Option<crate::auth::SessionKey>), ServiceError> {
    // Refuse a dead link before spending a password hash on it.
    holder(db, token, at).await?;
    let hash = passwords.hash(new_password.expose().to_owned()).await?;
    let token_hash = sha256_hex(token);
    let user = db
        .write(move |c| {
            let (link, user) = live_link(c, &token_hash, at)?;
            users::lock(c, user.id)?;
            // Read again under the lock: a deactivation may have come first.
            let (link, user) = match live_link(c, &token_hash, at) {
                Ok(live) if live.0.id == link.id => live,
                _ => return Err(not_valid()),
            };
            if !account_links::consume(c, link.id, at)? {
                return Err(not_valid());
            }
            account_links::retire_all(c, user.id, at)?;
            crate::auth::session::end_all(c, user.id)?;
            let user = users::update(
                c,
                user.id,
                UserChanges {
                    password_hash: Some(hash),
                    token_version: Some(user.token_version + 1),
                    must_change_password: Some(false),
                    updated_at: Some(at),
                    ..Default::default()
                },
            )?;
            let key = match start {
                Some(kind) => Some(crate::auth::session::start(c, user.id, kind, at)?),
                None => None,
            };
            Ok((user, key))
        })
        .await?;
    tracing::info!(
        user.id = user.0.id,
        "password set from a link; earlier sessions ended"
    );
    Ok(user)
}
