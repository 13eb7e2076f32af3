//! Interview invitations: an `.ics` REQUEST when an interview is scheduled or
//! changes (same UID, higher SEQUENCE; the mail says what changed), a CANCEL
//! when it is removed or the loop is cancelled. Queued in the transaction of
//! the change, each in the interviewer's time zone.

use std::collections::HashMap;

use crate::db::loops::{InterviewLoop, PanelEntry};
use crate::db::{DbConn, candidates, competencies, requisitions, users};
use crate::domain::InterviewId;
use crate::error::ServiceError;
use crate::links::Links;
use crate::mail::calendar::{Invite, Method, Person};
use crate::mail::templates::InterviewChange;
use crate::mail::{self, Outgoing, templates};

/// Queues one message per interview in `entries`, all with `method`. An
/// interview in `changes` gets a message saying what changed.
pub fn queue(
    conn: &mut DbConn,
    lp: &InterviewLoop,
    entries: &[&PanelEntry],
    method: Method,
    links: &Links,
) -> Result<(), ServiceError> {
    queue_with_changes(conn, lp, entries, method, &HashMap::new(), links)
}

/// [`queue`], with what changed in interviews the interviewers already had.
pub fn queue_with_changes(
    conn: &mut DbConn,
    lp: &InterviewLoop,
    entries: &[&PanelEntry],
    method: Method,
    changes: &HashMap<i64, InterviewChange>,
    links: &Links,
) -> Result<(), ServiceError> {
    if entries.is_empty() {
        return Ok(());
    }
    let requisition = requisitions::find(conn, lp.requisition_id)?.ok_or(ServiceError::NotFound)?;
    let candidate = candidates::find(conn, lp.candidate_id)?.ok_or(ServiceError::NotFound)?;
    let mut people_ids: Vec<i64> = entries.iter().map(|e| e.interview.interviewer_id).collect();
    people_ids.push(lp.recruiter_id);
    let people: HashMap<i64, users::User> = users::find_many(conn, &people_ids)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let competency_ids: Vec<i64> = entries
        .iter()
        .flat_map(|e| e.competency_ids.iter().copied())
        .collect();
    let names: HashMap<i64, String> = competencies::find_many(conn, &competency_ids)?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let person = |id: i64| people.get(&id).ok_or(ServiceError::NotFound);
    let recruiter = person(lp.recruiter_id)?;
    for entry in entries {
        let interview = &entry.interview;
        let interviewer = person(interview.interviewer_id)?;
        let competencies: Vec<String> = entry
            .competency_ids
            .iter()
            .filter_map(|id| names.get(id).cloned())
            .collect();
        let interview_url = links.interview(InterviewId(interview.id));
        let notice = templates::InterviewNotice {
            interviewer_name: &interviewer.name,
            candidate_name: &candidate.name,
            role_title: &requisition.title,
            starts_at: interview.starts_at.and_utc(),
            ends_at: interview.ends_at.and_utc(),
            competencies: competencies.clone(),
            kit_url: &interview_url,
            zone: interviewer.zone(),
            bar_raiser: interviewer.id == lp.bar_raiser_id,
        };
        let change = changes.get(&interview.id).filter(|c| !c.is_empty());
        let (kind, content) = match (method, change) {
            (Method::Request, Some(change)) => (
                "interview_changed",
                templates::interview_changed(&notice, change),
            ),
            (Method::Request, None) => {
                ("interview_assigned", templates::interview_assigned(&notice))
            }
            (Method::Cancel, _) => (
                "interview_cancelled",
                templates::interview_cancelled(&notice),
            ),
        };
        let invite = Invite {
            method,
            uid: links.calendar_uid(InterviewId(interview.id)),
            // A cancellation supersedes the last invitation sent for the interview.
            sequence: u32::try_from(interview.sequence + i64::from(method == Method::Cancel))
                .unwrap_or(u32::MAX),
            summary: format!("Interview: {}", requisition.title),
            description: format!("Competencies: {}\n{interview_url}", competencies.join(", ")),
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
