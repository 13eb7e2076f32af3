//! People: the directory, accounts, reporting lines and the bar raiser roster.
//! Every rule about a person lives here; the JSON handlers and the command line
//! call these functions with the acting user and parsed input.

use crate::auth::Passwords;
use crate::auth::require_admin;
use crate::db::account_links;
use crate::db::users::{self, NewUser, UserChanges};
pub use crate::db::users::{User, UserFilter};
use crate::db::{Db, DbConn, now};
use crate::domain::{
    BarRaiserStatus, DomainError, Email, Listing, NewPassword, OneLine, Page, PersonName, Role,
    TimeZone, UserId,
};
use crate::error::ServiceError;
use crate::links::Links;
use crate::mail::{self, Outgoing, templates};
use crate::services::hiring::independence::{self, TurnedRed};
use crate::services::org::existing;

mod directory;
mod import;
pub mod picker;
use crate::services::org_audit::{self, OrgEventKind, Subject};
pub use directory::{
    Directory, MANAGER_CHOICES, OrgChart, Profile, directory, display_names, manager_choices,
    names, org_chart, profile,
};
pub use import::{COLUMNS as IMPORT_COLUMNS, ImportOutcome, import};
use serde_json::json;

/// A new account, already parsed and validated.
#[derive(Debug)]
pub struct NewAccount {
    pub email: Email,
    pub name: PersonName,
    pub role: Role,
    pub manager_id: Option<UserId>,
    pub department: Option<OneLine>,
}

/// A parsed `PATCH /users/{id}`: `None` leaves a field, `Some(None)` clears it.
#[derive(Debug, Default)]
pub struct UserEdit {
    pub name: Option<PersonName>,
    pub role: Option<Role>,
    pub manager_id: Option<Option<UserId>>,
    pub department: Option<Option<OneLine>>,
    pub active: Option<bool>,
}

/// Inserts an account with an already computed password hash and queues the
/// welcome message (which carries no password), in the caller's transaction.
pub fn create_account(
    c: &mut DbConn,
    account: &NewAccount,
    password_hash: &str,
    links: &Links,
    actor_id: Option<i64>,
) -> Result<User, ServiceError> {
    let user = insert_account(c, account, password_hash, actor_id, false)?;
    mail::enqueue(
        c,
        &Outgoing {
            kind: "account_created",
            to: vec![user.email.clone()],
            cc: Vec::new(),
            content: templates::account_created(&user.name, &user.email, &links.sign_in()),
            invite: None,
        },
    )?;
    Ok(user)
}

/// Inserts an account without a usable password and mails the person a
/// single-use link to choose one (valid 72 hours), in the caller's transaction.
/// `unusable_hash` is the hash of a random secret nobody knows, so signing in
/// fails after the same work as for any wrong password.
pub fn create_invited_account(
    c: &mut DbConn,
    account: &NewAccount,
    unusable_hash: &str,
    links: &Links,
    actor_id: Option<i64>,
) -> Result<User, ServiceError> {
    let user = insert_account(c, account, unusable_hash, actor_id, true)?;
    crate::services::accounts::invite_in(c, &user, links, now())?;
    Ok(user)
}

fn insert_account(
    c: &mut DbConn,
    account: &NewAccount,
    password_hash: &str,
    actor_id: Option<i64>,
    invited: bool,
) -> Result<User, ServiceError> {
    if let Some(manager_id) = account.manager_id {
        existing(c, "manager_id", manager_id)?;
    }
    let at = now();
    let new = NewUser {
        email: account.email.as_ref(),
        name: account.name.as_ref(),
        password_hash,
        role: account.role.as_str(),
        manager_id: account.manager_id.map(UserId::get),
        department: account.department.as_ref().map(AsRef::as_ref),
        bar_raiser: BarRaiserStatus::None.as_str(),
        active: true,
        token_version: 0,
        created_at: at,
        updated_at: at,
    };
    let user = users::insert(c, &new).map_err(|e| match ServiceError::from(e) {
        ServiceError::Conflict { .. } => {
            ServiceError::conflict("email_taken", "A user with this email already exists.")
        }
        other => other,
    })?;
    org_audit::record(
        c,
        actor_id,
        OrgEventKind::PersonAdded,
        Subject::User(user.id),
        &json!({
            "name": user.name,
            "email": user.email,
            "role": user.role.as_str(),
            "manager_id": user.manager_id,
            "department": user.department,
            "invited": invited,
        }),
    )?;
    Ok(user)
}

/// Making `user` report to `manager_id` must not close a loop in the reporting
/// lines (422 `reporting_cycle`, naming the people on the loop).
fn check_no_cycle(c: &mut DbConn, user: &User, manager_id: UserId) -> Result<(), ServiceError> {
    let chain = users::management_chain(c, manager_id.get())?;
    let Some(pos) = chain.iter().position(|link| link.id == user.id) else {
        return Ok(());
    };
    let manager = &chain[0].name;
    let detail = if pos == 0 {
        format!("{} cannot report to themselves.", user.name)
    } else {
        let through: Vec<&str> = chain[1..pos].iter().map(|l| l.name.as_str()).collect();
        let via = if through.is_empty() {
            String::new()
        } else {
            format!(" through {}", through.join(", "))
        };
        format!(
            "{} cannot report to {manager}: {manager} already reports to {}{via}.",
            user.name, user.name
        )
    };
    Err(DomainError::Rule {
        code: "reporting_cycle",
        detail,
    }
    .into())
}

/// `GET /users`: the directory, for any signed-in user.
pub async fn list(db: &Db, filter: UserFilter, page: Page) -> Result<Listing<User>, ServiceError> {
    let rows = db
        .run(move |c| Ok(users::list(c, &filter, page.after, page.fetch())?))
        .await?;
    Ok(page.cut(rows, |u| u.id))
}

/// One person of the directory.
pub async fn get(db: &Db, id: UserId) -> Result<User, ServiceError> {
    db.run(move |c| users::find(c, id.get())?.ok_or(ServiceError::NotFound))
        .await
}

/// Creates an account (admins only), hashing the password off the request
/// threads. Without a password, the person is mailed an invitation to choose one.
pub async fn create(
    db: &Db,
    passwords: &Passwords,
    links: &Links,
    actor: &User,
    account: NewAccount,
    password: Option<NewPassword>,
) -> Result<User, ServiceError> {
    require_admin(actor)?;
    let (invite, actor_id) = (password.is_none(), actor.id);
    let secret = match password {
        Some(p) => p.expose().to_owned(),
        None => crate::auth::random_hex(32),
    };
    let hash = passwords.hash(secret).await?;
    let links = links.clone();
    let created = db
        .write(move |c| {
            if invite {
                create_invited_account(c, &account, &hash, &links, Some(actor_id))
            } else {
                create_account(c, &account, &hash, &links, Some(actor_id))
            }
        })
        .await?;
    tracing::info!(user.id = created.id, by = actor.id, "user created");
    Ok(created)
}

/// Changes a person (admins only). A role change or a deactivation ends
/// their sessions and revokes their tokens; a deactivation also retires their
/// unused invitation and reset links; any change that can move a loop's
/// independence re-evaluates the open loops it touches in the same transaction.
pub async fn update(
    db: &Db,
    links: &Links,
    actor: &User,
    id: UserId,
    edit: UserEdit,
) -> Result<User, ServiceError> {
    Ok(change(db, links, actor, id, edit).await?.0)
}

/// Changes a person as [`update`] does and answers the open loops the change
/// turned red (the admin's page says so after Save).
pub async fn change(
    db: &Db,
    links: &Links,
    actor: &User,
    id: UserId,
    edit: UserEdit,
) -> Result<(User, Vec<TurnedRed>), ServiceError> {
    check_not_self_lockout(actor, id, &edit)?;
    let (links, actor_id) = (links.clone(), actor.id);
    let changed = db
        .write(move |c| update_in(c, actor_id, id, edit, &links))
        .await?;
    tracing::info!(user.id = id.get(), by = actor.id, "user updated");
    Ok(changed)
}

/// What a change of a person would do, rehearsed and rolled back (admins
/// only): the person as they would be and the open loops it would turn red.
/// Every refusal `update` would give, this gives too.
pub async fn preview_update(
    db: &Db,
    links: &Links,
    actor: &User,
    id: UserId,
    edit: UserEdit,
) -> Result<(User, Vec<TurnedRed>), ServiceError> {
    check_not_self_lockout(actor, id, &edit)?;
    let (links, actor_id) = (links.clone(), actor.id);
    db.rehearse(move |c| update_in(c, actor_id, id, edit, &links))
        .await
}

fn check_not_self_lockout(actor: &User, id: UserId, edit: &UserEdit) -> Result<(), ServiceError> {
    require_admin(actor)?;
    if id.get() == actor.id
        && (edit.role.is_some_and(|r| r != Role::Admin) || edit.active == Some(false))
    {
        return Err(ServiceError::conflict(
            "self_lockout",
            "Admins cannot demote or deactivate themselves; ask another admin.",
        ));
    }
    Ok(())
}

/// The change of a person inside the caller's transaction, with the loops it
/// turned red.
fn update_in(
    c: &mut DbConn,
    actor_id: i64,
    id: UserId,
    edit: UserEdit,
    links: &Links,
) -> Result<(User, Vec<TurnedRed>), ServiceError> {
    // One change of an account at a time (a password change racing a
    // deactivation sees it, or is undone by it).
    users::lock(c, id.get())?;
    let current = users::find(c, id.get())?.ok_or(ServiceError::NotFound)?;
    if let Some(Some(manager_id)) = edit.manager_id {
        existing(c, "manager_id", manager_id)?;
        check_no_cycle(c, &current, manager_id)?;
    }
    let manager_id = edit.manager_id.map(|m| m.map(UserId::get));
    let department = edit.department.map(|d| d.map(OneLine::into_string));
    let role_changed = edit.role.is_some_and(|r| r != current.role);
    let deactivated = edit.active == Some(false) && current.active;
    let manager_changed = manager_id.is_some_and(|m| m != current.manager_id);
    // Reports name people, those in management chains too.
    let renamed = edit
        .name
        .as_ref()
        .is_some_and(|n| n.as_ref() != current.name);
    let org_changed = role_changed
        || manager_changed
        || edit.active.is_some_and(|a| a != current.active)
        || department
            .as_ref()
            .is_some_and(|d| *d != current.department);
    let changes = UserChanges {
        name: edit.name.map(|n| n.as_ref().to_owned()),
        role: edit.role.map(|r| r.as_str().to_owned()),
        manager_id,
        department,
        active: edit.active,
        // A role change revokes the tokens issued under the old role; a
        // deactivation revokes every token for good (reactivating the
        // account does not bring them back).
        token_version: (role_changed || deactivated).then_some(current.token_version + 1),
        ..Default::default()
    };
    let updated = users::update(c, id.get(), changes)?;
    if role_changed || deactivated {
        // Every session ends at once, the browsers' too.
        crate::auth::session::end_all(c, id.get())?;
    }
    if deactivated {
        // A link mailed before must not work again after a reactivation.
        account_links::retire_all(c, id.get(), now())?;
    }
    let mut red = Vec::new();
    if org_changed || renamed {
        // Loops that turn red are flagged and their recruiters mailed.
        red = independence::reevaluate_after_change(
            c,
            id.get(),
            manager_changed || renamed,
            Some(actor_id),
            links,
        )?;
    }
    let diff = person_diff(&current, &updated);
    if !diff.is_empty() {
        org_audit::record(
            c,
            Some(actor_id),
            OrgEventKind::PersonChanged,
            Subject::User(updated.id),
            // A role change or a deactivation revoked their API access:
            // every session and token ended with it.
            &json!({
                "name": updated.name,
                "changes": diff,
                "sessions_ended": role_changed || deactivated,
            }),
        )?;
    }
    Ok((updated, red))
}

/// What changed between two versions of a person, field by field
/// (`{"role": {"from": "member", "to": "recruiter"}}`), for the audit trail.
fn person_diff(before: &User, after: &User) -> serde_json::Map<String, serde_json::Value> {
    let mut diff = serde_json::Map::new();
    let mut field = |name: &str, from: serde_json::Value, to: serde_json::Value| {
        if from != to {
            diff.insert(name.to_owned(), json!({ "from": from, "to": to }));
        }
    };
    field("name", json!(before.name), json!(after.name));
    field(
        "role",
        json!(before.role.as_str()),
        json!(after.role.as_str()),
    );
    field(
        "manager_id",
        json!(before.manager_id),
        json!(after.manager_id),
    );
    field(
        "department",
        json!(before.department),
        json!(after.department),
    );
    field("active", json!(before.active), json!(after.active));
    diff
}

/// Sets a person's bar raiser standing (admins only), re-evaluating the open
/// loops where they take part.
pub async fn set_bar_raiser(
    db: &Db,
    links: &Links,
    actor: &User,
    id: UserId,
    status: BarRaiserStatus,
) -> Result<User, ServiceError> {
    require_admin(actor)?;
    let (links, actor_id) = (links.clone(), actor.id);
    let updated = db
        .write(move |c| {
            let current = users::find(c, id.get())?.ok_or(ServiceError::NotFound)?;
            let changes = UserChanges {
                bar_raiser: Some(status.as_str().to_owned()),
                ..Default::default()
            };
            let updated = users::update(c, id.get(), changes)?;
            if current.bar_raiser != status {
                independence::reevaluate_after_change(c, id.get(), false, Some(actor_id), &links)?;
                org_audit::record(
                    c,
                    Some(actor_id),
                    OrgEventKind::BarRaiserSet,
                    Subject::User(updated.id),
                    &json!({
                        "name": updated.name,
                        "from": current.bar_raiser.as_str(),
                        "to": status.as_str(),
                    }),
                )?;
            }
            Ok(updated)
        })
        .await?;
    tracing::info!(user.id = id.get(), by = actor.id, status = %status, "bar raiser status set");
    Ok(updated)
}

/// Sets one's own time zone (pages and mail use it; the API stays in UTC).
pub async fn set_time_zone(db: &Db, actor: &User, zone: TimeZone) -> Result<User, ServiceError> {
    let id = actor.id;
    db.write(move |c| {
        Ok(users::update(
            c,
            id,
            UserChanges {
                time_zone: Some(Some(zone.name().to_owned())),
                updated_at: Some(now()),
                ..Default::default()
            },
        )?)
    })
    .await
}

/// Keeps the zone a browser proposed at sign-in, unless the person already
/// has one (a choice they made is never overwritten).
pub async fn propose_time_zone(
    db: &Db,
    actor: &User,
    zone: TimeZone,
) -> Result<User, ServiceError> {
    if actor.time_zone.is_some() {
        return Ok(actor.clone());
    }
    set_time_zone(db, actor, zone).await
}
