//! The organisation's audit trail: one tamper-evident chain, beside the
//! loops' chains, of every change to people, roles, bar raiser status,
//! reporting lines, the competency library and the outbox. Each service that
//! makes such a change calls [`record`] in the change's own transaction, so an
//! event exists exactly when its change committed. Admins read it, verify it
//! and export it.

use chrono::NaiveDateTime;
use serde_json::Value;

use crate::auth::require_admin;
use crate::db::org_events::{self, NewOrgEvent};
pub use crate::db::org_events::{OrgEvent, OrgEventFilter};
use crate::db::users::User;
use crate::db::{Db, DbConn, now};
use crate::domain::{DomainError, Listing, Page};
use crate::error::ServiceError;
use crate::services::chain::{GENESIS, Verification, Verifier, hashed_actor, hashed_time, link};
use crate::services::webhook_events;

/// What happened, in the trail's vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgEventKind {
    PersonAdded,
    PersonChanged,
    BarRaiserSet,
    PeopleImported,
    CompetencyAdded,
    CompetencyChanged,
    MailRetried,
    ApiKeyCreated,
    ApiKeyRevoked,
    WebhookCreated,
    WebhookChanged,
    WebhookDeleted,
}

impl OrgEventKind {
    pub const ALL: [OrgEventKind; 12] = [
        Self::PersonAdded,
        Self::PersonChanged,
        Self::BarRaiserSet,
        Self::PeopleImported,
        Self::CompetencyAdded,
        Self::CompetencyChanged,
        Self::MailRetried,
        Self::ApiKeyCreated,
        Self::ApiKeyRevoked,
        Self::WebhookCreated,
        Self::WebhookChanged,
        Self::WebhookDeleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PersonAdded => "person_added",
            Self::PersonChanged => "person_changed",
            Self::BarRaiserSet => "bar_raiser_set",
            Self::PeopleImported => "people_imported",
            Self::CompetencyAdded => "competency_added",
            Self::CompetencyChanged => "competency_changed",
            Self::MailRetried => "mail_retried",
            Self::ApiKeyCreated => "api_key_created",
            Self::ApiKeyRevoked => "api_key_revoked",
            Self::WebhookCreated => "webhook_created",
            Self::WebhookChanged => "webhook_changed",
            Self::WebhookDeleted => "webhook_deleted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    User(i64),
    Competency(i64),
    Message(i64),
    Webhook(i64),
    Organisation,
}

impl Subject {
    fn parts(self) -> (&'static str, Option<i64>) {
        match self {
            Self::User(id) => ("user", Some(id)),
            Self::Competency(id) => ("competency", Some(id)),
            Self::Message(id) => ("message", Some(id)),
            Self::Webhook(id) => ("webhook", Some(id)),
            Self::Organisation => ("organisation", None),
        }
    }
}

/// The trail's filters as they arrive (query string or form), before parsing.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct AuditQuery {
    pub kind: Option<String>,
    pub actor_id: Option<String>,
    pub subject_type: Option<String>,
    pub subject_id: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim)
}

impl AuditQuery {
    /// The filters a form sent, its empty fields meaning "any" (the API
    /// refuses an empty value, as its document says).
    pub fn blanks_dropped(mut self) -> Self {
        for v in [
            &mut self.kind,
            &mut self.actor_id,
            &mut self.subject_type,
            &mut self.subject_id,
            &mut self.from,
            &mut self.to,
        ] {
            if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
                *v = None;
            }
        }
        self
    }

    /// Parses every filter, naming each bad one.
    pub fn parse(&self) -> Result<OrgEventFilter, ServiceError> {
        use crate::domain::panel::parse_timestamp;
        use crate::error::AllValid;
        let id = |field: &'static str, v: &Option<String>| match given(v) {
            None => Ok(None),
            Some(raw) => raw
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .map(Some)
                .ok_or_else(|| DomainError::invalid(field, "must be a positive whole number")),
        };
        let kind = match given(&self.kind) {
            None => Ok(None),
            Some(raw) => OrgEventKind::parse(raw)
                .map(|k| Some(k.as_str().to_owned()))
                .ok_or_else(|| DomainError::invalid("kind", "is not a kind of the audit trail")),
        };
        let subject_type = match given(&self.subject_type) {
            None => Ok(None),
            Some(raw @ ("user" | "competency" | "message" | "webhook" | "organisation")) => {
                Ok(Some(raw.to_owned()))
            }
            Some(_) => Err(DomainError::invalid(
                "subject_type",
                "must be user, competency, message, webhook or organisation",
            )),
        };
        let time = |field: &'static str, v: &Option<String>| match given(v) {
            None => Ok(None),
            Some(raw) => parse_timestamp(field, raw).map(|t| Some(t.naive_utc())),
        };
        let (kind, actor_id, subject_type, subject_id, from, to) = (
            kind,
            id("actor_id", &self.actor_id),
            subject_type,
            id("subject_id", &self.subject_id),
            time("from", &self.from),
            time("to", &self.to),
        )
            .all_valid()?;
        if let (Some(from), Some(to)) = (from, to)
            && from >= to
        {
            return Err(ServiceError::field("to", "must be after from"));
        }
        Ok(OrgEventFilter {
            kind,
            actor_id,
            subject_type,
            subject_id,
            from,
            to,
        })
    }
}

/// The hashed content of an event: every stored field but the id and the hashes.
#[allow(clippy::too_many_arguments)]
fn digest(
    prev_hash: &str,
    seq: i64,
    actor_id: Option<i64>,
    kind: &str,
    subject_type: &str,
    subject_id: Option<i64>,
    at: NaiveDateTime,
    data: &str,
) -> String {
    let subject = match subject_id {
        Some(id) => format!("{subject_type}:{id}"),
        None => subject_type.to_owned(),
    };
    link(
        prev_hash,
        &[
            &seq.to_string(),
            &hashed_actor(actor_id),
            kind,
            &subject,
            &hashed_time(at),
            data,
        ],
    )
}

fn recompute(e: &OrgEvent) -> String {
    digest(
        &e.prev_hash,
        e.seq,
        e.actor_id,
        &e.kind,
        &e.subject_type,
        e.subject_id,
        e.at,
        &e.data,
    )
}

/// Appends an event to the organisation's chain, inside the transaction of
/// the change. Call it last in that transaction: it holds the chain's head
/// until the commit.
pub fn record(
    conn: &mut DbConn,
    actor_id: Option<i64>,
    kind: OrgEventKind,
    subject: Subject,
    data: &Value,
) -> diesel::QueryResult<()> {
    record_many(conn, actor_id, &[(kind, subject, data.clone())])
}

/// Appends several events at once (an import's), holding the head once.
pub fn record_many(
    conn: &mut DbConn,
    actor_id: Option<i64>,
    events: &[(OrgEventKind, Subject, Value)],
) -> diesel::QueryResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    org_events::lock_head(conn)?;
    let (mut seq, mut prev_hash) = match org_events::last(conn)? {
        Some((seq, hash)) => (seq, hash),
        None => (0, GENESIS.to_owned()),
    };
    let at = now();
    // Each event's text and the chain's hashes, then the rows over them,
    // written in multi-row statements (an import's 10,000 events are ten).
    let mut chained: Vec<(i64, String, String, String)> = Vec::with_capacity(events.len());
    for (kind, subject, data) in events {
        seq += 1;
        let data = data.to_string();
        let (subject_type, subject_id) = subject.parts();
        let hash = digest(
            &prev_hash,
            seq,
            actor_id,
            kind.as_str(),
            subject_type,
            subject_id,
            at,
            &data,
        );
        let prev = std::mem::replace(&mut prev_hash, hash.clone());
        chained.push((seq, data, prev, hash));
    }
    let rows: Vec<NewOrgEvent<'_>> = events
        .iter()
        .zip(&chained)
        .map(|((kind, subject, _), (seq, data, prev_hash, hash))| {
            let (subject_type, subject_id) = subject.parts();
            NewOrgEvent {
                seq: *seq,
                actor_id,
                kind: kind.as_str(),
                subject_type,
                subject_id,
                data,
                at,
                prev_hash,
                hash,
            }
        })
        .collect();
    org_events::insert_many(conn, &rows)?;
    // Their webhooks commit with them, against one read of the endpoints.
    let mut endpoints = None;
    for (kind, subject, data) in events {
        let (OrgEventKind::PersonAdded | OrgEventKind::PersonChanged, Subject::User(id)) =
            (kind, subject)
        else {
            continue;
        };
        let endpoints = match &mut endpoints {
            Some(e) => e,
            None => endpoints.insert(webhook_events::Endpoints::read(conn)?),
        };
        if *kind == OrgEventKind::PersonAdded {
            webhook_events::on_person_added(conn, endpoints, *id, data)?
        } else {
            webhook_events::on_person_changed(conn, endpoints, *id, data)?
        }
    }
    Ok(())
}

/// A page of the trail, newest first (admins only). The cursor is a sequence
/// number: the next page holds the events before it.
pub async fn list(
    db: &Db,
    actor: &User,
    filter: OrgEventFilter,
    page: Page,
) -> Result<Listing<OrgEvent>, ServiceError> {
    require_admin(actor)?;
    db.run(move |c| {
        let rows = org_events::list(c, &filter, page.after, Some(page.fetch()))?;
        Ok(page.cut(rows, |e| e.seq))
    })
    .await
}

/// Every event matching `filter`, newest first, for the CSV export (admins
/// only; the trail of an organisation is thousands of events, not millions).
pub async fn export(
    db: &Db,
    actor: &User,
    filter: OrgEventFilter,
) -> Result<Vec<OrgEvent>, ServiceError> {
    require_admin(actor)?;
    db.run(move |c| Ok(org_events::list(c, &filter, None, None)?))
        .await
}

/// The events as CSV (RFC 4180, a header line first), oldest last as listed.
pub fn to_csv(events: &[OrgEvent]) -> Result<String, ServiceError> {
    let mut out = csv::Writer::from_writer(Vec::with_capacity(128 * (events.len() + 1)));
    let header = [
        "seq",
        "at",
        "actor_id",
        "kind",
        "subject_type",
        "subject_id",
        "data",
        "prev_hash",
        "hash",
    ];
    let fail = |e: csv::Error| ServiceError::Internal(anyhow::Error::new(e));
    out.write_record(header).map_err(fail)?;
    for e in events {
        let at = crate::services::chain::hashed_time(e.at);
        let actor = e.actor_id.map(|a| a.to_string()).unwrap_or_default();
        let subject = e.subject_id.map(|s| s.to_string()).unwrap_or_default();
        out.write_record([
            e.seq.to_string().as_str(),
            &at,
            &actor,
            &e.kind,
            &e.subject_type,
            &subject,
            &e.data,
            &e.prev_hash,
            &e.hash,
        ])
        .map_err(fail)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| ServiceError::Internal(anyhow::anyhow!("{e}")))?;
    String::from_utf8(bytes).map_err(|e| ServiceError::Internal(anyhow::Error::new(e)))
}

/// The whole chain recomputed, a batch at a time (admins only).
pub async fn verify(db: &Db, actor: &User) -> Result<Verification, ServiceError> {
    require_admin(actor)?;
    db.run(|c| {
        const BATCH: i64 = 1_000;
        let mut verifier = Verifier::default();
        let (mut after, mut total) = (0, 0);
        loop {
            let batch = org_events::chain(c, after, BATCH)?;
            let Some(last) = batch.last() else { break };
            after = last.seq;
            total += batch.len();
            for e in &batch {
                verifier.check(e.id, e.seq, &e.prev_hash, &e.hash, || recompute(e));
            }
        }
        Ok(verifier.finish(total))
    })
    .await
}

/// The events about one subject, oldest first (a person's history).
pub fn history(
    conn: &mut DbConn,
    subject: Subject,
    kind: Option<OrgEventKind>,
) -> diesel::QueryResult<Vec<OrgEvent>> {
    let (subject_type, subject_id) = subject.parts();
    let filter = OrgEventFilter {
        kind: kind.map(|k| k.as_str().to_owned()),
        subject_type: Some(subject_type.to_owned()),
        subject_id,
        ..Default::default()
    };
    let mut rows = org_events::list(conn, &filter, None, None)?;
    rows.reverse();
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<OrgEvent> {
        let mut prev = GENESIS.to_owned();
        let at = now();
        (1..=n)
            .map(|seq| {
                let data = format!("{{\"n\":{seq}}}");
                let hash = digest(
                    &prev,
                    seq,
                    Some(1),
                    "person_changed",
                    "user",
                    Some(4),
                    at,
                    &data,
                );
                let e = OrgEvent {
                    id: seq * 10,
                    seq,
                    actor_id: Some(1),
                    kind: "person_changed".into(),
                    subject_type: "user".into(),
                    subject_id: Some(4),
                    data,
                    at,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn verify_all(events: &[OrgEvent]) -> Verification {
        let mut v = Verifier::default();
        for e in events {
            v.check(e.id, e.seq, &e.prev_hash, &e.hash, || recompute(e));
        }
        v.finish(events.len())
    }

    #[test]
    fn an_untouched_org_chain_verifies() {
        let v = verify_all(&chain(4));
        assert!(v.ok);
        assert_eq!(v.events, 4);
    }

    #[test]
    fn a_changed_subject_breaks_the_org_chain_at_that_event() {
        let mut events = chain(4);
        events[1].subject_id = Some(5);
        let m = verify_all(&events).first_mismatch.unwrap();
        assert_eq!((m.seq, m.reason), (2, "content_hash_mismatch"));
    }

    #[test]
    fn every_kind_reads_back_from_its_name() {
        for k in OrgEventKind::ALL {
            assert_eq!(OrgEventKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(OrgEventKind::parse("loop_edited"), None);
    }
}
