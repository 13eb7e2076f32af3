//! Mail to the people of a loop about it (the debrief's steps, more signal).

use std::collections::BTreeSet;

use crate::db::loops::InterviewLoop;
use crate::db::{DbConn, requisitions, users};
use crate::error::ServiceError;
use crate::mail::calendar::Invite;
use crate::mail::{self, Outgoing, templates};

/// Mails `recipients` (user ids, each once) about the loop `lp`: `content`
/// gets each recipient's name with the candidate and the role.
pub fn mail_people(
    c: &mut DbConn,
    kind: &'static str,
    lp: &InterviewLoop,
    recipients: &[i64],
    content: impl Fn(&templates::LoopAbout<'_>) -> templates::Rendered,
) -> Result<(), ServiceError> {
    mail_each(c, kind, lp, recipients, |_, about| (content(about), None))
}

/// [`mail_people`], where each message is made for its recipient (their
/// time zone, their calendar invitation) as well as about the loop.
pub fn mail_each(
    c: &mut DbConn,
    kind: &'static str,
    lp: &InterviewLoop,
    recipients: &[i64],
    message: impl Fn(&users::User, &templates::LoopAbout<'_>) -> (templates::Rendered, Option<Invite>),
) -> Result<(), ServiceError> {
    let role_title = requisitions::find(c, lp.requisition_id)?
        .map(|r| r.title)
        .unwrap_or_default();
    let candidate_name = crate::db::candidates::find(c, lp.candidate_id)?
        .map(|x| x.name)
        .unwrap_or_default();
    let ids: BTreeSet<i64> = recipients.iter().copied().collect();
    let ids: Vec<i64> = ids.into_iter().collect();
    for person in users::find_many(c, &ids)?.into_iter().filter(|u| u.active) {
        let about = templates::LoopAbout {
            recipient_name: &person.name,
            candidate_name: &candidate_name,
            role_title: &role_title,
        };
        let (content, invite) = message(&person, &about);
        mail::enqueue(
            c,
            &Outgoing {
                kind,
                to: vec![person.email.clone()],
                cc: Vec::new(),
                content,
                invite,
            },
        )?;
    }
    Ok(())
}
