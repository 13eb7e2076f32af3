//! The organisation as the other services refer to it: the person an id names
//! exists, and is active.

use crate::db::DbConn;
use crate::db::users::{self, User};
use crate::domain::UserId;
use crate::error::ServiceError;

/// The referenced user exists (422 naming the field otherwise).
pub fn existing(c: &mut DbConn, field: &str, id: UserId) -> Result<User, ServiceError> {
    users::find(c, id.get())?.ok_or_else(|| ServiceError::field(field, "no user has this id"))
}

/// The referenced user exists and is active (422 naming the field otherwise).
pub fn active(c: &mut DbConn, field: &str, id: UserId) -> Result<User, ServiceError> {
    let user = existing(c, field, id)?;
    if user.active {
        Ok(user)
    } else {
        Err(ServiceError::field(field, "this user is deactivated"))
    }
}
