//! `app_secrets`: values generated once and shared by every instance (the JWT key).

use diesel::prelude::*;

use super::DbConn;
use super::schema::app_secrets;

/// Returns the stored value of `name`, storing `generate()` first if there is
/// none. Two instances racing here both end up with the value that won.
pub fn get_or_create(
    conn: &mut DbConn,
    name: &str,
    generate: impl FnOnce() -> String,
) -> QueryResult<String> {
    let existing = app_secrets::table
        .find(name)
        .select(app_secrets::value)
        .first::<String>(conn)
        .optional()?;
    if let Some(value) = existing {
        return Ok(value);
    }
    let inserted = diesel::insert_into(app_secrets::table)
        .values((
            app_secrets::name.eq(name),
            app_secrets::value.eq(generate()),
        ))
        .execute(conn);
    match inserted {
        Ok(_)
        | Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => app_secrets::table
            .find(name)
            .select(app_secrets::value)
            .first(conn),
        Err(e) => Err(e),
    }
}
