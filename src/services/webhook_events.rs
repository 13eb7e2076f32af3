//! What the webhooks announce, and when: the events of SPEC §10, each written
//! as one delivery per subscribed endpoint inside the transaction of the
//! change it announces (so a change and its webhooks commit or roll back
//! together, and a crash after the commit loses none: the worker finds them).
//!
//! The two audit trails are where every change is recorded, so they call in
//! here: `hiring::audit::record` for a loop's events, `org_audit` for a
//! person's. A body carries ids, statuses and the names of people and roles;
//! never feedback content, ratings, votes or notes (the blind rule), nor a
//! candidate's contact details.

use chrono::{SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::db::webhooks::{self, NewDelivery, PENDING};
use crate::db::{DbConn, loops, now, requisitions, users};
use crate::domain::DomainError;
use crate::webhooks::signature::new_message_id;

/// An event a webhook endpoint may subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    LoopScheduled,
    LoopFlagged,
    LoopCleared,
    LoopCancelled,
    FeedbackSubmitted,
    DebriefOpened,
    DebriefClosed,
    DecisionRecorded,
    PersonCreated,
    PersonDeactivated,
}

impl EventType {
    pub const ALL: [EventType; 10] = [
        Self::LoopScheduled,
        Self::LoopFlagged,
        Self::LoopCleared,
        Self::LoopCancelled,
        Self::FeedbackSubmitted,
        Self::DebriefOpened,
        Self::DebriefClosed,
        Self::DecisionRecorded,
        Self::PersonCreated,
        Self::PersonDeactivated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::LoopScheduled => "loop.scheduled",
            Self::LoopFlagged => "loop.flagged",
            Self::LoopCleared => "loop.cleared",
            Self::LoopCancelled => "loop.cancelled",
            Self::FeedbackSubmitted => "feedback.submitted",
            Self::DebriefOpened => "debrief.opened",
            Self::DebriefClosed => "debrief.closed",
            Self::DecisionRecorded => "decision.recorded",
            Self::PersonCreated => "person.created",
            Self::PersonDeactivated => "person.deactivated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// A subscription as given: at least one event, each known; duplicates
    /// dropped, in the order of [`EventType::ALL`].
    pub fn parse_list<S: AsRef<str>>(raw: &[S]) -> Result<Vec<EventType>, DomainError> {
        let mut events = Vec::with_capacity(raw.len());
        for s in raw {
            let s = s.as_ref().trim();
            match Self::parse(s) {
                Some(e) => events.push(e),
                None => {
                    return Err(DomainError::invalid(
                        "events",
                        format!("{s:?} is not an event; the events are {}", Self::names()),
                    ));
                }
            }
        }
        if events.is_empty() {
            return Err(DomainError::invalid(
                "events",
                format!("must name at least one event of {}", Self::names()),
            ));
        }
        events.sort_unstable();
        events.dedup();
        Ok(events)
    }

    fn names() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }

    /// The stored form of a subscription: the names, space-separated.
    pub fn stored(events: &[EventType]) -> String {
        events
            .iter()
            .map(|e| e.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A stored subscription read back (an unknown name is skipped).
    pub fn from_stored(stored: &str) -> Vec<EventType> {
        stored.split_whitespace().filter_map(Self::parse).collect()
    }
}

/// Writes `event` with `data` for every active endpoint that subscribes to
/// it; `data` is built only when one does.
fn announce(
    conn: &mut DbConn,
    event: EventType,
    data: impl FnOnce(&mut DbConn) -> diesel::QueryResult<Value>,
) -> diesel::QueryResult<()> {
    let endpoints = Endpoints::read(conn)?;
    announce_to(conn, &endpoints, event, data)
}

/// The active endpoints with the events each subscribes to, read once for a
/// batch of events in one transaction (an import of 10,000 people announces
/// each of them against one read).
pub struct Endpoints(Vec<(i64, String)>);

impl Endpoints {
    pub fn read(conn: &mut DbConn) -> diesel::QueryResult<Self> {
        Ok(Self(webhooks::active(conn)?))
    }
}

/// [`announce`] against endpoints read already.
fn announce_to(
    conn: &mut DbConn,
    endpoints: &Endpoints,
    event: EventType,
    data: impl FnOnce(&mut DbConn) -> diesel::QueryResult<Value>,
) -> diesel::QueryResult<()> {
    let subscribers: Vec<i64> = endpoints
        .0
        .iter()
        .filter(|(_, events)| events.split_whitespace().any(|e| e == event.as_str()))
        .map(|(id, _)| *id)
        .collect();
    if subscribers.is_empty() {
        return Ok(());
    }
    let body = json!({
        "type": event.as_str(),
        "timestamp": Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
        "data": data(conn)?,
    })
    .to_string();
    // One message, one id: the same on every endpoint and every retry.
    let message_id = new_message_id();
    let at = now();
    let rows: Vec<NewDelivery<'_>> = subscribers
        .into_iter()
        .map(|webhook_id| NewDelivery {
            webhook_id,
            message_id: &message_id,
            event_type: event.as_str(),
            payload: &body,
            status: PENDING,
            attempts: 0,
            next_attempt_at: at,
            created_at: at,
        })
        .collect();
    webhooks::insert_deliveries(conn, &rows)?;
    Ok(())
}

fn person(id: i64, people: &[users::User]) -> Value {
    let name = people.iter().find(|u| u.id == id).map(|u| u.name.as_str());
    json!({ "id": id, "name": name })
}

/// The loop as a webhook tells of it: ids, status, role, and the names of
/// the people in it. The candidate by name only, never their contact details.
fn loop_summary(conn: &mut DbConn, loop_id: i64) -> diesel::QueryResult<Value> {
    let Some(lp) = loops::find(conn, loop_id)? else {
        return Ok(json!({ "id": loop_id }));
    };
    let requisition = requisitions::find(conn, lp.requisition_id)?;
    let candidate = crate::db::candidates::find(conn, lp.candidate_id)?;
    let people = users::find_many(
        conn,
        &[lp.hiring_manager_id, lp.recruiter_id, lp.bar_raiser_id],
    )?;
    Ok(json!({
        "id": lp.id,
        "status": lp.status.as_str(),
        "independence_ok": lp.independence_ok,
        "requisition": {
            "id": lp.requisition_id,
            "title": requisition.map(|r| r.title),
        },
        "candidate": {
            "id": lp.candidate_id,
            // An erased candidate is not named again.
            "name": candidate.filter(|c| c.erased_at.is_none()).map(|c| c.name),
        },
        "hiring_manager": person(lp.hiring_manager_id, &people),
        "recruiter": person(lp.recruiter_id, &people),
        "bar_raiser": person(lp.bar_raiser_id, &people),
    }))
}

/// Called for every event appended to a loop's trail (`kind` and `data` as
/// stored there): writes the webhooks it stands for.
pub fn on_loop_event(
    conn: &mut DbConn,
    loop_id: i64,
    kind: &str,
    data: &Value,
) -> diesel::QueryResult<()> {
    let event = match kind {
        "loop_scheduled" => EventType::LoopScheduled,
        "loop_cancelled" => EventType::LoopCancelled,
        // Only a scheduled loop is flagged; a draft's report is its own business.
        "independence_changed" if data["after_scheduling"] == json!(true) => {
            if data["after"]["ok"] == json!(true) {
                EventType::LoopCleared
            } else {
                EventType::LoopFlagged
            }
        }
        "feedback_submitted" => EventType::FeedbackSubmitted,
        "debrief_opened" | "debrief_reopened" => EventType::DebriefOpened,
        "debrief_closed" => EventType::DebriefClosed,
        "decision_recorded" => EventType::DecisionRecorded,
        _ => return Ok(()),
    };
    announce(conn, event, |conn| {
        let mut body = json!({ "loop": loop_summary(conn, loop_id)? });
        match event {
            EventType::LoopFlagged => {
                body["failing_rules"] = data["after"]["failing"].clone();
            }
            EventType::FeedbackSubmitted => {
                let interviewer = data["interviewer_id"].as_i64().unwrap_or_default();
                let people = users::find_many(conn, &[interviewer])?;
                body["interview"] = json!({
                    "id": data["interview_id"],
                    "interviewer": person(interviewer, &people),
                    "timing": data["timing"],
                });
            }
            // The decision is the loop's outcome; the votes behind it are not sent.
            EventType::DecisionRecorded => body["decision"] = data["decision"].clone(),
            _ => {}
        }
        Ok(body)
    })
}

/// A person added to the organisation (`person_added` on the organisation's trail).
pub fn on_person_added(
    conn: &mut DbConn,
    endpoints: &Endpoints,
    id: i64,
    data: &Value,
) -> diesel::QueryResult<()> {
    announce_to(conn, endpoints, EventType::PersonCreated, |_| {
        Ok(json!({ "person": {
            "id": id,
            "name": data["name"],
            "email": data["email"],
            "role": data["role"],
            "department": data["department"],
            "manager_id": data["manager_id"],
        }}))
    })
}

/// A person changed (`person_changed`): announced when the change deactivated them.
pub fn on_person_changed(
    conn: &mut DbConn,
    endpoints: &Endpoints,
    id: i64,
    data: &Value,
) -> diesel::QueryResult<()> {
    if data["changes"]["active"]["to"] != json!(false) {
        return Ok(());
    }
    announce_to(conn, endpoints, EventType::PersonDeactivated, |_| {
        Ok(json!({ "person": { "id": id, "name": data["name"] } }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subscription_is_parsed_deduplicated_and_kept_in_order() {
        let events =
            EventType::parse_list(&["person.created", "loop.scheduled", "person.created"]).unwrap();
        assert_eq!(events, [EventType::LoopScheduled, EventType::PersonCreated]);
        assert_eq!(EventType::stored(&events), "loop.scheduled person.created");
        assert_eq!(
            EventType::from_stored("loop.scheduled person.created"),
            events
        );
        assert!(EventType::parse_list::<&str>(&[]).is_err());
        assert!(EventType::parse_list(&["loop.exploded"]).is_err());
        for e in EventType::ALL {
            assert_eq!(EventType::parse(e.as_str()), Some(e));
        }
    }
}
