//! Interview invitations: an `.ics` REQUEST when an interview is scheduled or
//! moves (same UID, higher SEQUENCE), a CANCEL when it is removed or the loop
//! is cancelled. Queued in the transaction of the change.

use crate::db::loops::{self, InterviewLoop, PanelEntry};
use crate::db::{DbConn, competencies, requisitions, users};
use crate::error::ApiError;
use crate::mail::calendar::{Invite, Method, Person};
use crate::mail::{self, Outgoing, templates};

/// The host part of `public_url`, for globally unique UIDs.
fn host(public_url: &str) -> &str {
    let rest = public_url.split_once("://").map_or(public_url, |(_, r)| r);
    rest.split(['/', ':']).next().unwrap_or("barraiser")
}

/// Queues one message per interview of the loop's whole panel.
pub fn queue_panel(
    conn: &mut DbConn,
    lp: &InterviewLoop,
    method: Method,
    public_url: &str,
) -> Result<(), ApiError> {
    let panel = loops::panel(conn, lp.id)?;
    queue(
        conn,
        lp,
        &panel.iter().collect::<Vec<_>>(),
        method,
        public_url,
    )
}

/// Queues one message per interview in `entries`, all with `method`.
pub fn queue(
    conn: &mut DbConn,
    lp: &InterviewLoop,
    entries: &[&PanelEntry],
    method: Method,
    public_url: &str,
) -> Result<(), ApiError> {
    if entries.is_empty() {
        return Ok(());
    }
    let requisition = requisitions::find(conn, lp.requisition_id)?.ok_or(ApiError::NotFound)?;
    let recruiter = users::find(conn, lp.recruiter_id)?.ok_or(ApiError::NotFound)?;
    for entry in entries {
        let interview = &entry.interview;
        let interviewer = users::find(conn, interview.interviewer_id)?.ok_or(ApiError::NotFound)?;
        let names: Vec<String> = competencies::find_many(conn, &entry.competency_ids)?
            .into_iter()
            .map(|c| c.name)
            .collect();
        let kit_url = format!("{public_url}/api/v1/interviews/{}/kit", interview.id);
        let notice = templates::InterviewNotice {
            interviewer_name: &interviewer.name,
            role_title: &requisition.title,
            starts_at: interview.starts_at.and_utc(),
            ends_at: interview.ends_at.and_utc(),
            competencies: names.clone(),
            kit_url: &kit_url,
        };
        let (kind, content) = match method {
            Method::Request => ("interview_assigned", templates::interview_assigned(&notice)),
            Method::Cancel => (
                "interview_cancelled",
                templates::interview_cancelled(&notice),
            ),
        };
        let invite = Invite {
            method,
            uid: format!("interview-{}@{}", interview.id, host(public_url)),
            // A cancellation supersedes the last invitation sent for the interview.
            sequence: u32::try_from(interview.sequence + i64::from(method == Method::Cancel))
                .unwrap_or(u32::MAX),
            summary: format!("Interview: {}", requisition.title),
            description: format!("Competencies: {}\n{kit_url}", names.join(", ")),
            starts_at: interview.starts_at.and_utc(),
            ends_at: interview.ends_at.and_utc(),
            organizer: Person {
                name: recruiter.name.clone(),
                email: recruiter.email.clone(),
            },
            attendee: Person {
                name: interviewer.name.clone(),
                email: interviewer.email.clone(),
            },
        };
        mail::enqueue(
            conn,
            &Outgoing {
                kind,
                to: vec![interviewer.email.clone()],
                cc: Vec::new(),
                content,
                invite: Some(invite),
            },
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn uid_host_comes_from_the_public_url() {
        assert_eq!(
            super::host("https://hire.example.com/app"),
            "hire.example.com"
        );
        assert_eq!(super::host("http://127.0.0.1:8080"), "127.0.0.1");
    }
}
