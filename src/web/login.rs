//! Signing in and out, in plain forms that work without any script.

use actix_csrf_middleware::CsrfRequestExt;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::form::{Form, safe_next};
use super::page::{PageError, bare, html_response};
use super::session::{SESSION_COOKIE, WebSettings, csrf_token, start_session};
use crate::auth::{self, Caller, SessionKind};
use crate::domain::TimeZone;
use crate::error::ServiceError;
use crate::services::people;
use crate::state::AppState;
use crate::urls;

/// Signing in and out.
pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::LOGIN, web::get().to(form))
        .route(urls::LOGIN, web::post().to(submit))
        .route(urls::LOGIN_OIDC, web::get().to(sso_begin))
        .route(urls::LOGIN_OIDC_CALLBACK, web::get().to(sso_callback))
        .route(urls::LOGOUT, web::post().to(logout));
}

/// How people may sign in here.
#[derive(Clone, Copy)]
struct Ways {
    password: bool,
    sso: bool,
}

impl Ways {
    fn of(state: &AppState) -> Self {
        Self {
            password: state.password_sign_in,
            sso: state.sso.is_some(),
        }
    }
}

/// A refusal on the sign-in page: its sentence, and its machine code.
struct Problem<'a> {
    text: &'a str,
    code: &'a str,
}

fn login_form(
    ways: Ways,
    csrf: &str,
    next: &str,
    email: &str,
    problem: Option<Problem<'_>>,
    notice: Option<&str>,
) -> Markup {
    bare(
        "Sign in",
        html! {
            div.login.card {
                h1 { "Sign in" }
                @if let Some(problem) = problem {
                    p.flash.error role="alert" id="login-error" data-code=(problem.code) { (problem.text) }
                }
                @if let Some(notice) = notice {
                    p.flash role="status" { (notice) }
                }
                @if ways.sso {
                    p {
                        a.button #sso href=(urls::login_oidc(next)) { "Sign in with single sign-on" }
                    }
                }
                @if ways.password {
                    @if ways.sso { p.muted { "Or with your password:" } }
                    (password_form(csrf, next, email))
                }
            }
        },
    )
}

fn password_form(csrf: &str, next: &str, email: &str) -> Markup {
    html! {
                form method="post" action=(urls::LOGIN) {
                    input type="hidden" name="csrf_token" value=(csrf);
                    input type="hidden" name="next" value=(next);
                    input type="hidden" name="time_zone" value="" data-browser-time-zone;
                    label for="email" { "Email" }
                    input #email type="email" name="email" value=(email) autocomplete="username" required autofocus;
                    label for="password" { "Password" }
                    input #password type="password" name="password" autocomplete="current-password" required;
                    div.actions {
                        button #sign-in type="submit" { "Sign in" }
                        a #forgot href=(urls::FORGOT_PASSWORD) { "Forgot your password?" }
                    }
                }
    }
}

#[derive(serde::Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    password_set: Option<String>,
}

/// `GET /login`: the form (or straight on, for someone already signed in).
pub async fn form(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let next = safe_next(query.next.as_deref());
    if let Some(cookie) = req.cookie(SESSION_COOKIE)
        && let Some(caller) = Caller::of_session_cookie(cookie.value())
        && caller.live_user(&state.db).await?.is_some()
    {
        return Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, next))
            .finish());
    }
    let csrf = csrf_token(&req)?;
    Ok(html_response(
        StatusCode::OK,
        login_form(
            Ways::of(&state),
            &csrf,
            &next,
            "",
            None,
            query
                .password_set
                .as_ref()
                .map(|_| "Your password is set. Sign in with it."),
        ),
    ))
}

/// `POST /login`: the same throttle and the same answer for an unknown email
/// and a wrong password as the API. On success the session cookie is set, the
/// CSRF token is bound to it, and the browser goes on to `next`.
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    settings: web::Data<WebSettings>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = Form::parse(&body);
    let next = safe_next(form.get("next"));
    let email = form.get("email").unwrap_or("").to_owned();
    let password = form.raw("password").to_owned();
    let ways = Ways::of(&state);
    let refuse = |status: StatusCode, code: &str, text: &str| -> Result<HttpResponse, PageError> {
        let csrf = csrf_token(&req)?;
        Ok(html_response(
            status,
            login_form(
                ways,
                &csrf,
                &next,
                &email,
                Some(Problem { text, code }),
                None,
            ),
        ))
    };
    let signed_in = auth::sign_in(
        &state.db,
        &state.passwords,
        state.password_sign_in,
        &email,
        password,
        SessionKind::Browser,
    )
    .await;
    let (user, key) = match signed_in {
        Ok(signed_in) => signed_in,
        Err(ServiceError::InvalidCredentials) => {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "Email or password is wrong.",
            );
        }
        Err(ServiceError::Forbidden { code, detail }) => {
            return refuse(StatusCode::FORBIDDEN, code, &detail);
        }
        Err(ServiceError::TooManyAttempts { retry_after_secs }) => {
            return refuse(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                &format!(
                    "Too many failed attempts for this account. Try again in {} minutes.",
                    retry_after_secs.div_ceil(60)
                ),
            );
        }
        Err(other) => return Err(other.into()),
    };
    let user = match form
        .get("time_zone")
        .map(|z| TimeZone::parse("time_zone", z))
    {
        Some(Ok(zone)) => people::propose_time_zone(&state.db, &user, zone).await?,
        _ => user,
    };
    // The first admin's generated password: ask for their own before anything else.
    let target = if user.must_change_password {
        urls::account_choose_password()
    } else {
        next
    };
    let mut response = start_session(&req, &settings, key, &target)?;
    Ok(response.finish())
}

/// The cookie that binds a trip to the OpenID Provider to this browser.
const SSO_COOKIE: &str = "sso";

/// `GET /login/oidc`: off to the OpenID Provider (a 404 where single sign-on is not set up).
pub async fn sso_begin(
    state: web::Data<AppState>,
    settings: web::Data<WebSettings>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let sso = state.sso.as_ref().ok_or(PageError::NotFound)?;
    let next = safe_next(query.next.as_deref());
    let begun = sso.begin(&state.db, next).await?;
    let cookie = actix_web::cookie::Cookie::build(SSO_COOKIE, begun.browser_key)
        .path(urls::LOGIN_OIDC)
        .http_only(true)
        // Lax: the provider sends the browser back with a top-level GET.
        .same_site(actix_web::cookie::SameSite::Lax)
        .secure(settings.secure_cookies)
        .max_age(actix_web::cookie::time::Duration::seconds(
            auth::sso::TRIP.num_seconds(),
        ))
        .finish();
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, begun.authorize_url))
        .cookie(cookie)
        .finish())
}

#[derive(serde::Deserialize)]
pub struct CallbackQuery {
    state: Option<String>,
    code: Option<String>,
}

/// `GET /login/oidc/callback`: back from the provider. Signed in (the same
/// session as a password sign-in) and on to where the trip began, or the
/// sign-in page with the reason.
pub async fn sso_callback(
    req: HttpRequest,
    state: web::Data<AppState>,
    settings: web::Data<WebSettings>,
    query: web::Query<CallbackQuery>,
) -> Result<HttpResponse, PageError> {
    let sso = state.sso.as_ref().ok_or(PageError::NotFound)?;
    let browser_key = req.cookie(SSO_COOKIE).map(|c| c.value().to_owned());
    let finished = sso
        .finish(
            &state.db,
            query.state.as_deref().unwrap_or(""),
            query.code.as_deref(),
            browser_key.as_deref(),
        )
        .await;
    let mut gone = actix_web::cookie::Cookie::build(SSO_COOKIE, "")
        .path(urls::LOGIN_OIDC)
        .finish();
    gone.make_removal();
    match finished {
        Ok((_user, key, next)) => {
            let mut response = start_session(&req, &settings, key, &next)?;
            Ok(response.cookie(gone).finish())
        }
        Err(ServiceError::Forbidden { code, detail }) => {
            let csrf = csrf_token(&req)?;
            let mut response = html_response(
                StatusCode::FORBIDDEN,
                login_form(
                    Ways::of(&state),
                    &csrf,
                    urls::HOME,
                    "",
                    Some(Problem {
                        text: &detail,
                        code,
                    }),
                    None,
                ),
            );
            response
                .add_cookie(&gone)
                .map_err(|e| PageError::internal(&e.to_string()))?;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /logout`: the session ends on the server (its cookie stops working
/// at once, wherever it was copied), the cookie goes, and the CSRF token
/// bound to it.
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    if let Some(caller) = req
        .cookie(SESSION_COOKIE)
        .and_then(|c| Caller::of_session_cookie(c.value()))
    {
        auth::sign_out(&state.db, caller).await?;
    }
    let mut response = HttpResponse::SeeOther();
    response.insert_header((header::LOCATION, urls::LOGIN));
    req.rotate_csrf_after_logout(&mut response)
        .map_err(|e| PageError::internal(&e.to_string()))?;
    Ok(response.finish())
}
