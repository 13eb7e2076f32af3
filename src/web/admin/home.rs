//! `/admin`: the admin's workspace — what needs an admin now (failed mail,
//! people without a manager, loops flagged red, bar raisers carrying far more
//! than the others) and the way to each admin page.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::Admin;
use crate::domain::{LoopId, UserId};
use crate::services::oversight::{self, Oversight};
use crate::state::AppState;
use crate::urls;

use super::super::page::{PageError, render};

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::ADMIN, web::get().to(show));
}

/// The cards of what needs an admin (also on an admin's home page).
pub fn needs_admin(o: &Oversight) -> Markup {
    html! {
        section.card #needs-admin aria-labelledby="needs-h" {
            h2 #needs-h { "Needs an admin" }
            @if o.failed_mail == 0 && o.flagged == 0 && o.overloaded.is_empty() && o.without_manager <= 1 {
                p { span.badge.ok { "all clear" } " No failed mail, no flagged loop, no bar raiser far above the others." }
            }
            ul.plain {
                li {
                    @if o.failed_mail > 0 {
                        span.badge.bad { (o.failed_mail) " failed" } " "
                        a href=(urls::admin_outbox(Some("failed"), None)) { "mail that could not be delivered" }
                    } @else { span.muted { "No failed mail." } }
                }
                li {
                    @if o.flagged > 0 {
                        span.badge.bad { (o.flagged) " flagged" } " open loops that are no longer independent:"
                        ul { @for l in &o.flagged_shown {
                            li { a href=(urls::loop_page(LoopId(l.lp.id))) { (l.candidate_name) " — " (l.role_title) } }
                        } }
                    } @else { span.muted { "No open loop is flagged." } }
                }
                li {
                    @if o.overloaded.is_empty() {
                        span.muted { "No bar raiser carries far more than the others (median " (o.median_load) " open loops)." }
                    } @else {
                        span.badge.warn { (o.overloaded.len()) " bar raiser" @if o.overloaded.len() != 1 { "s" } } " far above the median of " (o.median_load) " open loops:"
                        ul { @for (u, load) in &o.overloaded {
                            li { a href=(urls::admin_person(UserId(u.id))) { (u.name) } " — " (load) " open loops" }
                        } }
                    }
                }
                li {
                    (o.without_manager) " active " @if o.without_manager == 1 { "person has" } @else { "people have" } " no manager"
                    @if o.without_manager > 0 {
                        ": "
                        @for (i, u) in o.without_manager_shown.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href=(urls::admin_person(UserId(u.id))) { (u.name) }
                        }
                        @if o.without_manager > o.without_manager_shown.len() as i64 { ", …" }
                    }
                }
            }
        }
    }
}

/// `GET /admin`
async fn show(state: web::Data<AppState>, Admin(viewer): Admin) -> Result<HttpResponse, PageError> {
    let o = oversight::oversight(&state.db, &viewer.user).await?;
    let body = html! {
        h1 { "Admin" }
        div.two {
            (needs_admin(&o))
            section.card aria-labelledby="pages-h" {
                h2 #pages-h { "The organisation" }
                ul.plain {
                    li { a href=(urls::ADMIN_PEOPLE) { "People" } span.muted { " — find, add and invite, edit" } }
                    li { a href=(urls::ADMIN_PEOPLE_IMPORT) { "Import people" } span.muted { " — a CSV file, all rows or none" } }
                    li { a href=(urls::ADMIN_ORG) { "Organisation chart" } span.muted { " — reporting lines and bar raisers" } }
                    li { a href=(urls::ADMIN_COMPETENCIES) { "Competencies" } span.muted { " — the library of leadership principles" } }
                    li { a href=(urls::admin_outbox(None, None)) { "Outbox" } span.muted { " — mail sent, waiting or failed" } }
                    li { a href=(urls::ADMIN_AUDIT) { "Audit trail" } span.muted { " — every admin change, verifiable" } }
                    li { a href=(urls::ADMIN_API_KEYS) { "API keys" } span.muted { " — keys for integrations, revoked at once" } }
                    li { a href=(urls::ADMIN_WEBHOOKS) { "Webhooks" } span.muted { " — endpoints told of changes, and their deliveries" } }
                }
            }
        }
    };
    Ok(render(&viewer.web, &viewer, "Admin", body))
}
