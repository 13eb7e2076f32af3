//! The page frame (header, navigation by role, flash), how pages are sent
//! (with their Content-Security-Policy), and the pages for what goes wrong:
//! a 404 for what a person may not see, an error page without internals.

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use maud::{DOCTYPE, Markup, html};

pub use super::error::PageError;
pub use super::frame::{CONTENT_SECURITY_POLICY, bare, head, html_response, not_found_page};
use super::session::{FlashKind, Viewer, WebSettings};
use crate::domain::FieldProblem;
use crate::urls;

/// The navigation: what the viewer's role works with.
fn nav(viewer: &Viewer) -> Markup {
    let mut items: Vec<(&str, &str)> = vec![(urls::HOME, "Home"), (urls::LOOPS, "Loops")];
    if viewer.user.role.recruits() {
        items.push((urls::NEW_LOOP, "New loop"));
        items.push((urls::REQUISITIONS, "Requisitions"));
        items.push((urls::CANDIDATES, "Candidates"));
    }
    let insights = if viewer.user.role.recruits() {
        urls::INSIGHTS
    } else {
        urls::INSIGHTS_ME
    };
    items.push((insights, "Insights"));
    if viewer.user.is_admin() {
        items.push((urls::ADMIN, "Admin"));
    }
    items.push((urls::ACCOUNT, "Account"));
    html! {
        nav aria-label="Main" {
            ul {
                @for (href, label) in items {
                    li {
                        @if viewer.path == href {
                            a href=(href) aria-current="page" { (label) }
                        } @else {
                            a href=(href) { (label) }
                        }
                    }
                }
            }
        }
    }
}

/// A whole page for a signed-in viewer.
pub fn layout(viewer: &Viewer, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body hx-headers:inherited=(format!(r#"{{"X-CSRF-Token":"{}"}}"#, viewer.csrf)) {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    a.brand href="/" { "barraiser" }
                    (nav(viewer))
                    div.who {
                        span { (viewer.user.name) " · " (viewer.user.zone().name()) }
                        form method="post" action=(urls::LOGOUT) {
                            input type="hidden" name="csrf_token" value=(viewer.csrf);
                            button.link type="submit" { "Sign out" }
                        }
                    }
                }
                main #main {
                    // Where an htmx request's refusal is told (web::refusals).
                    div #refusal aria-live="assertive" {}
                    @if let Some(flash) = &viewer.flash {
                        @let class = if flash.kind == FlashKind::Problem { "flash error" } else { "flash" };
                        div class=(class) role="status" { (flash.text) }
                    }
                    (body)
                }
            }
        }
    }
}

/// A page for `viewer`, clearing the flash it shows.
pub fn render(web: &WebSettings, viewer: &Viewer, title: &str, body: Markup) -> HttpResponse {
    render_status(web, viewer, StatusCode::OK, title, body)
}

pub fn render_status(
    web: &WebSettings,
    viewer: &Viewer,
    status: StatusCode,
    title: &str,
    body: Markup,
) -> HttpResponse {
    let mut response = html_response(status, layout(viewer, title, body));
    if viewer.flash.is_some() {
        let _ = response.add_cookie(&web.clear_flash_cookie());
    }
    response
}

/// A fragment for htmx to swap in.
pub fn fragment(status: StatusCode, markup: Markup) -> HttpResponse {
    html_response(status, markup)
}

/// `303 See Other` to `location`, leaving a message for the next page.
pub fn redirect_with(
    web: &WebSettings,
    location: &str,
    kind: FlashKind,
    text: &str,
) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .cookie(web.flash_cookie(kind, text))
        .finish()
}

/// The problems that concern `field`, shown beside it.
pub fn field_errors(problems: &[FieldProblem], field: &str) -> Markup {
    html! {
        @for p in problems.iter().filter(|p| p.field == field) {
            p.field-error id=(format!("{}-error", dom_id(field))) { (p.message) }
        }
    }
}

/// An element id for a field name (`interviews[0].starts_at` → `interviews-0-starts_at`).
pub fn dom_id(field: &str) -> String {
    field
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_matches('-')
        .replace("--", "-")
}

/// A CSV body offered as a download named `name`.
pub fn csv_download(name: &str, body: impl actix_web::body::MessageBody + 'static) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body)
}

/// An `<option>` of a `<select>`, selected or not.
pub fn option(value: &str, label: &str, selected: bool) -> Markup {
    html! {
        @if selected { option value=(value) selected { (label) } }
        @else { option value=(value) { (label) } }
    }
}
