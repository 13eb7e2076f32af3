use crate::auth::Caller;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::CurrentUser;
use super::json::{Json, OptionalJson};
use super::loops::LoopView;
use crate::domain::debrief::{Conclusion, TEXT_MAX, optional_text};
use crate::domain::feedback::Vote;
use crate::domain::{LongText, LoopId};
use crate::error::AllValid;
use crate::http::problem::{ApiError, Problem};
use crate::services::debrief::{self, Commitment, Note, Packet};
use crate::services::hiring::debrief_proposal::{self, DebriefProposal};
use crate::services::hiring::more_signal::{self, SignalRequest};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct OpenRequest {
    #[schema(max_length = 10000)]
    override_reason: Option<String>,
}

/// `POST /loops/{id}/debrief` (its bar raiser).
#[utoipa::path(
    post,
    path = "/api/v1/loops/{id}/debrief",
    tag = "debrief",
    summary = "Open the debrief (its bar raiser)",
    request_body = OpenRequest,
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 200, description = "OK", body = LoopView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`bar_raiser_only`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 409, description = "`invalid_transition`, `independence_failed` (with `failing`), `feedback_incomplete` (with `missing_interview_ids`)", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
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
#[utoipa::path(
    get,
    path = "/api/v1/loops/{id}/debrief",
    tag = "debrief",
    summary = "The debrief packet (blind rule)",
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 200, description = "OK", body = Packet), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`submit_own_feedback_first`, `debrief_not_open`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn packet(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, ApiError> {
    let packet = debrief::get_packet(&state.db, caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(packet))
}

/// `POST /loops/{id}/debrief/read` (panel members): the read receipt.
#[utoipa::path(
    post,
    path = "/api/v1/loops/{id}/debrief/read",
    tag = "debrief",
    summary = "A panel member's read receipt; answers the packet",
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 200, description = "OK", body = Packet), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`panel_only`, `submit_own_feedback_first`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 409, description = "`debrief_not_open`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn mark_read(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, ApiError> {
    let packet = debrief::mark_read(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(packet))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct VoteRequest {
    #[schema(value_type = Vote)]
    vote: String,
    #[schema(max_length = 10000)]
    reason: Option<String>,
}

/// `PUT /loops/{id}/debrief/vote` (panel members, after the read receipt).
#[utoipa::path(
    put,
    path = "/api/v1/loops/{id}/debrief/vote",
    tag = "debrief",
    summary = "A panel member's final vote",
    request_body = VoteRequest,
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 200, description = "OK", body = Packet), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`panel_only`, `submit_own_feedback_first`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 409, description = "`debrief_not_open`, `packet_not_read`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
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

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NoteRequest {
    competency_id: Option<i64>,
    #[schema(min_length = 1, max_length = 10000)]
    text: String,
}

/// `POST /loops/{id}/debrief/notes` (its bar raiser).
#[utoipa::path(
    post,
    path = "/api/v1/loops/{id}/debrief/notes",
    tag = "debrief",
    summary = "A note of the bar raiser's",
    request_body = NoteRequest,
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 201, description = "Created", body = Note), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`bar_raiser_only`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 409, description = "`debrief_not_open`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
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

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CloseRequest {
    /// `hire`, `no_hire` or `more_signal`.
    #[schema(example = "no_hire")]
    recommendation: String,
    /// With `more_signal` only: the competencies that lack evidence (at least one).
    #[serde(default)]
    competency_ids: Vec<i64>,
    /// Only with `no_hire`.
    #[serde(default)]
    veto: bool,
    #[schema(min_length = 1, max_length = 10000)]
    rationale: String,
}

/// `POST /loops/{id}/debrief/close` (its bar raiser).
#[utoipa::path(
    post,
    path = "/api/v1/loops/{id}/debrief/close",
    tag = "debrief",
    summary = "Close the debrief (its bar raiser)",
    request_body = CloseRequest,
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 200, description = "OK", body = LoopView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`bar_raiser_only`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 409, description = "`invalid_transition`, `final_votes_missing` (with `missing_user_ids`; not for `more_signal`)", body = Problem), (status = 422, description = "`validation_failed` (a veto only with `no_hire`; `competency_ids` only with `more_signal`, which needs competencies of the loop)", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn close(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
    body: Json<CloseRequest>,
) -> Result<HttpResponse, ApiError> {
    let (recommendation, rationale) = (
        Conclusion::parse("recommendation", &body.recommendation, &body.competency_ids),
        LongText::parse("rationale", &body.rationale, TEXT_MAX),
    )
        .all_valid()?;
    let read = debrief::close(
        &state.db,
        &state.links,
        &user.0,
        id.into_inner(),
        recommendation,
        body.veto,
        rationale,
    )
    .await?;
    Ok(HttpResponse::Ok().json(LoopView::from(read)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DecisionRequest {
    /// `hire`, `no_hire` or `more_signal` (once per loop).
    #[schema(example = "hire")]
    decision: String,
    /// With `more_signal` only: the competencies that lack evidence (at least one).
    #[serde(default)]
    competency_ids: Vec<i64>,
    #[schema(min_length = 1, max_length = 10000)]
    rationale: String,
}

/// `POST /loops/{id}/decision` (its hiring manager).
#[utoipa::path(
    post,
    path = "/api/v1/loops/{id}/decision",
    tag = "debrief",
    summary = "Record the decision (its hiring manager)",
    request_body = DecisionRequest,
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 200, description = "OK", body = LoopView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`hiring_manager_only`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 409, description = "`invalid_transition`, `vetoed` (only `no_hire` on a vetoed loop), `more_signal_used` (the hiring manager's one request was made)", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors` (`competency_ids` only with `more_signal`, which needs competencies of the loop)", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn decide(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
    body: Json<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (decision, rationale) = (
        Conclusion::parse("decision", &body.decision, &body.competency_ids),
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

/// `GET /loops/{id}/signal-requests`: the loop's requests for more signal.
#[utoipa::path(
    get,
    path = "/api/v1/loops/{id}/signal-requests",
    tag = "debrief",
    summary = "The loop's requests for more signal and their follow-ups (anyone who sees the loop)",
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 200, description = "OK, oldest first; a request with `reopened_at: null` awaits its follow-up", body = [SignalRequest]), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn signal_requests(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, ApiError> {
    let requests = more_signal::list(&state.db, caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(requests))
}

/// `GET /loops/{id}/debrief-proposal`: the debrief proposed for the loop.
#[utoipa::path(
    get,
    path = "/api/v1/loops/{id}/debrief-proposal",
    tag = "debrief",
    summary = "The debrief proposed for the loop (anyone who sees the loop)",
    description = "Proposed when the loop is scheduled: the first hour in the bar raiser's working hours (Monday to Friday, 09:00 to 17:00 in their time zone) starting two hours or more after the last interview ends, mailed with an `.ics` to the bar raiser, the hiring manager and the panel. When an edit moves the last interview, it moves too (`sequence` + 1) and is mailed again.",
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 200, description = "OK", body = DebriefProposal), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 404, description = "`not_found`: no such loop, one the caller may not see, or no proposal yet (a draft)", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn proposal(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, ApiError> {
    let proposal = debrief_proposal::get(&state.db, caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(proposal))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CommitmentRequest {
    #[schema(max_length = 10000)]
    dissent: Option<String>,
}

/// `POST /loops/{id}/commitment` (panel members, after the decision).
#[utoipa::path(
    post,
    path = "/api/v1/loops/{id}/commitment",
    tag = "debrief",
    summary = "Disagree and commit (panel members)",
    request_body = CommitmentRequest,
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 201, description = "Created", body = Commitment), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`panel_only`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 409, description = "`not_decided`, `already_committed`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// Resume after this event (the `id` of the last event received); a
    /// `Last-Event-ID` header takes precedence.
    #[param(minimum = 0)]
    after: Option<i64>,
}

/// `GET /loops/{id}/debrief/stream`: the room's events as server-sent events.
#[utoipa::path(
    get,
    path = "/api/v1/loops/{id}/debrief/stream",
    tag = "debrief",
    summary = "The debrief room's live events (server-sent events)",
    description = "A `text/event-stream` of the room's events, named `opened`, `reopened` (after more signal), `read`, `vote`, `reveal`, `note`, `closed` (also with `recommendation: more_signal` and its `competency_ids`), `more_signal` (the hiring manager's request), `decided` and `commitment`, each with a JSON `data` and the loop's audit sequence number as its `id`. Reconnect with `Last-Event-ID` (or `?after=`) to receive exactly what was missed. The packet's rules hold: a final vote reaches others as `has_final_vote: true` with `final: null` until the reveal. Comments keep an idle stream open; at most 8 streams per person.",
    params(("id" = i64, Path, description = "loop id"), StreamQuery),
    responses((status = 200, description = "The stream", content_type = "text/event-stream", body = String), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 400, description = "`malformed_request`: a query parameter has the wrong type", body = Problem), (status = 429, description = "`too_many_streams`: the caller holds 8 open streams already", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn stream(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<LoopId>,
    query: web::Query<StreamQuery>,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, ApiError> {
    use crate::services::debrief::live;
    use actix_web::Responder;
    use actix_web_lab::sse;

    let id = id.into_inner();
    let last_event_id = req
        .headers()
        .get("Last-Event-ID")
        .and_then(|v| v.to_str().ok());
    let after = live::resume_point(last_event_id, query.after);
    let user = live::admit(&state.db, caller, id).await?;
    // The loop's shared feed reads each event once for every stream here.
    let (slot, mut events) = state.live.subscribe(&state.db, caller, user, id, after)?;
    let (tx, rx) = tokio::sync::mpsc::channel::<sse::Event>(32);
    actix_web::rt::spawn(async move {
        let _slot = slot;
        loop {
            tokio::select! {
                batch = events.recv() => {
                    let Some(batch) = batch else { return };
                    for e in batch {
                        let Ok(data) = sse::Data::new_json(&e.data) else { continue };
                        if tx.send(data.event(e.name).id(e.seq.to_string()).into()).await.is_err() {
                            return;
                        }
                    }
                }
                _ = tx.closed() => return,
            }
        }
    });
    Ok(sse::Sse::from_infallible_receiver(rx)
        .with_keep_alive(live::HEARTBEAT)
        .respond_to(&req)
        .map_into_boxed_body())
}
