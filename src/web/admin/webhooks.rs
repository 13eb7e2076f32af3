//! `/admin/webhooks`: the endpoints that hear of the organisation's changes,
//! each with its latest deliveries and every attempt at them. A new or
//! rotated secret is shown once, on the page that made it; pausing, rotating
//! and removing each take a confirmation where they cannot be undone.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::Admin;
use crate::db::webhooks::{DELIVERED, FAILED};
use crate::domain::{FieldProblem, OneLine};
use crate::error::ServiceError;
use crate::services::webhooks::{
    self, DESCRIPTION_MAX, DeliveryView, EventType, NewWebhook, URL_MAX, WebhookPatch, WebhookView,
};
use crate::state::AppState;
use crate::urls;

use super::super::form::Form;
use super::super::page::{PageError, field_errors, redirect_with, render_status};
use super::super::session::{FlashKind, Viewer};
use super::super::time::when;

/// How many deliveries of each endpoint the page shows.
const LATEST: i64 = 20;

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::ADMIN_WEBHOOKS, web::get().to(list))
        .route(urls::ADMIN_WEBHOOKS, web::post().to(create))
        .route(urls::ADMIN_WEBHOOK_ACTIVE, web::post().to(set_active))
        .route(urls::ADMIN_WEBHOOK_SECRET, web::post().to(rotate))
        .route(urls::ADMIN_WEBHOOK_DELETE, web::post().to(delete));
}

/// What the form held, to show it again with its problems.
#[derive(Default)]
struct Draft<'a> {
    url: &'a str,
    description: &'a str,
    events: Vec<&'a str>,
    problems: Vec<FieldProblem>,
}

fn status_badge(status: &str) -> Markup {
    let class = match status {
        DELIVERED => "badge ok",
        FAILED => "badge bad",
        _ => "badge",
    };
    html! { span class=(class) { (status) } }
}

fn deliveries_table(viewer: &Viewer, id: i64, list: &[DeliveryView]) -> Markup {
    let zone = viewer.user.zone();
    html! {
        @if list.is_empty() {
            p.muted { "Nothing delivered yet." }
        } @else {
            div.table-wrap {
                table id=(format!("deliveries-{id}")) {
                    caption.muted { "The latest " (list.len()) " deliveries, newest first" }
                    thead { tr {
                        th scope="col" { "Event" } th scope="col" { "Created" } th scope="col" { "State" }
                        th scope="col" { "Attempts" }
                    } }
                    tbody {
                        @for d in list {
                            tr {
                                td { code { (d.delivery.event_type) } br; span.muted { (d.delivery.message_id) } }
                                td { (when(zone, d.delivery.created_at.and_utc())) }
                                td {
                                    (status_badge(&d.delivery.status))
                                    @if d.delivery.status == crate::db::webhooks::PENDING && d.delivery.attempts > 0 {
                                        br; span.muted { "next try " (when(zone, d.delivery.next_attempt_at.and_utc())) }
                                    }
                                }
                                td {
                                    @if d.attempts.is_empty() { span.muted { "none yet" } }
                                    ol.plain {
                                        @for a in &d.attempts {
                                            li {
                                                (when(zone, a.attempted_at.and_utc())) ": "
                                                @match a.response_code { Some(code) => { "answered " (code) }, None => { "no answer" } }
                                                " in " (a.duration_ms) " ms"
                                                @if let Some(e) = &a.error { br; span.muted { (e) } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn endpoint_card(viewer: &Viewer, w: &WebhookView, latest: &[DeliveryView]) -> Markup {
    let zone = viewer.user.zone();
    let h = format!("webhook-{}-h", w.id);
    html! {
        section.card aria-labelledby=(h) {
            h2 id=(h) { code { (w.url) } }
            p {
                @if w.active { span.badge.ok { "Active" } } @else { span.badge { "Paused" } }
                @if let Some(d) = &w.description { " " (d) }
                span.muted { " — registered " (when(zone, w.created_at.and_utc())) }
            }
            p { "Events: " @for (i, e) in w.events.iter().enumerate() { @if i > 0 { ", " } code { (e.as_str()) } } }
            div.actions {
                form.inline method="post" action=(urls::admin_webhook_active(w.id)) {
                    input type="hidden" name="csrf_token" value=(viewer.csrf);
                    input type="hidden" name="active" value=(if w.active { "false" } else { "true" });
                    button.small type="submit" { @if w.active { "Pause" } @else { "Resume" } }
                }
                form.inline method="post" action=(urls::admin_webhook_secret(w.id)) {
                    input type="hidden" name="csrf_token" value=(viewer.csrf);
                    label.inline {
                        input type="checkbox" name="confirm" value="yes" required;
                        "Yes, give " (w.url) " a new secret"
                    }
                    button.small type="submit" { "Rotate the secret" }
                }
                form.inline method="post" action=(urls::admin_webhook_delete(w.id)) {
                    input type="hidden" name="csrf_token" value=(viewer.csrf);
                    label.inline {
                        input type="checkbox" name="confirm" value="yes" required;
                        "Yes, remove " (w.url) " and its deliveries"
                    }
                    button.danger.small type="submit" { "Remove" }
                }
            }
            (deliveries_table(viewer, w.id, latest))
        }
    }
}

fn page(
    viewer: &Viewer,
    endpoints: &[(WebhookView, Vec<DeliveryView>)],
    secret: Option<(&WebhookView, &str)>,
    draft: &Draft<'_>,
) -> Markup {
    html! {
        h1 { "Webhooks" }
        p.hint { "An endpoint hears of the changes it subscribes to: a POST of "
            code { "{type, timestamp, data}" } ", signed as the Standard Webhooks specification says ("
            code { "webhook-id" } ", " code { "webhook-timestamp" } ", " code { "webhook-signature" }
            "). Bodies carry ids, statuses and names, never feedback, ratings, votes or notes. A refused delivery is retried after 5 s, 5 min, 30 min, 2 h, 5 h and 10 h." }
        @if let Some((w, secret)) = secret {
            section.card.flash.done role="status" aria-labelledby="secret-h" {
                h2 #secret-h { "The secret of " (w.url) }
                p { "Copy it now: it is shown this once. The receiver verifies every delivery with it." }
                p { code #new-secret { (secret) } }
            }
        }
        section.card aria-labelledby="new-h" {
            h2 #new-h { "A new endpoint" }
            form method="post" action=(urls::ADMIN_WEBHOOKS) {
                input type="hidden" name="csrf_token" value=(viewer.csrf);
                label for="url" { "URL" }
                input #url type="url" name="url" maxlength=(URL_MAX) required value=(draft.url)
                    placeholder="https://ats.example.com/barraiser" aria-describedby="url-error";
                (field_errors(&draft.problems, "url"))
                label for="description" { "Description (optional)" }
                input #description type="text" name="description" maxlength=(DESCRIPTION_MAX) value=(draft.description) aria-describedby="description-error";
                (field_errors(&draft.problems, "description"))
                fieldset aria-describedby="events-error" {
                    legend { "Events" }
                    @for e in EventType::ALL {
                        label.inline {
                            input type="checkbox" name="events" value=(e.as_str()) checked[draft.events.contains(&e.as_str())];
                            code { (e.as_str()) }
                        }
                        " "
                    }
                }
                (field_errors(&draft.problems, "events"))
                div.actions { button #create-webhook type="submit" { "Register the endpoint" } }
            }
        }
        @if endpoints.is_empty() {
            p.muted { "No endpoints yet." }
        }
        @for (w, latest) in endpoints {
            (endpoint_card(viewer, w, latest))
        }
    }
}

async fn show(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    secret: Option<(&WebhookView, &str)>,
    draft: &Draft<'_>,
) -> Result<HttpResponse, PageError> {
    let endpoints = webhooks::overview(&state.db, &viewer.user, LATEST).await?;
    Ok(render_status(
        &viewer.web,
        viewer,
        status,
        "Webhooks",
        page(viewer, &endpoints, secret, draft),
    ))
}

/// `GET /admin/webhooks`
async fn list(state: web::Data<AppState>, Admin(viewer): Admin) -> Result<HttpResponse, PageError> {
    show(&state, &viewer, StatusCode::OK, None, &Draft::default()).await
}

/// `POST /admin/webhooks`: registers an endpoint and shows its secret, once.
async fn create(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = Form::parse(&body);
    let mut draft = Draft {
        url: form.raw("url"),
        description: form.raw("description"),
        events: form.all("events"),
        problems: Vec::new(),
    };
    let events = EventType::parse_list(&draft.events);
    let description = match draft.description.trim() {
        "" => Ok(None),
        text => OneLine::parse("description", text, DESCRIPTION_MAX).map(Some),
    };
    let outcome = match (events, description) {
        (Ok(events), Ok(description)) => {
            let new = NewWebhook {
                url: draft.url.to_owned(),
                events,
                description,
            };
            webhooks::create(&state.db, state.webhooks, &viewer.user, new).await
        }
        (events, description) => {
            let mut problems = Vec::new();
            for e in [events.err(), description.err()].into_iter().flatten() {
                problems.extend(e.into_field_problems().unwrap_or_default());
            }
            Err(ServiceError::Invalid(problems))
        }
    };
    match outcome {
        Ok((w, secret)) => {
            show(
                &state,
                &viewer,
                StatusCode::OK,
                Some((&w, &secret)),
                &Draft::default(),
            )
            .await
        }
        Err(ServiceError::Invalid(problems)) => {
            draft.problems = problems;
            show(
                &state,
                &viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                &draft,
            )
            .await
        }
        // A refused address is said beside the URL.
        Err(ServiceError::Rule { detail, .. }) => {
            draft.problems = vec![FieldProblem {
                field: "url".into(),
                message: detail,
            }];
            show(
                &state,
                &viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                &draft,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/webhooks/{id}/active`: pauses or resumes an endpoint.
async fn set_active(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = Form::parse(&body);
    let active = match form.raw("active") {
        "true" => true,
        "false" => false,
        _ => {
            return Ok(redirect_with(
                &viewer.web,
                urls::ADMIN_WEBHOOKS,
                FlashKind::Problem,
                "Nothing was changed: the form was not one this page sends.",
            ));
        }
    };
    let patch = WebhookPatch {
        active: Some(active),
        ..WebhookPatch::default()
    };
    let (w, _) = webhooks::change(&state.db, &viewer.user, id.into_inner(), patch).await?;
    let said = if w.active {
        format!("{} is active again.", w.url)
    } else {
        format!(
            "{} is paused: nothing is sent to it until it is resumed.",
            w.url
        )
    };
    Ok(redirect_with(
        &viewer.web,
        urls::ADMIN_WEBHOOKS,
        FlashKind::Done,
        &said,
    ))
}

fn unconfirmed(viewer: &Viewer, what: &str) -> HttpResponse {
    redirect_with(
        &viewer.web,
        urls::ADMIN_WEBHOOKS,
        FlashKind::Problem,
        &format!("Nothing was {what}: tick the box to confirm."),
    )
}

/// `POST /admin/webhooks/{id}/secret`, confirmed: a new secret, shown once.
async fn rotate(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    if Form::parse(&body).get("confirm") != Some("yes") {
        return Ok(unconfirmed(&viewer, "rotated"));
    }
    let patch = WebhookPatch {
        rotate_secret: true,
        ..WebhookPatch::default()
    };
    let (w, secret) = webhooks::change(&state.db, &viewer.user, id.into_inner(), patch).await?;
    let secret = secret.unwrap_or_default();
    show(
        &state,
        &viewer,
        StatusCode::OK,
        Some((&w, &secret)),
        &Draft::default(),
    )
    .await
}

/// `POST /admin/webhooks/{id}/delete`, confirmed.
async fn delete(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    if Form::parse(&body).get("confirm") != Some("yes") {
        return Ok(unconfirmed(&viewer, "removed"));
    }
    let id = id.into_inner();
    let w = webhooks::get(&state.db, &viewer.user, id).await?;
    webhooks::delete(&state.db, &viewer.user, id).await?;
    Ok(redirect_with(
        &viewer.web,
        urls::ADMIN_WEBHOOKS,
        FlashKind::Done,
        &format!("{} is removed, with its deliveries.", w.url),
    ))
}
