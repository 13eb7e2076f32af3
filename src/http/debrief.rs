use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::CurrentUser;
use super::json::{Json, OptionalJson};
use super::loops::LoopView;
use crate::debrief;
use crate::domain::debrief::Verdict;
use crate::domain::feedback::Vote;
use crate::domain::{LongText, LoopId};
use crate::error::AllValid;
use crate::http::problem::ApiError;
use crate::state::AppState;

/// Rationales, reasons, notes and dissents.
const TEXT_MAX: usize = 10_000;

fn optional_text(
    field: &str,
    raw: Option<&str>,
) -> Result<Option<LongText>, crate::domain::DomainError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => LongText::parse(field, text, TEXT_MAX).map(Some),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct OpenRequest {
    override_reason: Option<String>,
}

/// `POST /loops/{id}/debrief` (its bar raiser).
pub async fn open(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
    body: OptionalJson<OpenRequest>,
) -> Result<HttpResponse, ApiError> {
    let reason = body.into_inner().override_reason;
    let reason = optional_text("override_reason", reason.as_deref())?;
    let read = debrief::open(&state.db, &state.links, &user.0, id.into_inner(), reason).await?;
    Ok(HttpResponse::Ok().json(LoopView::from(read)))
}

/// `GET /loops/{id}/debrief`: the packet (participants and admins, blind rule).
pub async fn packet(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, ApiError> {
    let packet = debrief::get_packet(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(packet))
}

/// `POST /loops/{id}/debrief/read` (panel members): the read receipt.
pub async fn mark_read(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, ApiError> {
    let packet = debrief::mark_read(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(packet))
}

#[derive(Debug, Deserialize)]
pub struct VoteRequest {
    vote: String,
    reason: Option<String>,
}

/// `PUT /loops/{id}/debrief/vote` (panel members, after the read receipt).
pub async fn vote(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
    body: Json<VoteRequest>,
) -> Result<HttpResponse, ApiError> {
    let (vote, reason) = (
        Vote::parse("vote", &body.vote),
        optional_text("reason", body.reason.as_deref()),
    )
        .all_valid()?;
    let packet = debrief::vote(&state.db, &user.0, id.into_inner(), vote, reason).await?;
    Ok(HttpResponse::Ok().json(packet))
}

#[derive(Debug, Deserialize)]
pub struct NoteRequest {
    competency_id: Option<i64>,
    text: String,
}

/// `POST /loops/{id}/debrief/notes` (its bar raiser).
pub async fn add_note(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
    body: Json<NoteRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let text = LongText::parse("text", &body.text, TEXT_MAX)?;
    let note = debrief::add_note(
        &state.db,
        &user.0,
        id.into_inner(),
        body.competency_id,
        text,
    )
    .await?;
    Ok(HttpResponse::Created().json(note))
}

#[derive(Debug, Deserialize)]
pub struct CloseRequest {
    recommendation: String,
    #[serde(default)]
    veto: bool,
    rationale: String,
}

/// `POST /loops/{id}/debrief/close` (its bar raiser).
pub async fn close(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
    body: Json<CloseRequest>,
) -> Result<HttpResponse, ApiError> {
    let (recommendation, rationale) = (
        Verdict::parse("recommendation", &body.recommendation),
        LongText::parse("rationale", &body.rationale, TEXT_MAX),
    )
        .all_valid()?;
    let read = debrief::close(
        &state.db,
        &user.0,
        id.into_inner(),
        recommendation,
        body.veto,
        rationale,
    )
    .await?;
    Ok(HttpResponse::Ok().json(LoopView::from(read)))
}

#[derive(Debug, Deserialize)]
pub struct DecisionRequest {
    decision: String,
    rationale: String,
}

/// `POST /loops/{id}/decision` (its hiring manager).
pub async fn decide(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
    body: Json<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (decision, rationale) = (
        Verdict::parse("decision", &body.decision),
        LongText::parse("rationale", &body.rationale, TEXT_MAX),
    )
        .all_valid()?;
    let read = debrief::decide(
        &state.db,
        &state.links,
        &user.0,
        id.into_inner(),
        decision,
        rationale,
    )
    .await?;
    Ok(HttpResponse::Ok().json(LoopView::from(read)))
}

#[derive(Debug, Default, Deserialize)]
pub struct CommitmentRequest {
    dissent: Option<String>,
}

/// `POST /loops/{id}/commitment` (panel members, after the decision).
pub async fn commit(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
    body: OptionalJson<CommitmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let dissent = body.into_inner().dissent;
    let dissent = optional_text("dissent", dissent.as_deref())?;
    let commitment = debrief::commit(&state.db, &user.0, id.into_inner(), dissent).await?;
    Ok(HttpResponse::Created().json(commitment))
}
