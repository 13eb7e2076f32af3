//! `/admin/audit`: the organisation's audit trail, newest first, filtered by
//! kind, admin, subject and time; whether its chain verifies; its CSV export.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde_json::Value;

use super::{Admin, words};
use crate::domain::{Page, UserId};
use crate::error::ServiceError;
use crate::services::org_audit::{self, AuditQuery, OrgEvent, OrgEventKind};
use crate::services::people;
use crate::state::AppState;
use crate::urls;

use super::super::page::{PageError, csv_download, render_status};
use super::super::session::Viewer;
use super::super::time::when;

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::ADMIN_AUDIT, web::get().to(list))
        .route(urls::ADMIN_AUDIT_EXPORT, web::get().to(export));
}

#[derive(serde::Deserialize, Default)]
struct ListQuery {
    #[serde(flatten)]
    filters: AuditQuery,
    cursor: Option<String>,
}

impl ListQuery {
    fn pairs(&self) -> Vec<(&'static str, &str)> {
        let f = &self.filters;
        [
            ("kind", &f.kind),
            ("actor_id", &f.actor_id),
            ("subject_type", &f.subject_type),
            ("subject_id", &f.subject_id),
            ("from", &f.from),
            ("to", &f.to),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.as_deref().unwrap_or("")))
        .collect()
    }
}

/// One event in a sentence's worth of words: its changes, `from → to`.
fn summary(e: &OrgEvent) -> Markup {
    let data: Value = serde_json::from_str(&e.data).unwrap_or(Value::Null);
    let show = |v: &Value| match v {
        Value::Null => "none".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    html! {
        @if let Some(name) = data.get("name").or_else(|| data.get("key")).and_then(Value::as_str) { strong { (name) } " " }
        @if let Some(changes) = data.get("changes").and_then(Value::as_object) {
            @for (field, change) in changes {
                span.change { (words(field)) ": " (show(&change["from"])) " → " (show(&change["to"])) } " "
            }
        }
        @if let (Some(from), Some(to)) = (data.get("from"), data.get("to")) {
            span.change { (show(from)) " → " (show(to)) }
        }
        @if e.kind == OrgEventKind::PeopleImported.as_str() {
            (data["rows"]) " rows: " (data["created"]) " added, " (data["updated"]) " updated, " (data["unchanged"]) " unchanged"
        }
        @if data.get("sessions_ended") == Some(&Value::Bool(true)) { span.badge.warn { "sessions ended" } " " }
        @if e.kind == OrgEventKind::MailRetried.as_str() { "a " (show(&data["kind"])) " message" }
    }
}

fn page(
    viewer: &Viewer,
    query: &ListQuery,
    events: &[OrgEvent],
    next: Option<i64>,
    names: &HashMap<i64, String>,
    verified: &crate::services::chain::Verification,
    problems: &[crate::domain::FieldProblem],
) -> Markup {
    let zone = viewer.user.zone();
    let f = &query.filters;
    let chosen = f.kind.as_deref().unwrap_or("");
    html! {
        h1 { "Audit trail" }
        p {
            "Every change to people, roles, bar raiser standings, reporting lines, the competency library and the outbox, in one tamper-evident chain. "
            @if verified.ok {
                span.badge.ok #chain-state { "chain verified" } " " (verified.events) " events, every hash recomputed."
            } @else {
                span.badge.bad #chain-state { "chain broken" }
                @if let Some(m) = &verified.first_mismatch { " The first event that does not match is number " (m.seq) " (" (words(m.reason)) ")." }
            }
        }
        section.card aria-labelledby="filter-h" {
            h2 #filter-h { "Filter" }
            @for p in problems { p.flash.error role="alert" { (p.field) ": " (p.message) } }
            form.filters method="get" action=(urls::ADMIN_AUDIT) {
                label for="a-kind" { "Kind" }
                select #a-kind name="kind" {
                    option value="" selected[chosen.is_empty()] { "Any" }
                    @for k in OrgEventKind::ALL { option value=(k.as_str()) selected[chosen == k.as_str()] { (words(k.as_str())) } }
                }
                label for="a-subject" { "About person or competency number" }
                input #a-subject type="text" inputmode="numeric" name="subject_id" value=(f.subject_id.as_deref().unwrap_or(""));
                label for="a-actor" { "By admin number" }
                input #a-actor type="text" inputmode="numeric" name="actor_id" value=(f.actor_id.as_deref().unwrap_or(""));
                @if let Some(t) = &f.subject_type { input type="hidden" name="subject_type" value=(t); }
                div.actions {
                    button.secondary type="submit" { "Filter" }
                    a href=(urls::admin_audit_export(&query.pairs())) download { "Download CSV" }
                }
            }
        }
        @if events.is_empty() {
            p.muted { "No events match." }
        } @else {
            div.table-wrap tabindex="0" role="region" aria-label="Events, newest first" {
                table #audit-events {
                    thead { tr {
                        th scope="col" { "#" } th scope="col" { "When" } th scope="col" { "Who" }
                        th scope="col" { "What" } th scope="col" { "About" } th scope="col" { "Change" }
                    } }
                    tbody {
                        @for e in events {
                            tr {
                                td { (e.seq) }
                                td { (when(zone, e.at.and_utc())) }
                                td { @match e.actor_id.and_then(|a| names.get(&a)) { Some(n) => (n), None => "the service" } }
                                td { (words(&e.kind)) }
                                td {
                                    @match (e.subject_type.as_str(), e.subject_id) {
                                        ("user", Some(id)) => { a href=(urls::admin_person(UserId(id))) { "person " (id) } }
                                        ("competency", Some(id)) => { a href=(urls::admin_competency(crate::domain::CompetencyId(id))) { "competency " (id) } }
                                        (t, Some(id)) => { (t) " " (id) }
                                        (t, None) => { (t) }
                                    }
                                }
                                td { (summary(e)) }
                            }
                        }
                    }
                }
            }
            @if let Some(next) = next {
                p { a href=(urls::admin_audit(&query.pairs(), Some(&next.to_string()))) { "Older events" } }
            }
        }
    }
}

/// `GET /admin/audit?kind=&actor_id=&subject_type=&subject_id=&from=&to=`
async fn list(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let query = ListQuery {
        filters: query.filters.clone().blanks_dropped(),
        cursor: query.cursor.clone(),
    };
    let (filter, problems) = match query.filters.parse() {
        Ok(f) => (f, Vec::new()),
        Err(ServiceError::Invalid(p)) => (Default::default(), p),
        Err(e) => return Err(e.into()),
    };
    let page_at = Page::parse(Some("50"), query.cursor.as_deref()).unwrap_or_default();
    let listing = org_audit::list(&state.db, &viewer.user, filter, page_at).await?;
    let verified = org_audit::verify(&state.db, &viewer.user).await?;
    let mut ids: Vec<i64> = listing.items.iter().filter_map(|e| e.actor_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let names = people::names(&state.db, &viewer.user, ids).await?;
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        &viewer.web,
        &viewer,
        status,
        "Audit trail",
        page(
            &viewer,
            &query,
            &listing.items,
            listing.next,
            &names,
            &verified,
            &problems,
        ),
    ))
}

/// `GET /admin/audit/export?…`: the filtered trail as CSV.
async fn export(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, PageError> {
    let filter = query.into_inner().blanks_dropped().parse()?;
    let events = org_audit::export(&state.db, &viewer.user, filter).await?;
    Ok(csv_download("audit.csv", org_audit::to_csv(&events)?))
}
