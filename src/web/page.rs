//! The page frame (header, navigation by role, flash), how pages are sent
//! (with their Content-Security-Policy), and the pages for what goes wrong:
//! a 404 for what a person may not see, an error page without internals.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use maud::{DOCTYPE, Markup, html};

use super::assets;
use super::session::{FlashKind, Viewer, WebSettings};
use crate::domain::{FieldProblem, Role};
use crate::error::ServiceError;

/// Only our own scripts, styles and connections; no inline code, no frames.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            // htmx's own indicator styles would be an inline <style>, which the CSP refuses.
            meta name="htmx-config" content="includeIndicatorCSS:false";
            title { (title) " · barraiser" }
            link rel="stylesheet" href=(assets::url("app.css"));
            script src=(assets::url("htmx.min.js")) defer {}
            script src=(assets::url("app.js")) defer {}
        }
    }
}

/// The navigation: what the viewer's role works with.
fn nav(viewer: &Viewer) -> Markup {
    let mut items: Vec<(&str, &str)> = vec![("/", "Home"), ("/loops", "Loops")];
    if matches!(viewer.user.role, Role::Recruiter | Role::Admin) {
        items.push(("/loops/new", "New loop"));
    }
    items.push(("/account", "Account"));
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
                        form method="post" action="/logout" {
                            input type="hidden" name="csrf_token" value=(viewer.csrf);
                            button.link type="submit" { "Sign out" }
                        }
                    }
                }
                main #main {
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

/// A page for someone not signed in (sign-in, errors).
pub fn bare(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                header.top { a.brand href="/" { "barraiser" } }
                main #main { (body) }
            }
        }
    }
}

/// An HTML response with the pages' headers.
pub fn html_response(status: StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .body(markup.into_string())
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

/// What a page request can fail with, each rendered as a page.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// Nobody is signed in: go to the sign-in page (and come back to this
    /// path). `htmx`: the request came from htmx, which navigates on `HX-Redirect`.
    #[error("sign-in required")]
    SignIn { target: String, htmx: bool },
    /// Nothing here, or nothing this person may see.
    #[error("not found")]
    NotFound,
    /// The person may see this but not do it.
    #[error("not allowed: {0}")]
    Forbidden(String),
    #[error("unavailable")]
    Unavailable,
    /// A failure with a reference a person can quote to an operator.
    #[error("internal error {reference}")]
    Internal { reference: String },
}

impl PageError {
    pub fn internal(cause: &str) -> Self {
        let reference = crate::auth::random_hex(6);
        tracing::error!(reference, cause, "page failed");
        Self::Internal { reference }
    }
}

impl From<ServiceError> for PageError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => Self::NotFound,
            ServiceError::Forbidden { detail, .. } => Self::Forbidden(detail),
            ServiceError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "page: database unavailable");
                Self::Unavailable
            }
            other => {
                let reference = crate::auth::random_hex(6);
                tracing::error!(reference, error = %other, "page failed");
                Self::Internal { reference }
            }
        }
    }
}

pub fn not_found_page() -> Markup {
    bare(
        "Not found",
        html! {
            h1 { "Page not found" }
            p { "There is nothing here, or nothing you have access to." }
            p { a href="/" { "Go to your home page" } }
        },
    )
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::SignIn { htmx: false, .. } => StatusCode::SEE_OTHER,
            Self::SignIn { htmx: true, .. } => StatusCode::UNAUTHORIZED,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::SignIn {
                target,
                htmx: false,
            } => HttpResponse::SeeOther()
                .insert_header((header::LOCATION, target.as_str()))
                .finish(),
            // htmx follows this header with a whole-page navigation (a 303
            // would be followed inside the fetch and swapped as a fragment).
            Self::SignIn { target, htmx: true } => HttpResponse::Unauthorized()
                .insert_header(("HX-Redirect", target.as_str()))
                .finish(),
            Self::NotFound => html_response(StatusCode::NOT_FOUND, not_found_page()),
            Self::Forbidden(detail) => html_response(
                StatusCode::FORBIDDEN,
                bare(
                    "Not allowed",
                    html! { h1 { "Not allowed" } p { (detail) } p { a href="/" { "Go to your home page" } } },
                ),
            ),
            Self::Unavailable => {
                let mut r = html_response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    bare(
                        "Unavailable",
                        html! { h1 { "Briefly unavailable" } p { "The service is busy. Nothing was changed; please try again in a moment." } },
                    ),
                );
                r.headers_mut()
                    .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
                r
            }
            Self::Internal { reference } => html_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                bare(
                    "Something went wrong",
                    html! {
                        h1 { "Something went wrong" }
                        p { "Nothing was changed. If it happens again, tell your administrator this reference: " strong { (reference) } "." }
                        p { a href="/" { "Go to your home page" } }
                    },
                ),
            ),
        }
    }
}
