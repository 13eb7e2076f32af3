//! Choosing a password from an invitation or reset link, and asking for a
//! reset link ("Forgot your password?"). Plain forms, no script.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::form::Form;
use super::page::{PageError, bare, field_errors, html_response};
use super::session::{FlashKind, WebSettings, csrf_token, start_session};
use crate::domain::{FieldProblem, NewPassword};
use crate::error::ServiceError;
use crate::http::RESET_ANSWER;
use crate::services::accounts;
use crate::state::AppState;
use crate::urls;

/// A forgotten password, and the page of an invitation or reset link.
pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::FORGOT_PASSWORD, web::get().to(forgot))
        .route(urls::FORGOT_PASSWORD, web::post().to(send_link))
        .route(urls::SET_PASSWORD, web::get().to(set_page))
        .route(urls::SET_PASSWORD, web::post().to(set));
}

fn forgot_form(csrf: &str, sent: bool) -> Markup {
    bare(
        "Forgot your password?",
        html! {
            div.login.card {
                h1 { "Forgot your password?" }
                @if sent {
                    p.flash role="status" { (RESET_ANSWER) }
                }
                p { "Enter the address you sign in with. If it has an account, a link to choose a new password is mailed to it." }
                form method="post" action=(urls::FORGOT_PASSWORD) {
                    input type="hidden" name="csrf_token" value=(csrf);
                    label for="email" { "Email" }
                    input #email type="email" name="email" autocomplete="username" required;
                    div.actions {
                        button #send-link type="submit" { "Mail me a link" }
                        a href=(urls::LOGIN) { "Back to sign-in" }
                    }
                }
            }
        },
    )
}

/// `GET /password/forgot`
pub async fn forgot(req: HttpRequest) -> Result<HttpResponse, PageError> {
    Ok(html_response(
        StatusCode::OK,
        forgot_form(&csrf_token(&req)?, false),
    ))
}

/// `POST /password/forgot`: the same answer whether or not the address has an account.
pub async fn send_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = Form::parse(&body);
    let email = form.get("email").unwrap_or("").to_owned();
    accounts::request_reset(&state.db, &state.links, &email, crate::db::now());
    Ok(html_response(
        StatusCode::OK,
        forgot_form(&csrf_token(&req)?, true),
    ))
}

fn set_form(csrf: &str, token: &str, name: &str, problems: &[FieldProblem]) -> Markup {
    bare(
        "Choose your password",
        html! {
            div.login.card {
                h1 { "Choose your password" }
                p { "Hello " (name) ". Choose the password you will sign in with." }
                form method="post" action=(urls::SET_PASSWORD) {
                    input type="hidden" name="csrf_token" value=(csrf);
                    input type="hidden" name="token" value=(token);
                    label for="new_password" { "New password" }
                    p.hint #new_password-hint { "At least 12 characters." }
                    input #new_password type="password" name="new_password" autocomplete="new-password"
                        required minlength="12" aria-describedby="new_password-hint";
                    (field_errors(problems, "new_password"))
                    div.actions { button #set-password type="submit" { "Set my password" } }
                }
            }
        },
    )
}

fn dead_link() -> HttpResponse {
    html_response(
        StatusCode::GONE,
        bare(
            "Link no longer works",
            html! {
                div.login.card {
                    h1 { "This link no longer works" }
                    p { "It was used already, it expired, or a newer link replaced it." }
                    p { a href=(urls::FORGOT_PASSWORD) { "Ask for a new link" } " · " a href=(urls::LOGIN) { "Sign in" } }
                }
            },
        ),
    )
}

#[derive(serde::Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// `GET /password/set?token=…`: the form, if the link still works.
pub async fn set_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, PageError> {
    let token = query.token.clone().unwrap_or_default();
    match accounts::holder(&state.db, &token, crate::db::now()).await {
        Ok(user) => Ok(html_response(
            StatusCode::OK,
            set_form(&csrf_token(&req)?, &token, &user.name, &[]),
        )),
        Err(ServiceError::Invalid(_)) => Ok(dead_link()),
        Err(other) => Err(other.into()),
    }
}

/// `POST /password/set`: the same rules as `POST /api/v1/auth/password`.
pub async fn set(
    req: HttpRequest,
    state: web::Data<AppState>,
    settings: web::Data<WebSettings>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = Form::parse(&body);
    let token = form.get("token").unwrap_or("").to_owned();
    let now = crate::db::now();
    let new_password = match NewPassword::parse("new_password", form.raw("new_password").to_owned())
    {
        Ok(p) => p,
        Err(e) => {
            let holder = match accounts::holder(&state.db, &token, now).await {
                Ok(user) => user,
                Err(ServiceError::Invalid(_)) => return Ok(dead_link()),
                Err(other) => return Err(other.into()),
            };
            let problems = e.into_field_problems().unwrap_or_default();
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                set_form(&csrf_token(&req)?, &token, &holder.name, &problems),
            ));
        }
    };
    let set = accounts::set_password_and_sign_in(
        &state.db,
        &state.passwords,
        &token,
        new_password,
        now,
        crate::auth::SessionKind::Browser,
    )
    .await;
    match set {
        // Signed in at once: the person who just chose a password is home.
        Ok((_, key)) => {
            let mut response = start_session(&req, &settings, key, urls::HOME)?;
            Ok(response
                .cookie(settings.flash_cookie(FlashKind::Done, "Your password is set. Welcome."))
                .finish())
        }
        Err(ServiceError::Invalid(_)) => Ok(dead_link()),
        Err(other) => Err(other.into()),
    }
}
