//! `/admin/api-keys`: keys for integrations. A new key is shown once, on the
//! page that creates it; the list shows each key's prefix, role, creator and
//! last use, and revokes a key after a confirmation.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::{Admin, words};
use crate::domain::{FieldProblem, OneLine, Role};
use crate::error::ServiceError;
use crate::services::api_keys::{self, KeyView, NewKey};
use crate::state::AppState;
use crate::urls;

use super::super::form::Form;
use super::super::page::{PageError, field_errors, redirect_with, render_status};
use super::super::session::{FlashKind, Viewer};
use super::super::time::when;

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::ADMIN_API_KEYS, web::get().to(list))
        .route(urls::ADMIN_API_KEYS, web::post().to(create))
        .route(urls::ADMIN_API_KEY_REVOKE, web::post().to(revoke));
}

fn page(
    viewer: &Viewer,
    keys: &[KeyView],
    created: Option<(&KeyView, &str)>,
    problems: &[FieldProblem],
) -> Markup {
    let zone = viewer.user.zone();
    html! {
        h1 { "API keys" }
        p.hint { "An integration (an applicant-tracking system, a script) sends its key as "
            code { "Authorization: Bearer brk_…" } ". A key acts with its role, as its own account: the audit trails name it. Revoking it stops it at once." }
        @if let Some((key, token)) = created {
            section.card.flash.done role="status" aria-labelledby="token-h" {
                h2 #token-h { "The key “" (key.name) "”" }
                p { "Copy it now: it is shown this once, and only its fingerprint is kept." }
                p { code #new-token { (token) } }
            }
        }
        section.card aria-labelledby="new-h" {
            h2 #new-h { "A new key" }
            form method="post" action=(urls::ADMIN_API_KEYS) {
                input type="hidden" name="csrf_token" value=(viewer.csrf);
                label for="name" { "Name" }
                input #name type="text" name="name" maxlength="100" required aria-describedby="name-error";
                (field_errors(problems, "name"))
                label for="role" { "Role" }
                select #role name="role" aria-describedby="role-error" {
                    @for r in Role::ALL { option value=(r.as_str()) selected[r == Role::Recruiter] { (words(r.as_str())) } }
                }
                (field_errors(problems, "role"))
                div.actions { button #create-key type="submit" { "Create the key" } }
            }
        }
        @if keys.is_empty() {
            p.muted { "No keys yet." }
        } @else {
            div.table-wrap {
                table #keys {
                    caption.muted { "Every key, newest first" }
                    thead { tr {
                        th scope="col" { "Name" } th scope="col" { "Key" } th scope="col" { "Role" }
                        th scope="col" { "Created" } th scope="col" { "Last used" } th scope="col" { "State" }
                    } }
                    tbody {
                        @for k in keys {
                            tr {
                                td { (k.name) }
                                td { code { (k.prefix) "…" } }
                                td { (words(k.role.as_str())) }
                                td { (when(zone, k.created_at.and_utc())) " by " (k.created_by) }
                                td { @match k.last_used_at { Some(at) => (when(zone, at.and_utc())), None => span.muted { "never" } } }
                                td {
                                    @if let Some(at) = k.revoked_at {
                                        span.badge { "Revoked" } " " (when(zone, at.and_utc()))
                                    } @else {
                                        form.inline method="post" action=(urls::admin_api_key_revoke(k.id)) {
                                            input type="hidden" name="csrf_token" value=(viewer.csrf);
                                            label.inline {
                                                input type="checkbox" name="confirm" value="yes" required;
                                                "Yes, revoke " (k.name)
                                            }
                                            button.danger.small type="submit" { "Revoke" }
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

/// `GET /admin/api-keys`
async fn list(state: web::Data<AppState>, Admin(viewer): Admin) -> Result<HttpResponse, PageError> {
    let keys = api_keys::list(&state.db, &viewer.user).await?;
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::OK,
        "API keys",
        page(&viewer, &keys, None, &[]),
    ))
}

/// `POST /admin/api-keys`: creates a key and shows it, once.
async fn create(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = Form::parse(&body);
    let name = OneLine::parse("name", form.raw("name"), 100);
    let role = form.raw("role").parse::<Role>();
    let outcome = match (name, role) {
        (Ok(name), Ok(role)) => api_keys::create(&state.db, &viewer.user, NewKey { name, role })
            .await
            .map(Some),
        (name, role) => {
            let mut problems = Vec::new();
            for e in [name.err(), role.err()].into_iter().flatten() {
                problems.extend(e.into_field_problems().unwrap_or_default());
            }
            Err(ServiceError::Invalid(problems))
        }
    };
    match outcome {
        Ok(created) => {
            let keys = api_keys::list(&state.db, &viewer.user).await?;
            let created = created.as_ref().map(|(k, t)| (k, t.as_str()));
            Ok(render_status(
                &viewer.web,
                &viewer,
                StatusCode::OK,
                "API keys",
                page(&viewer, &keys, created, &[]),
            ))
        }
        Err(ServiceError::Invalid(problems)) => {
            let keys = api_keys::list(&state.db, &viewer.user).await?;
            Ok(render_status(
                &viewer.web,
                &viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                "API keys",
                page(&viewer, &keys, None, &problems),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/api-keys/{id}/revoke`, confirmed.
async fn revoke(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = Form::parse(&body);
    if form.get("confirm") != Some("yes") {
        return Ok(redirect_with(
            &viewer.web,
            urls::ADMIN_API_KEYS,
            FlashKind::Problem,
            "Nothing was revoked: tick the box to confirm.",
        ));
    }
    let key = api_keys::revoke(&state.db, &viewer.user, id.into_inner()).await?;
    Ok(redirect_with(
        &viewer.web,
        urls::ADMIN_API_KEYS,
        FlashKind::Done,
        &format!("The key “{}” is revoked: it no longer works.", key.name),
    ))
}
