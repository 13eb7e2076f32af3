//! The outbox as admins see it: what was sent, what waits, what failed, and
//! putting a failed message back in the queue.

use crate::auth::require_admin;
use crate::db::outbox;
pub use crate::db::outbox::OutboxEntry;
use crate::db::users::User;
use crate::db::{Db, now};
use crate::domain::{DomainError, Listing, MessageId, Page};
use crate::error::ServiceError;
use crate::services::org_audit::{self, OrgEventKind, Subject};
use serde_json::json;

use crate::mail::GIVE_UP_AFTER;

/// `pending`, `sent` or `failed`.
pub fn parse_status(raw: Option<&str>) -> Result<Option<&'static str>, DomainError> {
    match raw {
        None => Ok(None),
        Some(outbox::PENDING) => Ok(Some(outbox::PENDING)),
        Some(outbox::SENT) => Ok(Some(outbox::SENT)),
        Some(outbox::FAILED) => Ok(Some(outbox::FAILED)),
        Some(_) => Err(DomainError::invalid(
            "status",
            "must be pending, sent or failed",
        )),
    }
}

pub async fn list(
    db: &Db,
    actor: &User,
    status: Option<&'static str>,
    page: Page,
) -> Result<Listing<OutboxEntry>, ServiceError> {
    require_admin(actor)?;
    let rows = db
        .run(move |c| Ok(outbox::list(c, status, page.after, page.fetch())?))
        .await?;
    Ok(page.cut(rows, |r| r.id))
}

/// An address as pages show it to admins: enough to tell people apart, not
/// enough to harvest (`kim.park@example.com` → `k***@example.com`).
pub fn mask_email(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// The recipients of a message (to, then cc), masked.
pub fn masked_recipients(entry: &OutboxEntry) -> Vec<String> {
    let list = |json: &str| serde_json::from_str::<Vec<String>>(json).unwrap_or_default();
    list(&entry.recipients)
        .iter()
        .chain(list(&entry.cc).iter())
        .map(|a| mask_email(a))
        .collect()
}

/// A failed message goes back in the queue, due now, with a fresh retry window.
/// The trail keeps only its kind: a subject may name a candidate, and the
/// trail is never rewritten, not even by an erasure.
pub async fn retry(db: &Db, actor: &User, id: MessageId) -> Result<OutboxEntry, ServiceError> {
    require_admin(actor)?;
    let actor_id = actor.id;
    let entry = db
        .write(move |c| {
            let entry = outbox::find(c, id.get())?.ok_or(ServiceError::NotFound)?;
            if !outbox::retry_failed(c, id.get(), now() + GIVE_UP_AFTER)? {
                return Err(ServiceError::conflict(
                    "not_failed",
                    format!(
                        "Only failed messages can be retried; this one is {}.",
                        entry.status
                    ),
                ));
            }
            let retried = outbox::find(c, id.get())?.ok_or(ServiceError::NotFound)?;
            org_audit::record(
                c,
                Some(actor_id),
                OrgEventKind::MailRetried,
                Subject::Message(retried.id),
                &json!({ "kind": retried.kind }),
            )?;
            Ok(retried)
        })
        .await?;
    tracing::info!(
        outbox.id = id.get(),
        by = actor.id,
        "failed mail queued again"
    );
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::mask_email;

    #[test]
    fn addresses_are_masked_to_their_first_letter_and_domain() {
        assert_eq!(mask_email("kim.park@example.com"), "k***@example.com");
        assert_eq!(mask_email("not an address"), "***");
    }
}
