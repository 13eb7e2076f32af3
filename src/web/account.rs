//! One's own account: time zone, password and sessions.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::form::Form;
use super::page::{PageError, field_errors, redirect_with, render_status};
use super::session::{FlashKind, Viewer, start_session};
use crate::auth;
use crate::domain::{FieldProblem, NewPassword, TimeZone};
use crate::error::ServiceError;
use crate::services::people;
use crate::state::AppState;
use crate::urls;

/// One's own account.
pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::ACCOUNT, web::get().to(page))
        .route(urls::ACCOUNT_TIME_ZONE, web::post().to(set_time_zone))
        .route(urls::ACCOUNT_PASSWORD, web::post().to(change_password))
        .route(urls::ACCOUNT_SESSIONS_END, web::post().to(end_sessions));
}

fn sessions_in_words(n: i64) -> String {
    match n {
        1 => "You have one live session: this browser.".to_owned(),
        n => format!("You have {n} live sessions, counting this browser and any API tokens."),
    }
}

fn account_page(
    viewer: &Viewer,
    live_sessions: i64,
    prompt: bool,
    problems: &[FieldProblem],
) -> Markup {
    let zone = viewer.user.time_zone.as_deref();
    html! {
        h1 { "Your account" }
        @if prompt || viewer.user.must_change_password {
            p.flash.error role="alert" {
                "Your password was generated when the service was set up. Choose your own now."
            }
        }
        div.grid {
            section.card aria-labelledby="profile-h" {
                h2 #profile-h { "Profile" }
                dl {
                    dt { "Name" } dd { (viewer.user.name) }
                    dt { "Email" } dd { (viewer.user.email) }
                    dt { "Role" } dd { (viewer.user.role.as_str()) }
                }
            }
            section.card aria-labelledby="tz-h" {
                h2 #tz-h { "Time zone" }
                p.hint { "Pages show interview times in this zone; mail to you does too. Your browser says: "
                    span data-browser-time-zone-text { "(unknown)" } "." }
                form method="post" action=(urls::ACCOUNT_TIME_ZONE) {
                    input type="hidden" name="csrf_token" value=(viewer.csrf);
                    label for="time_zone" { "Time zone" }
                    p.hint #time_zone-hint { "By region, then city: type a city's first letters to jump to it." }
                    select #time_zone name="time_zone" aria-describedby="time_zone-hint time_zone-error" {
                        @if zone.is_none() { option value="" selected { "Choose your time zone" } }
                        @let groups = TimeZone::by_region();
                        // A legacy zone someone already has stays theirs.
                        @if let Some(z) = zone.filter(|z| !groups.iter().any(|(_, n)| n.contains(z))) {
                            option value=(z) selected { (z) }
                        }
                        @for (region, names) in &groups {
                            optgroup label=(region) {
                                @for name in names {
                                    option value=(name) selected[Some(*name) == zone] { (TimeZone::place(name)) }
                                }
                            }
                        }
                    }
                    (field_errors(problems, "time_zone"))
                    div.actions { button type="submit" { "Save time zone" } }
                }
            }
            section.card aria-labelledby="pw-h" {
                h2 #pw-h { "Password" }
                form method="post" action=(urls::ACCOUNT_PASSWORD) {
                    input type="hidden" name="csrf_token" value=(viewer.csrf);
                    label for="current_password" { "Current password" }
                    input #current_password type="password" name="current_password" autocomplete="current-password" required;
                    (field_errors(problems, "current_password"))
                    label for="new_password" { "New password" }
                    p.hint #new_password-hint { "At least 12 characters." }
                    input #new_password type="password" name="new_password" autocomplete="new-password" required minlength="12" aria-describedby="new_password-hint";
                    (field_errors(problems, "new_password"))
                    div.actions { button type="submit" { "Change password" } }
                }
            }
            section.card aria-labelledby="sessions-h" {
                h2 #sessions-h { "Sessions" }
                p { (sessions_in_words(live_sessions)) }
                p.hint { "Signing out everywhere ends them all at once, this one too. Do it if you signed in on a computer that is not yours, or think someone else has." }
                form method="post" action=(urls::ACCOUNT_SESSIONS_END) {
                    input type="hidden" name="csrf_token" value=(viewer.csrf);
                    div.actions { button #sign-out-everywhere type="submit" { "Sign out everywhere" } }
                }
            }
        }
    }
}

#[derive(serde::Deserialize)]
pub struct AccountQuery {
    change_password: Option<String>,
}

/// `GET /account`
pub async fn page(
    state: web::Data<AppState>,
    viewer: Viewer,
    query: web::Query<AccountQuery>,
) -> Result<HttpResponse, PageError> {
    let prompt = query.change_password.is_some();
    let live = auth::live_sessions(&state.db, viewer.caller).await?;
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::OK,
        "Your account",
        account_page(&viewer, live, prompt, &[]),
    ))
}

async fn invalid(
    state: &AppState,
    viewer: &Viewer,
    problems: Vec<FieldProblem>,
) -> Result<HttpResponse, PageError> {
    let live = auth::live_sessions(&state.db, viewer.caller).await?;
    Ok(render_status(
        &viewer.web,
        viewer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Your account",
        account_page(viewer, live, false, &problems),
    ))
}

/// `POST /account/time-zone`
pub async fn set_time_zone(
    state: web::Data<AppState>,
    viewer: Viewer,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = Form::parse(&body);
    let zone = match TimeZone::parse("time_zone", form.raw("time_zone")) {
        Ok(zone) => zone,
        Err(e) => return invalid(&state, &viewer, problems_of(e.into())?).await,
    };
    people::set_time_zone(&state.db, &viewer.user, zone).await?;
    Ok(redirect_with(
        &viewer.web,
        urls::ACCOUNT,
        FlashKind::Done,
        &format!("Times are now shown in {zone}."),
    ))
}

/// The field problems of an error, or the error as a page.
pub fn problems_of(e: ServiceError) -> Result<Vec<FieldProblem>, PageError> {
    match e {
        ServiceError::Invalid(problems) => Ok(problems),
        other => Err(other.into()),
    }
}

/// `POST /account/password`: the same rules as `POST /me/password`. Earlier
/// sessions and tokens stop working; this browser gets a new session.
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: Viewer,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = Form::parse(&body);
    let new_password = match NewPassword::parse("new_password", form.raw("new_password").to_owned())
    {
        Ok(p) => p,
        Err(e) => return invalid(&state, &viewer, problems_of(e.into())?).await,
    };
    let current = form.raw("current_password").to_owned();
    let key = match auth::change_password(
        &state.db,
        &state.passwords,
        viewer.caller,
        current,
        new_password,
    )
    .await
    {
        Ok((_, key)) => key,
        Err(ServiceError::TooManyAttempts { .. }) => {
            return invalid(
                &state,
                &viewer,
                vec![FieldProblem {
                    field: "current_password".into(),
                    message: "too many failed attempts; try again later".into(),
                }],
            )
            .await;
        }
        Err(e) => return invalid(&state, &viewer, problems_of(e)?).await,
    };
    // The password change ended every session, this one too: a new one.
    let mut response = start_session(&req, &viewer.web, key, urls::ACCOUNT)?;
    response.cookie(viewer.web.flash_cookie(
        FlashKind::Done,
        "Your password was changed. Other sessions were signed out.",
    ));
    Ok(response.finish())
}

/// `POST /account/sessions/end`: signs the person out everywhere, this
/// browser included: every session and every API token ends at once.
pub async fn end_sessions(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, PageError> {
    use actix_csrf_middleware::CsrfRequestExt;
    let ended = auth::sign_out_everywhere(&state.db, viewer.caller).await?;
    let mut response = HttpResponse::SeeOther();
    response.insert_header((actix_web::http::header::LOCATION, urls::LOGIN));
    req.rotate_csrf_after_logout(&mut response)
        .map_err(|e| PageError::internal(&e.to_string()))?;
    response.cookie(viewer.web.flash_cookie(
        FlashKind::Done,
        &format!(
            "You are signed out everywhere: {ended} {} ended.",
            if ended == 1 { "session" } else { "sessions" }
        ),
    ));
    Ok(response.finish())
}
