//! `/admin/outbox`: the mail the service sent, waits to send or gave up on,
//! by status, recipients masked; a failed message can be queued again.

use actix_web::{HttpResponse, web};
use maud::html;

use super::Admin;
use crate::domain::{MessageId, Page};
use crate::services::outbox::{self, masked_recipients};
use crate::state::AppState;
use crate::urls;

use super::super::page::{PageError, redirect_with, render};
use super::super::session::FlashKind;
use super::super::time::when;

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::ADMIN_OUTBOX, web::get().to(list))
        .route(urls::ADMIN_OUTBOX_RETRY, web::post().to(retry));
}

const STATUSES: [(&str, &str); 3] = [
    ("failed", "Failed"),
    ("pending", "Waiting"),
    ("sent", "Sent"),
];

#[derive(serde::Deserialize)]
struct ListQuery {
    status: Option<String>,
    cursor: Option<String>,
}

/// `GET /admin/outbox?status=`: failed first by default, since they need an admin.
async fn list(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let status = outbox::parse_status(Some(query.status.as_deref().unwrap_or("failed")))
        .ok()
        .flatten();
    let page = Page::parse(Some("50"), query.cursor.as_deref()).unwrap_or_default();
    let listing = outbox::list(&state.db, &viewer.user, status, page).await?;
    let zone = viewer.user.zone();
    let body = html! {
        h1 { "Outbox" }
        nav aria-label="Messages by status" {
            ul.plain.tabs {
                @for (s, label) in STATUSES {
                    li {
                        @if Some(s) == status {
                            a href=(urls::admin_outbox(Some(s), None)) aria-current="page" { (label) }
                        } @else {
                            a href=(urls::admin_outbox(Some(s), None)) { (label) }
                        }
                    }
                }
            }
        }
        @if listing.items.is_empty() {
            p.muted { "No messages here." }
        } @else {
            div.table-wrap tabindex="0" role="region" aria-label="Messages" {
                table {
                    thead { tr {
                        th scope="col" { "Subject" }
                        th scope="col" { "To" }
                        th scope="col" { "Tries" }
                        th scope="col" { "Last error" }
                        th scope="col" { "Queued" }
                        th scope="col" { span.sr-only { "Action" } }
                    } }
                    tbody {
                        @for m in &listing.items {
                            tr {
                                td { (m.subject) }
                                td { (masked_recipients(m).join(", ")) }
                                td { (m.attempts) }
                                td { (m.last_error.as_deref().unwrap_or("—")) }
                                td { (when(zone, m.created_at.and_utc())) }
                                td {
                                    @if m.status == "failed" {
                                        form method="post" action=(urls::admin_outbox_retry(MessageId(m.id))) {
                                            input type="hidden" name="csrf_token" value=(viewer.csrf);
                                            button.secondary type="submit" aria-label=(format!("Retry: {}", m.subject)) { "Retry" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(next) = listing.next {
                p { a href=(urls::admin_outbox(status, Some(&next.to_string()))) { "More messages" } }
            }
        }
    };
    Ok(render(&viewer.web, &viewer, "Outbox", body))
}

/// `POST /admin/outbox/{id}/retry`: back in the queue, due now.
async fn retry(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    id: web::Path<MessageId>,
) -> Result<HttpResponse, PageError> {
    outbox::retry(&state.db, &viewer.user, id.into_inner()).await?;
    Ok(redirect_with(
        &viewer.web,
        &urls::admin_outbox(Some("pending"), None),
        FlashKind::Done,
        "The message is queued again.",
    ))
}
