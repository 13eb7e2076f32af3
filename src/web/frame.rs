//! The frame every page shares (head, stylesheet, scripts, the
//! Content-Security-Policy) and the bare pages for people not signed in.

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use maud::{DOCTYPE, Markup, html};

use super::assets;

/// Only our own scripts, styles and connections; no inline code, no frames.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

pub fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            // htmx's own indicator styles would be an inline <style>, which the CSP refuses.
            meta name="htmx-config" content="includeIndicatorCSS:false";
            title { (title) " · barraiser" }
            link rel="stylesheet" href=(assets::url("app.css"));
            script src=(assets::url("htmx.min.js")) defer {}
            // Server-sent events (the debrief room's live updates), from the same package.
            script src=(assets::url("hx-sse.min.js")) defer {}
            script src=(assets::url("app.js")) defer {}
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
