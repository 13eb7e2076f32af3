//! The debrief proposed on time (SPEC §11). When a loop is scheduled, its
//! debrief is proposed for the first hour in the bar raiser's working hours
//! (Monday to Friday, 09:00 to 17:00 in their time zone) that starts two hours
//! or more after the last interview ends: within one working day of it, as the
//! practice asks. The bar raiser, the hiring manager and the panel get it with
//! an `.ics`; when an edit moves the last interview (a follow-up interview
//! after "more signal" included), the proposal moves with it (same UID,
//! higher SEQUENCE); a cancelled loop cancels it.

use std::collections::BTreeSet;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use serde_json::json;

use super::access::load_visible;
use super::audit;
use super::loop_mail::mail_each;
use crate::auth::Caller;
use crate::db::debrief_proposals::{self as rows, Proposal};
use crate::db::loops::{InterviewLoop, PanelEntry};
use crate::db::users::User;
use crate::db::{Db, DbConn, now, users};
use crate::domain::{LoopId, LoopStatus, TimeZone};
use crate::error::ServiceError;
use crate::links::Links;
use crate::mail::calendar::{Invite, Method, Person};
use crate::mail::templates;

/// Time to write feedback between the last interview and the debrief.
pub const GAP: TimeDelta = TimeDelta::hours(2);
/// How long a proposed debrief lasts.
pub const LENGTH_MINUTES: u32 = 60;

/// The debrief for a panel whose last interview ends at `last_end`, in the
/// working hours of a bar raiser in `zone`.
pub fn slot(last_end: DateTime<Utc>, zone: TimeZone) -> (DateTime<Utc>, DateTime<Utc>) {
    let starts = zone.next_working_slot(last_end + GAP, LENGTH_MINUTES);
    (
        starts,
        starts + TimeDelta::minutes(i64::from(LENGTH_MINUTES)),
    )
}

/// A loop's proposed debrief, as the API answers it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DebriefProposal {
    pub loop_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The bar raiser's time zone, whose working hours it falls in.
    pub time_zone: String,
    /// 0 when first proposed, one more each time it moved.
    pub sequence: i64,
}

/// `GET /loops/{id}/debrief-proposal`: anyone who sees the loop; a 404
/// before the loop is scheduled.
pub async fn get(db: &Db, caller: Caller, id: LoopId) -> Result<DebriefProposal, ServiceError> {
    caller
        .run(db, move |c, actor| {
            let (lp, _) = load_visible(c, id, actor)?;
            find_in(c, &lp)?.ok_or(ServiceError::NotFound)
        })
        .await
}

/// The loop's proposal, if one was made.
pub fn find_in(
    c: &mut DbConn,
    lp: &InterviewLoop,
) -> Result<Option<DebriefProposal>, ServiceError> {
    let Some(p) = rows::find(c, lp.id)? else {
        return Ok(None);
    };
    let zone = users::find(c, lp.bar_raiser_id)?.map_or(TimeZone::UTC, |u| u.zone());
    Ok(Some(DebriefProposal {
        loop_id: lp.id,
        starts_at: p.starts_at.and_utc(),
        ends_at: p.ends_at.and_utc(),
        time_zone: zone.name().to_owned(),
        sequence: p.sequence,
    }))
}

/// The people of a loop's debrief: the bar raiser, the hiring manager and
/// the panel's interviewers.
pub fn people_of(lp: &InterviewLoop, panel: &[PanelEntry]) -> BTreeSet<i64> {
    panel
        .iter()
        .map(|e| e.interview.interviewer_id)
        .chain([lp.bar_raiser_id, lp.hiring_manager_id])
        .collect()
}

/// After `actor` scheduled a loop, or changed its scheduled panel or bar
/// raiser (`before`: the debrief's people until then, empty when it was just
/// scheduled): proposes its debrief, or moves the proposal when its time
/// changed, and mails the people in it. When the time stays, only people who
/// joined get it; people who left get a cancellation either way.
pub fn propose(
    c: &mut DbConn,
    actor: &User,
    lp: &InterviewLoop,
    panel: &[PanelEntry],
    before: &BTreeSet<i64>,
    links: &Links,
) -> Result<(), ServiceError> {
    if lp.status != LoopStatus::Scheduled {
        return Ok(());
    }
    let now_in = people_of(lp, panel);
    let left: BTreeSet<i64> = before.difference(&now_in).copied().collect();
    if let Some(mut old) = rows::find(c, lp.id)?.filter(|_| !left.is_empty()) {
        // A cancellation supersedes what they were sent.
        old.sequence += 1;
        send(c, lp, &left, &old, Method::Cancel, None, links)?;
    }
    let Some(last_end) = panel.iter().map(|e| e.interview.ends_at).max() else {
        return Ok(());
    };
    let zone = users::find(c, lp.bar_raiser_id)?.map_or(TimeZone::UTC, |u| u.zone());
    let (starts_at, ends_at) = slot(last_end.and_utc(), zone);
    let previous = rows::find(c, lp.id)?;
    if let Some(p) = previous
        .as_ref()
        .filter(|p| p.starts_at.and_utc() == starts_at && p.ends_at.and_utc() == ends_at)
    {
        // The time stays: only those who joined are invited.
        let joined: BTreeSet<i64> = now_in.difference(before).copied().collect();
        return if joined.is_empty() {
            Ok(())
        } else {
            send(c, lp, &joined, p, Method::Request, None, links)
        };
    }
    let sequence = previous.as_ref().map_or(0, |p| p.sequence + 1);
    let at = now();
    rows::put(
        c,
        lp.id,
        starts_at.naive_utc(),
        ends_at.naive_utc(),
        sequence,
        at,
    )?;
    audit::record(
        c,
        lp.id,
        Some(actor.id),
        "debrief_proposed",
        &json!({ "starts_at": starts_at, "ends_at": ends_at, "sequence": sequence }),
    )?;
    let proposal = Proposal {
        loop_id: lp.id,
        starts_at: starts_at.naive_utc(),
        ends_at: ends_at.naive_utc(),
        sequence,
        updated_at: at,
    };
    let moved_from = previous.map(|p| (p.starts_at.and_utc(), p.ends_at.and_utc()));
    send(
        c,
        lp,
        &now_in,
        &proposal,
        Method::Request,
        moved_from,
        links,
    )
}

/// The loop was cancelled: its proposed debrief, if any, is cancelled too.
pub fn withdraw(
    c: &mut DbConn,
    lp: &InterviewLoop,
    panel: &[PanelEntry],
    links: &Links,
) -> Result<(), ServiceError> {
    let Some(mut proposal) = rows::find(c, lp.id)? else {
        return Ok(());
    };
    // A cancellation supersedes the last invitation sent.
    proposal.sequence += 1;
    send(
        c,
        lp,
        &people_of(lp, panel),
        &proposal,
        Method::Cancel,
        None,
        links,
    )
}

/// One message with an `.ics` to each of `to` (active ones), in their own
/// time zone.
fn send(
    c: &mut DbConn,
    lp: &InterviewLoop,
    to: &BTreeSet<i64>,
    proposal: &Proposal,
    method: Method,
    moved_from: Option<(DateTime<Utc>, DateTime<Utc>)>,
    links: &Links,
) -> Result<(), ServiceError> {
    let leads = users::find_many(c, &[lp.bar_raiser_id, lp.recruiter_id])?;
    let name_of = |id: i64| {
        leads
            .iter()
            .find(|u| u.id == id)
            .map(|u| (u.name.clone(), u.email.clone()))
            .unwrap_or_default()
    };
    let (bar_raiser_name, _) = name_of(lp.bar_raiser_id);
    let (recruiter_name, recruiter_email) = name_of(lp.recruiter_id);
    let room_url = links.debrief_room(LoopId(lp.id));
    let kind = match method {
        Method::Request => "debrief_proposed",
        Method::Cancel => "debrief_cancelled",
    };
    let to: Vec<i64> = to.iter().copied().collect();
    mail_each(c, kind, lp, &to, |person, about| {
        let notice = templates::DebriefNotice {
            about: *about,
            bar_raiser_name: &bar_raiser_name,
            starts_at: proposal.starts_at.and_utc(),
            ends_at: proposal.ends_at.and_utc(),
            zone: person.zone(),
            room_url: &room_url,
        };
        let content = match method {
            Method::Request => templates::debrief_proposed(&notice, moved_from),
            Method::Cancel => templates::debrief_cancelled(&notice),
        };
        let invite = Invite {
            method,
            uid: links.debrief_calendar_uid(LoopId(lp.id)),
            sequence: u32::try_from(proposal.sequence).unwrap_or(u32::MAX),
            summary: format!("Debrief: {}", about.role_title),
            description: format!("Led by {bar_raiser_name}.\n{room_url}"),
            starts_at: proposal.starts_at.and_utc(),
            ends_at: proposal.ends_at.and_utc(),
            organizer: Person {
                name: recruiter_name.clone(),
                email: recruiter_email.clone(),
            },
            attendee: Person {
                name: person.name.clone(),
                email: person.email.clone(),
            },
        };
        (content, Some(invite))
    })
}
