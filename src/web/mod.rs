//! The web workspaces: server-rendered pages (maud) beside the JSON API, in
//! the same binary, calling the same services. Sign-in is a cookie carrying
//! a browser session's key; every form carries a CSRF token
//! (actix-csrf-middleware, double-submit bound to the session cookie). Every
//! refusal of a service reaches the person the one way `refusals` gives. htmx, vendored and embedded,
//! makes the pages live (autosave, the builder's report) without any script
//! of ours beyond a few lines; every page works without it.

mod account;
mod admin;
pub mod assets;
mod builder;
mod candidates;
mod chart;
mod debrief;
mod error;
mod form;
mod frame;
mod home;
mod insights;
mod interview;
mod login;
mod loops;
mod outcomes;
pub mod page;
mod password;
mod picker;
mod requisitions;
mod routing;
pub mod session;
mod time;

use actix_csrf_middleware::CsrfError;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;

pub use routing::Routes;
pub use session::WebSettings;

/// Every page route, one list per page family, registered as scopes by
/// first segment (`routing`). The loop pages come first: within `/loops`
/// they are tried before the builder's and the debrief room's, and a path
/// without a parameter (`/loops/new`) is tried before any with one.
pub fn routes(cfg: &mut web::ServiceConfig) {
    let mut table = Routes::default();
    table
        .route("/static/{hash}/{name}", web::get().to(assets::serve))
        .configure(home::routes)
        .configure(loops::routes)
        .configure(debrief::routes)
        .configure(interview::routes)
        .configure(login::routes)
        .configure(password::routes)
        .configure(account::routes)
        .configure(builder::routes)
        .configure(admin::routes)
        .configure(insights::routes)
        .configure(picker::routes)
        .configure(requisitions::routes)
        .configure(candidates::routes);
    table.register(cfg);
}

/// What no route answers: a 404 page for a browser, a problem for the API.
pub async fn fallback(req: HttpRequest) -> HttpResponse {
    let wants_html = !req.path().starts_with("/api/")
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
    if wants_html {
        page::html_response(StatusCode::NOT_FOUND, page::not_found_page())
    } else {
        crate::http::no_route()
    }
}

/// The one refusal model of the pages. A service's refusal (a `PageError::
/// Refused` page, marked with its reason) reaches the person the way the
/// request needs: for htmx, a fragment with the reason swapped into the
/// page's refusal area (`HX-Retarget: #refusal`), with the refusal's status;
/// after a plain form post, the page the form was on again, with the reason in
/// a flash; otherwise the page that says why. A refused CSRF check becomes a
/// page that says what to do (the middleware's own answer is JSON), or a short
/// fragment for htmx.
pub async fn refusals(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let answer = {
        let (request, response) = (res.request(), res.response());
        let htmx = request.headers().contains_key("HX-Request");
        if let Some(error::Refusal(reason)) = response.extensions().get::<error::Refusal>() {
            service_refusal(request, res.status(), htmx, reason)
        } else {
            let refusal = response.extensions().get::<CsrfError>().copied();
            refusal.map(|r| csrf_refusal(r, res.status(), htmx))
        }
    };
    Ok(match answer {
        None => res.map_into_left_body(),
        Some(answer) => {
            let (req, _) = res.into_parts();
            ServiceResponse::new(req, answer).map_into_right_body()
        }
    })
}

/// How a service's refusal reaches the person (see [`refusals`]); `None`
/// keeps the page that says why.
fn service_refusal(
    request: &HttpRequest,
    status: StatusCode,
    htmx: bool,
    reason: &str,
) -> Option<HttpResponse> {
    if htmx {
        let mut r = page::fragment(status, html! { div.flash.error role="alert" { (reason) } });
        r.headers_mut().insert(
            header::HeaderName::from_static("hx-retarget"),
            header::HeaderValue::from_static("#refusal"),
        );
        r.headers_mut().insert(
            header::HeaderName::from_static("hx-reswap"),
            header::HeaderValue::from_static("innerHTML"),
        );
        return Some(r);
    }
    if request.method() != actix_web::http::Method::POST {
        return None;
    }
    let back = form::same_site_referer(request)?;
    let settings = request.app_data::<web::Data<WebSettings>>()?;
    Some(page::redirect_with(
        settings,
        &back,
        session::FlashKind::Problem,
        reason,
    ))
}

/// A refused CSRF check: a page that says what to do, a short fragment for htmx.
fn csrf_refusal(refusal: CsrfError, status: StatusCode, htmx: bool) -> HttpResponse {
    tracing::info!(code = refusal.code(), "form refused by the CSRF check");
    if htmx {
        page::fragment(
            status,
            html! { p #save-state .save-state.field-error role="alert" { "Not saved: this page has expired. Reload it to continue." } },
        )
    } else {
        page::html_response(
            status,
            page::bare(
                "Form expired",
                html! {
                    h1 { "This form has expired" }
                    p { "For your safety, the form was not accepted. Go back, reload the page and try again." }
                    p { a href="/" { "Go to your home page" } }
                },
            ),
        )
    }
}
