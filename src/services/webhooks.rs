//! Webhook endpoints (admins): register, list, change, remove, and read each
//! endpoint's deliveries with their attempts. What is announced is in
//! `webhook_events`; how it is sent, in the `webhooks` module at the root.

use chrono::NaiveDateTime;
use serde_json::json;

use crate::auth::require_admin;
use crate::db::users::User;
use crate::db::webhooks::{
    self as rows, Attempt, Delivery, Endpoint, EndpointChanges, NewEndpoint,
};
use crate::db::{Db, now};
use crate::domain::{Listing, OneLine, Page};
use crate::error::ServiceError;
use crate::services::org_audit::{self, OrgEventKind, Subject};
pub use crate::services::webhook_events::EventType;
use crate::webhooks::Reach;
use crate::webhooks::address::{self, Refused};
use crate::webhooks::signature::new_secret;

/// How long a URL may be.
pub const URL_MAX: usize = 2000;
/// How long a description may be.
pub const DESCRIPTION_MAX: usize = 200;

/// An endpoint as the admin sees it (never its secret).
#[derive(Debug, Clone)]
pub struct WebhookView {
    pub id: i64,
    pub url: String,
    pub description: Option<String>,
    pub events: Vec<EventType>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl From<Endpoint> for WebhookView {
    fn from(e: Endpoint) -> Self {
        Self {
            events: EventType::from_stored(&e.events),
            id: e.id,
            url: e.url,
            description: e.description,
            active: e.active,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// A parsed `POST /webhooks`; the URL is checked by [`create`], which
/// resolves it.
#[derive(Debug)]
pub struct NewWebhook {
    pub url: String,
    pub events: Vec<EventType>,
    pub description: Option<OneLine>,
}

/// A parsed `PATCH /webhooks/{id}`.
#[derive(Debug, Default)]
pub struct WebhookPatch {
    pub events: Option<Vec<EventType>>,
    pub active: Option<bool>,
    pub rotate_secret: bool,
}

fn refused(e: Refused) -> ServiceError {
    ServiceError::Rule {
        code: "webhook_url_refused",
        detail: format!("The webhook URL {e}."),
    }
}

/// Registers an endpoint (admins) once its URL passes the address checks:
/// its view and its secret, which is shown this once.
pub async fn create(
    db: &Db,
    reach: Reach,
    actor: &User,
    new: NewWebhook,
) -> Result<(WebhookView, String), ServiceError> {
    require_admin(actor)?;
    if new.url.trim().chars().count() > URL_MAX {
        return Err(ServiceError::field(
            "url",
            format!("must be at most {URL_MAX} characters"),
        ));
    }
    let url = address::check_endpoint(&new.url, reach)
        .await
        .map_err(refused)?;
    let secret = new_secret();
    let actor_id = actor.id;
    let shown = secret.clone();
    let view = db
        .write(move |c| {
            let at = now();
            let events = EventType::stored(&new.events);
            let endpoint = rows::insert(
                c,
                &NewEndpoint {
                    url: url.as_str(),
                    description: new.description.as_ref().map(AsRef::as_ref),
                    events: &events,
                    secret: &secret,
                    active: true,
                    created_by_id: actor_id,
                    created_at: at,
                    updated_at: at,
                },
            )?;
            org_audit::record(
                c,
                Some(actor_id),
                OrgEventKind::WebhookCreated,
                Subject::Webhook(endpoint.id),
                &json!({"url": endpoint.url, "events": events.split(' ').collect::<Vec<_>>()}),
            )?;
            Ok(WebhookView::from(endpoint))
        })
        .await?;
    tracing::info!(webhook.id = view.id, "webhook registered");
    Ok((view, shown))
}

/// Every endpoint, oldest first (admins).
pub async fn list(db: &Db, actor: &User) -> Result<Vec<WebhookView>, ServiceError> {
    require_admin(actor)?;
    db.run(|c| Ok(rows::list(c)?.into_iter().map(WebhookView::from).collect()))
        .await
}

/// One endpoint (admins).
pub async fn get(db: &Db, actor: &User, id: i64) -> Result<WebhookView, ServiceError> {
    require_admin(actor)?;
    db.run(move |c| Ok(rows::find(c, id)?.ok_or(ServiceError::NotFound)?.into()))
        .await
}

/// Changes an endpoint's events, pauses or resumes it, or gives it a new
/// secret (admins): its view, and the new secret when there is one (shown
/// this once; pending deliveries are signed with it from now on).
pub async fn change(
    db: &Db,
    actor: &User,
    id: i64,
    patch: WebhookPatch,
) -> Result<(WebhookView, Option<String>), ServiceError> {
    require_admin(actor)?;
    let actor_id = actor.id;
    db.write(move |c| {
        let before = rows::find(c, id)?.ok_or(ServiceError::NotFound)?;
        let secret = patch.rotate_secret.then(new_secret);
        let events = patch.events.as_deref().map(EventType::stored);
        let mut changes = serde_json::Map::new();
        if let Some(events) = events.as_ref().filter(|e| **e != before.events) {
            changes.insert(
                "events".into(),
                json!({"from": before.events.split(' ').collect::<Vec<_>>(), "to": events.split(' ').collect::<Vec<_>>()}),
            );
        }
        if let Some(active) = patch.active.filter(|a| *a != before.active) {
            changes.insert("active".into(), json!({"from": before.active, "to": active}));
        }
        if secret.is_some() {
            changes.insert("secret".into(), json!("rotated"));
        }
        if changes.is_empty() {
            return Ok((before.into(), None));
        }
        let endpoint = rows::update(
            c,
            id,
            &EndpointChanges {
                events,
                secret: secret.clone(),
                active: patch.active,
                updated_at: Some(now()),
            },
        )?;
        org_audit::record(
            c,
            Some(actor_id),
            OrgEventKind::WebhookChanged,
            Subject::Webhook(id),
            &json!({"url": endpoint.url, "changes": changes}),
        )?;
        Ok((endpoint.into(), secret))
    })
    .await
}

/// Removes an endpoint with its deliveries (admins).
pub async fn delete(db: &Db, actor: &User, id: i64) -> Result<(), ServiceError> {
    require_admin(actor)?;
    let actor_id = actor.id;
    db.write(move |c| {
        let endpoint = rows::find(c, id)?.ok_or(ServiceError::NotFound)?;
        rows::delete(c, id)?;
        org_audit::record(
            c,
            Some(actor_id),
            OrgEventKind::WebhookDeleted,
            Subject::Webhook(id),
            &json!({"url": endpoint.url}),
        )?;
        Ok(())
    })
    .await
}

/// A delivery with its attempts, oldest first.
#[derive(Debug, Clone)]
pub struct DeliveryView {
    pub delivery: Delivery,
    pub attempts: Vec<Attempt>,
}

fn with_attempts(
    c: &mut crate::db::DbConn,
    deliveries: Vec<Delivery>,
) -> Result<Vec<DeliveryView>, ServiceError> {
    let ids: Vec<i64> = deliveries.iter().map(|d| d.id).collect();
    let mut by_delivery: std::collections::HashMap<i64, Vec<Attempt>> = Default::default();
    for a in rows::attempts_of(c, &ids)? {
        by_delivery.entry(a.delivery_id).or_default().push(a);
    }
    Ok(deliveries
        .into_iter()
        .map(|delivery| DeliveryView {
            attempts: by_delivery.remove(&delivery.id).unwrap_or_default(),
            delivery,
        })
        .collect())
}

/// An endpoint's deliveries in the order they were created, a page at a
/// time, each with its attempts (admins).
pub async fn deliveries(
    db: &Db,
    actor: &User,
    id: i64,
    page: Page,
) -> Result<Listing<DeliveryView>, ServiceError> {
    require_admin(actor)?;
    db.run(move |c| {
        rows::find(c, id)?.ok_or(ServiceError::NotFound)?;
        let rows = rows::deliveries(c, id, page.after, page.fetch())?;
        let listing = page.cut(rows, |d| d.id);
        let items = with_attempts(c, listing.items)?;
        Ok(Listing {
            items,
            next: listing.next,
        })
    })
    .await
}

/// The endpoints and each one's latest deliveries, newest first (the admin page).
pub async fn overview(
    db: &Db,
    actor: &User,
    latest: i64,
) -> Result<Vec<(WebhookView, Vec<DeliveryView>)>, ServiceError> {
    require_admin(actor)?;
    db.run(move |c| {
        let mut out = Vec::new();
        for endpoint in rows::list(c)? {
            let latest = rows::latest_deliveries(c, endpoint.id, latest)?;
            out.push((WebhookView::from(endpoint), with_attempts(c, latest)?));
        }
        Ok(out)
    })
    .await
}
