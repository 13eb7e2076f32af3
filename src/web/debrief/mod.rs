//! `/loops/{id}/debrief`: the debrief room. The bar raiser opens and leads it,
//! the panel reads and re-votes, the hiring manager decides, the panel
//! commits; every open copy of the page follows along live (server-sent
//! events, resumed from `Last-Event-ID`). Each handler parses its form, calls
//! one service function and goes back to the room; a refusal reaches the
//! person through the one refusal model (`web::refusals`), and a form with a
//! problem comes back with it beside its field.

mod forms;
mod view;
mod words;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use actix_web_lab::sse;
use tokio::sync::mpsc;

use super::form::Form;
use super::page::{PageError, redirect_with, render_status};
use super::session::{FlashKind, Viewer, Visitor};
use crate::domain::debrief::{Conclusion, optional_text, text};
use crate::domain::feedback::Vote;
use crate::domain::{FieldProblem, LoopId};
use crate::error::{AllValid, ServiceError};
use crate::services::debrief::{self, live};
use crate::state::AppState;
use crate::urls;

/// The room, its actions and its live stream.
pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::DEBRIEF_ROOM, web::get().to(show))
        .route(urls::DEBRIEF_ROOM_LIVE, web::get().to(follow))
        .route(urls::DEBRIEF_ROOM_OPEN, web::post().to(open))
        .route(urls::DEBRIEF_ROOM_READ, web::post().to(read))
        .route(urls::DEBRIEF_ROOM_VOTE, web::post().to(vote))
        .route(urls::DEBRIEF_ROOM_NOTES, web::post().to(note))
        .route(urls::DEBRIEF_ROOM_CLOSE, web::post().to(close))
        .route(urls::DEBRIEF_ROOM_DECISION, web::post().to(decide))
        .route(urls::DEBRIEF_ROOM_COMMITMENT, web::post().to(commit));
}

/// The room for the viewer, with `problems` beside their fields (422) or none (200).
async fn room_page(
    state: &AppState,
    viewer: &Viewer,
    id: LoopId,
    problems: &[FieldProblem],
) -> Result<HttpResponse, PageError> {
    let room = debrief::room_as(&state.db, &viewer.user, id).await?;
    Ok(render_room(viewer, &room, problems))
}

/// The room page for the viewer, with `problems` beside their fields (422) or none (200).
fn render_room(viewer: &Viewer, room: &debrief::Room, problems: &[FieldProblem]) -> HttpResponse {
    let title = format!("Debrief: {}", room.candidate_name);
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_status(
        &viewer.web,
        viewer,
        status,
        &title,
        view::page(room, &viewer.csrf, problems),
    )
}

/// `GET /loops/{id}/debrief`: for the loop's participants and admins (anyone else: 404).
async fn show(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, PageError> {
    let page = debrief::room_with_user(&state.db, visitor.caller, id.into_inner()).await;
    let (viewer, room) = visitor.viewer(page)?;
    Ok(render_room(&viewer, &room, &[]))
}

/// Back to the room after an action, saying what happened; or the room again
/// with an invalid field's problem beside it.
async fn done(
    state: &AppState,
    viewer: &Viewer,
    id: LoopId,
    outcome: Result<(), ServiceError>,
    said: &str,
) -> Result<HttpResponse, PageError> {
    match outcome {
        Ok(()) => Ok(redirect_with(
            &viewer.web,
            &urls::debrief_room(id),
            FlashKind::Done,
            said,
        )),
        Err(ServiceError::Invalid(problems)) => room_page(state, viewer, id, &problems).await,
        Err(e) => Err(e.into()),
    }
}

async fn open(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (id, form) = (id.into_inner(), Form::parse(&body));
    let outcome = match optional_text("override_reason", form.get("override_reason")) {
        Ok(reason) => debrief::open(&state.db, &state.links, &viewer.user, id, reason)
            .await
            .map(drop),
        Err(e) => Err(e.into()),
    };
    // Opening without all feedback and without a reason: the reason's field says so.
    let outcome = match outcome {
        Err(ServiceError::FeedbackIncomplete { .. }) => Err(ServiceError::field(
            "override_reason",
            "feedback is missing: say why the debrief opens without it",
        )),
        other => other,
    };
    done(&state, &viewer, id, outcome, "The debrief is open.").await
}

async fn read(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let outcome = debrief::mark_read(&state.db, &viewer.user, id)
        .await
        .map(drop);
    done(
        &state,
        &viewer,
        id,
        outcome,
        "Marked read. The votes are open to you now.",
    )
    .await
}

async fn vote(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (id, form) = (id.into_inner(), Form::parse(&body));
    let parsed = (
        Vote::parse("vote", form.raw("vote")),
        optional_text("reason", form.get("reason")),
    )
        .all_valid();
    let outcome = match parsed {
        Ok((vote, reason)) => debrief::vote(&state.db, &viewer.user, id, vote, reason)
            .await
            .map(drop),
        Err(e) => Err(e),
    };
    done(&state, &viewer, id, outcome, "Your final vote is cast.").await
}

async fn note(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (id, form) = (id.into_inner(), Form::parse(&body));
    let parsed = (
        form.id("competency_id")
            .map_err(|p| ServiceError::Invalid(vec![p])),
        text("text", form.raw("text")).map_err(ServiceError::from),
    )
        .all_valid();
    let outcome = match parsed {
        Ok((competency_id, text)) => {
            debrief::add_note(&state.db, &viewer.user, id, competency_id, text)
                .await
                .map(drop)
        }
        Err(e) => Err(e),
    };
    done(&state, &viewer, id, outcome, "The note is added.").await
}

async fn close(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (id, form) = (id.into_inner(), Form::parse(&body));
    let parsed = (
        competency_ids(&form)
            .and_then(|ids| Conclusion::parse("recommendation", form.raw("recommendation"), &ids)),
        text("rationale", form.raw("rationale")),
    )
        .all_valid();
    let said = more_signal_said(
        &parsed,
        "The debrief is closed; the hiring manager decides.",
    );
    let veto = form.get("veto") == Some("true");
    let outcome = match parsed {
        Ok((recommendation, rationale)) => debrief::close(
            &state.db,
            &state.links,
            &viewer.user,
            id,
            recommendation,
            veto,
            rationale,
        )
        .await
        .map(drop),
        Err(e) => Err(e),
    };
    done(&state, &viewer, id, outcome, said).await
}

/// The competencies a "more signal" form names (checkboxes `competency_ids`).
fn competency_ids(form: &Form) -> Result<Vec<i64>, crate::domain::DomainError> {
    form.all("competency_ids")
        .into_iter()
        .map(|raw| {
            raw.parse::<i64>().map_err(|_| {
                crate::domain::DomainError::invalid("competency_ids", "must be competency ids")
            })
        })
        .collect()
}

/// What the room says after a close or a decision.
fn more_signal_said<T>(
    parsed: &Result<(Conclusion, T), ServiceError>,
    otherwise: &'static str,
) -> &'static str {
    match parsed {
        Ok((Conclusion::MoreSignal(_), _)) => {
            "More signal is asked for: the loop goes back for a follow-up interview, and the debrief reopens when its feedback is in."
        }
        _ => otherwise,
    }
}

async fn decide(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (id, form) = (id.into_inner(), Form::parse(&body));
    let parsed = (
        competency_ids(&form)
            .and_then(|ids| Conclusion::parse("decision", form.raw("decision"), &ids)),
        text("rationale", form.raw("rationale")),
    )
        .all_valid();
    let said = more_signal_said(&parsed, "The decision is recorded.");
    let outcome = match parsed {
        Ok((decision, rationale)) => debrief::decide(
            &state.db,
            &state.links,
            &viewer.user,
            id,
            decision,
            rationale,
        )
        .await
        .map(drop),
        Err(e) => Err(e),
    };
    done(&state, &viewer, id, outcome, said).await
}

async fn commit(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (id, form) = (id.into_inner(), Form::parse(&body));
    let outcome = match optional_text("dissent", form.get("dissent")) {
        Ok(dissent) => debrief::commit(&state.db, &viewer.user, id, dissent)
            .await
            .map(drop),
        Err(e) => Err(e.into()),
    };
    done(&state, &viewer, id, outcome, "Your commitment is recorded.").await
}

#[derive(serde::Deserialize)]
struct FollowQuery {
    after: Option<i64>,
}

/// `GET /loops/{id}/debrief/live`: the room's live updates for this viewer.
/// Each message carries the regions of the room that changed for them, as
/// `<hx-partial>`s, with the audit event's sequence number as its `id`.
async fn follow(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
    query: web::Query<FollowQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let last_event_id = req
        .headers()
        .get("Last-Event-ID")
        .and_then(|v| v.to_str().ok());
    let after = live::resume_point(last_event_id, query.after);
    // A 404 for who may not see the room, before any stream opens.
    let user = live::admit(&state.db, viewer.caller, id).await?;
    let follow = state.live.follow(&state.db, user, id)?;
    let (tx, rx) = mpsc::channel::<sse::Event>(8);
    let (db, caller, csrf) = (state.db.clone(), viewer.caller, viewer.csrf.clone());
    // What this page shows now, region by region: only changes are sent.
    let shown: Rc<RefCell<HashMap<&'static str, String>>> = Rc::default();
    actix_web::rt::spawn(follow.run(
        after,
        move |after| {
            let (db, csrf, shown) = (db.clone(), csrf.clone(), shown.clone());
            async move {
                let (events, upto) = live::events(&db, caller, id, after).await?;
                let Some(last) = events.last() else {
                    return Ok((Vec::new(), upto));
                };
                let room = debrief::room(&db, caller, id).await?;
                let regions = view::regions(&room, &csrf, &[]);
                let mut shown = shown.borrow_mut();
                let changed: Vec<_> = regions
                    .iter()
                    .filter(|(region, markup)| shown.get(region) != Some(&markup.0))
                    .collect();
                let message = view::partials(changed.iter().copied());
                for (region, markup) in &regions {
                    shown.insert(region, markup.0.clone());
                }
                let event = sse::Data::new(message).id(last.seq.to_string());
                Ok((vec![event.into()], upto))
            }
        },
        tx,
    ));
    Ok(sse::Sse::from_infallible_receiver(rx)
        .with_keep_alive(live::HEARTBEAT)
        .respond_to(&req)
        .map_into_boxed_body())
}
