//! Operations on people shared by the HTTP API and the command line. Each one
//! runs inside a caller's transaction.

use crate::db::users::{self, NewUser, User};
use crate::db::{DbConn, now};
use crate::domain::{BarRaiserStatus, DomainError, Email, PersonName, Role};
use crate::error::ApiError;
use crate::mail::{self, Outgoing, templates};

/// A new account, already parsed and validated.
#[derive(Debug)]
pub struct NewAccount {
    pub email: Email,
    pub name: PersonName,
    pub role: Role,
    pub manager_id: Option<i64>,
    pub department: Option<String>,
}

/// Inserts an account with an already computed password hash and queues the
/// welcome message (which carries no password).
pub fn create_account(
    c: &mut DbConn,
    account: &NewAccount,
    password_hash: &str,
    public_url: &str,
) -> Result<User, ApiError> {
    if let Some(manager_id) = account.manager_id {
        require_user(c, "manager_id", manager_id)?;
    }
    let at = now();
    let new = NewUser {
        email: account.email.as_ref(),
        name: account.name.as_ref(),
        password_hash,
        role: account.role.as_str(),
        manager_id: account.manager_id,
        department: account.department.as_deref(),
        bar_raiser: BarRaiserStatus::None.as_str(),
        active: true,
        token_version: 0,
        created_at: at,
        updated_at: at,
    };
    let user = users::insert(c, &new).map_err(|e| match ApiError::from(e) {
        ApiError::Conflict { .. } => {
            ApiError::conflict("email_taken", "A user with this email already exists.")
        }
        other => other,
    })?;
    mail::enqueue(
        c,
        &Outgoing {
            kind: "account_created",
            to: vec![user.email.clone()],
            cc: Vec::new(),
            content: templates::account_created(&user.name, &user.email, public_url),
            invite: None,
        },
    )?;
    Ok(user)
}

/// The referenced user must exist (422 naming the field otherwise).
pub fn require_user(c: &mut DbConn, field: &str, id: i64) -> Result<User, ApiError> {
    users::find(c, id)?.ok_or_else(|| ApiError::field(field, "no user has this id"))
}

/// Making `user` report to `manager_id` must not close a loop in the reporting
/// lines (422 `reporting_cycle`, naming the people on the loop).
pub fn check_no_cycle(c: &mut DbConn, user: &User, manager_id: i64) -> Result<(), ApiError> {
    let chain = users::management_chain(c, manager_id)?;
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
