//! `/interviews/{id}`: the interviewer's page. The kit beside the feedback
//! form; drafts autosave while typing (htmx posts the form after a pause and
//! swaps in the saved state and the quality warnings); submission with the
//! attestation; afterwards the loop's submitted feedback under the blind rule.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::Utc;
use maud::{Markup, html};

use super::form::Form;
use super::page::{PageError, dom_id, field_errors, fragment, render_status};
use super::session::Viewer;
use super::time::when;
use crate::db::competencies::Competency;
use crate::domain::feedback::{
    Draft, FeedbackStatus, Rating, RatingEntry, TEXT_MAX, Vote, Warning,
};
use crate::domain::text::check_long;
use crate::domain::{DomainError, FieldProblem, InterviewId, TimeZone};
use crate::error::ServiceError;
use crate::services::feedback::{self, Desk, FeedbackRead};
use crate::state::AppState;
use crate::urls;

/// The interviewer's page: the kit, the autosaved draft, the submission.
pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::INTERVIEW, web::get().to(page))
        .route(urls::INTERVIEW_DRAFT, web::post().to(autosave))
        .route(urls::INTERVIEW_SUBMIT, web::post().to(submit));
}

const VOTES: [(Vote, &str); 4] = [
    (Vote::StrongHire, "Strong hire"),
    (Vote::Hire, "Hire"),
    (Vote::NoHire, "No hire"),
    (Vote::StrongNoHire, "Strong no hire"),
];

fn vote_label(v: Vote) -> &'static str {
    VOTES.iter().find(|(x, _)| *x == v).map_or("", |(_, l)| l)
}

fn anchors(c: &Competency) -> [(u8, &str, &str); 4] {
    [
        (1, "Strong concern", c.anchor_1.as_str()),
        (2, "Concern", c.anchor_2.as_str()),
        (3, "Evidence", c.anchor_3.as_str()),
        (4, "Strong evidence", c.anchor_4.as_str()),
    ]
}

/// The draft the form holds: what the interviewer typed, field by field.
fn draft_from(form: &Form, assigned: &[i64]) -> Result<Draft, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut keep = |r: Result<(), DomainError>| {
        if let Err(e) = r {
            problems.extend(e.into_field_problems().unwrap_or_default());
        }
    };
    let mut ratings = Vec::new();
    for id in assigned {
        let rating_field = format!("ratings.{id}.rating");
        let evidence_field = format!("ratings.{id}.evidence");
        let rating = match form.get(&rating_field) {
            None => None,
            Some(raw) => match raw.parse::<i64>().ok().and_then(Rating::new) {
                Some(r) => Some(r),
                None => {
                    keep(Err(DomainError::invalid(
                        &rating_field,
                        "must be a rating from 1 to 4",
                    )));
                    None
                }
            },
        };
        let evidence = form.raw(&evidence_field).to_owned();
        keep(check_long(&evidence_field, &evidence, TEXT_MAX));
        ratings.push(RatingEntry {
            competency_id: *id,
            rating,
            evidence,
        });
    }
    let vote = match form.get("vote") {
        None => None,
        Some(raw) => match Vote::parse("vote", raw) {
            Ok(v) => Some(v),
            Err(e) => {
                keep(Err(e));
                None
            }
        },
    };
    let summary = match form.raw("summary") {
        "" => None,
        s => {
            keep(check_long("summary", s, TEXT_MAX));
            Some(s.to_owned())
        }
    };
    if problems.is_empty() {
        Ok(Draft {
            ratings,
            vote,
            summary,
        })
    } else {
        Err(problems)
    }
}

/// The vote's own warning sits under the vote, not under the summary.
const VOTE_WARNING: &str = "vote_contradicts_ratings";

fn warnings_for(warnings: &[Warning], competency: Option<i64>) -> Markup {
    html! {
        @for w in warnings.iter().filter(|w| w.competency_id == competency && w.code != VOTE_WARNING) {
            p.field-warning { "⚠ " (w.message) }
        }
    }
}

fn vote_warnings(warnings: &[Warning]) -> Markup {
    html! {
        @for w in warnings.iter().filter(|w| w.code == VOTE_WARNING) {
            p.field-warning { "⚠ " (w.message) }
        }
    }
}

/// The autosave answer: the saved state, and every warning region refreshed.
fn saved_fragment(read: &FeedbackRead, assigned: &[i64], zone: TimeZone) -> Markup {
    html! {
        p #save-state .save-state role="status" {
            @if let Some(at) = read.updated_at {
                "Draft saved at " (zone.show_time(at.and_utc())) " " (zone.name()) "."
            } @else {
                "Nothing saved yet."
            }
        }
        @for id in assigned {
            hx-partial hx-target=(format!("#warnings-{id}")) hx-swap="innerHTML" {
                (warnings_for(&read.warnings, Some(*id)))
            }
        }
        hx-partial hx-target="#warnings-vote" hx-swap="innerHTML" {
            (vote_warnings(&read.warnings))
        }
        hx-partial hx-target="#warnings-general" hx-swap="innerHTML" {
            (warnings_for(&read.warnings, None))
        }
    }
}

/// What the form shows: the saved draft, or what was just typed after a refusal.
struct Shown<'a> {
    draft: &'a Draft,
    problems: &'a [FieldProblem],
    attested: bool,
}

fn competency_block(c: &Competency, shown: &Shown<'_>, warnings: &[Warning]) -> Markup {
    let entry = shown.draft.ratings.iter().find(|r| r.competency_id == c.id);
    let current = entry.and_then(|e| e.rating).map(Rating::get);
    let evidence = entry.map_or("", |e| e.evidence.as_str());
    let rating_field = format!("ratings.{}.rating", c.id);
    let evidence_field = format!("ratings.{}.evidence", c.id);
    let evidence_id = dom_id(&evidence_field);
    html! {
        section.competency aria-labelledby=(format!("comp-{}", c.id)) {
            h3 #(format!("comp-{}", c.id)) { (c.name) }
            p.hint { (c.description) }
            details open {
                summary { "Questions to ask" }
                ul { @for q in c.questions() { li { (q) } } }
            }
            fieldset {
                legend { "Rating for " (c.name) }
                div.anchors {
                    @for (value, label, anchor) in anchors(c) {
                        label {
                            @if current == Some(value) {
                                input type="radio" name=(rating_field) value=(value) checked;
                            } @else {
                                input type="radio" name=(rating_field) value=(value);
                            }
                            span { strong { (value) " · " (label) } br; span.muted { (anchor) } }
                        }
                    }
                }
                (field_errors(shown.problems, &rating_field))
            }
            label for=(evidence_id) { "Evidence for " (c.name) }
            p.hint #(format!("{evidence_id}-hint")) { "What the candidate said and did, in their words. Required: at least 50 characters. Advised: 200 or more, so the debrief has something to weigh." }
            textarea #(evidence_id) name=(evidence_field) rows="6" aria-describedby=(format!("{evidence_id}-hint")) { (evidence) }
            (field_errors(shown.problems, &evidence_field))
            div #(format!("warnings-{}", c.id)) aria-live="polite" { (warnings_for(warnings, Some(c.id))) }
        }
    }
}

fn feedback_form(desk: &Desk, shown: &Shown<'_>, zone: TimeZone, csrf: &str) -> Markup {
    let id = desk.kit.interview.id;
    let own = &desk.own;
    html! {
        form #feedback-form method="post" action=(urls::interview_submit(InterviewId(id)))
            hx-post=(urls::interview_draft(InterviewId(id))) hx-trigger="input delay:700ms, change"
            hx-sync="this:queue last"
            hx-target="#save-state" hx-swap="outerHTML" {
            input type="hidden" name="csrf_token" value=(csrf);
            @for c in &desk.kit.competencies {
                (competency_block(c, shown, &own.warnings))
            }
            section.competency aria-labelledby="overall-h" {
                h3 #overall-h { "Overall" }
                fieldset {
                    legend { "Your vote" }
                    @for (v, label) in VOTES {
                        label.inline {
                            @if shown.draft.vote == Some(v) {
                                input type="radio" name="vote" value=(v.as_str()) checked;
                            } @else {
                                input type="radio" name="vote" value=(v.as_str());
                            }
                            (label)
                        }
                    }
                    (field_errors(shown.problems, "vote"))
                    div #warnings-vote aria-live="polite" { (vote_warnings(&own.warnings)) }
                }
                label for="summary" { "Summary" }
                textarea #summary name="summary" rows="5" { (shown.draft.summary.as_deref().unwrap_or("")) }
                (field_errors(shown.problems, "summary"))
                div #warnings-general aria-live="polite" { (warnings_for(&own.warnings, None)) }
            }
            (saved_state(own, zone))
            div.card {
                label.inline {
                    @if shown.attested {
                        input #attest_no_discussion type="checkbox" name="attest_no_discussion" value="true" checked;
                    } @else {
                        input #attest_no_discussion type="checkbox" name="attest_no_discussion" value="true";
                    }
                    "I have not discussed this candidate with anyone on the panel."
                }
                (field_errors(shown.problems, "attest_no_discussion"))
                div.actions {
                    button #submit-feedback type="submit" { "Submit feedback" }
                    span.hint { "Submitted feedback cannot be changed." }
                }
            }
        }
    }
}

fn saved_state(own: &FeedbackRead, zone: TimeZone) -> Markup {
    html! {
        p #save-state .save-state role="status" {
            @if let Some(at) = own.updated_at {
                "Draft saved at " (zone.show_time(at.and_utc())) " " (zone.name()) ". Changes save as you type."
            } @else {
                "Changes save as you type."
            }
        }
    }
}

fn submitted_view(desk: &Desk) -> Markup {
    let name_of = |id: i64| desk.competency_names.get(&id).cloned().unwrap_or_default();
    html! {
        section aria-labelledby="panel-h" {
            h2 #panel-h { "The panel's submitted feedback" }
            @match &desk.panel_feedback {
                Err(reason) => p.muted { (reason) },
                Ok(list) if list.is_empty() => p.muted { "No feedback has been submitted yet." },
                Ok(list) => {
                    @for f in list {
                        article.card {
                            h3 {
                                (desk.people.get(&f.interviewer_id).cloned().unwrap_or_default())
                                @if f.interviewer_id == desk.own.interviewer_id { " (you)" }
                            }
                            p { "Vote: " strong { (f.draft.vote.map_or("—", vote_label)) } }
                            @for r in &f.draft.ratings {
                                h4 { (name_of(r.competency_id)) ": " (r.rating.map_or("—".to_owned(), |x| x.get().to_string())) " of 4" }
                                p.detail { (r.evidence) }
                            }
                            @if let Some(s) = &f.draft.summary { p { strong { "Summary: " } (s) } }
                        }
                    }
                }
            }
        }
    }
}

fn kit_header(desk: &Desk, zone: TimeZone) -> Markup {
    let k = &desk.kit;
    html! {
        h1 { "Interview with " (k.candidate_name) }
        p {
            (k.role_title) " · " (when(zone, k.interview.starts_at.and_utc()))
            " to " (zone.show_time(k.interview.ends_at.and_utc()))
        }
        p.muted {
            "Feedback due " (when(zone, k.interview.feedback_due_at.and_utc())) " · loop "
            (k.lp.status.words())
        }
    }
}

fn desk_page(desk: &Desk, shown: &Shown<'_>, viewer: &Viewer, notice: Option<&str>) -> Markup {
    let zone = viewer.user.zone();
    html! {
        (kit_header(desk, zone))
        @if let Some(n) = notice { p.flash.error role="alert" { (n) } }
        @match desk.own.status {
            FeedbackStatus::Submitted => {
                // One message, and where the focus lands after submitting.
                p.flash #submitted role="status" tabindex="-1" autofocus { "Your feedback was submitted." }
                (submitted_view(desk))
            }
            _ => {
                @if !matches!(desk.kit.lp.status, crate::domain::LoopStatus::Scheduled | crate::domain::LoopStatus::InDebrief) {
                    p.flash.error { "This loop is " (desk.kit.lp.status.words().to_lowercase()) ": feedback is written once it is scheduled and until its debrief closes." }
                }
                @if desk.kit.interview.starts_at.and_utc() > Utc::now() {
                    p.hint { "You can write notes now; feedback can be submitted once the interview has started." }
                }
                (feedback_form(desk, shown, zone, &viewer.csrf))
            }
        }
    }
}

/// `GET /interviews/{id}`: for its interviewer (anyone else: 404).
pub async fn page(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<InterviewId>,
) -> Result<HttpResponse, PageError> {
    let desk = feedback::desk(&state.db, &viewer.user, id.into_inner()).await?;
    let shown = Shown {
        draft: &desk.own.draft,
        problems: &[],
        attested: false,
    };
    let title = format!("Interview with {}", desk.kit.candidate_name);
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::OK,
        &title,
        desk_page(&desk, &shown, &viewer, None),
    ))
}

/// `POST /interviews/{id}/draft` (htmx, while typing): saves the draft and
/// answers the saved state with the warnings.
pub async fn autosave(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<InterviewId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    let assigned = assigned_in(&form);
    let zone = viewer.user.zone();
    // A refusal keeps its status (htmx swaps 4xx answers in as well).
    let problem = |status: StatusCode, text: String| {
        fragment(
            status,
            html! { p #save-state .save-state.field-error role="alert" { (text) } },
        )
    };
    let draft = match draft_from(&form, &assigned) {
        Ok(d) => d,
        Err(problems) => {
            let text = problems
                .iter()
                .map(|p| p.message.clone())
                .collect::<Vec<_>>()
                .join("; ");
            return Ok(problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Not saved: {text}."),
            ));
        }
    };
    match feedback::save_draft(&state.db, viewer.caller, id, draft).await {
        Ok(read) => Ok(fragment(
            StatusCode::OK,
            saved_fragment(&read, &assigned, zone),
        )),
        Err(ServiceError::Conflict { detail, .. }) => Ok(problem(
            StatusCode::CONFLICT,
            format!("Not saved: {detail}"),
        )),
        Err(ServiceError::Invalid(problems)) => Ok(problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "Not saved: {}.",
                problems
                    .iter()
                    .map(|p| format!("{} {}", p.field, p.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        )),
        Err(other) => Err(other.into()),
    }
}

/// The competency ids the form carries (the ones the page rendered).
fn assigned_in(form: &Form) -> Vec<i64> {
    let mut ids: Vec<i64> = form
        .keys()
        .filter_map(|k| k.strip_prefix("ratings."))
        .filter_map(|rest| rest.split_once('.'))
        .filter_map(|(id, _)| id.parse().ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// `POST /interviews/{id}/submit`: saves what is on the screen and submits it
/// with the attestation. Refusals come back on the page, beside their fields.
pub async fn submit(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<InterviewId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    // A competency the form leaves out is reported missing by the submission.
    let assigned = assigned_in(&form);
    let attested = form.get("attest_no_discussion") == Some("true");
    let typed = draft_from(&form, &assigned);
    let outcome = match &typed {
        Ok(draft) => {
            feedback::save_and_submit(
                &state.db,
                &state.links,
                &viewer.user,
                id,
                draft.clone(),
                attested,
            )
            .await
        }
        Err(problems) => Err(ServiceError::Invalid(problems.clone())),
    };
    let (problems, notice) = match outcome {
        Ok(_) => {
            // The page says it once, where the focus lands (no flash beside it).
            return Ok(HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, urls::interview(id)))
                .finish());
        }
        Err(ServiceError::Invalid(problems)) => (problems, None),
        Err(ServiceError::Conflict { detail, .. }) => (Vec::new(), Some(detail)),
        Err(other) => return Err(other.into()),
    };
    // Show what was typed, with every problem beside its field; the draft
    // itself was saved when it was valid.
    let desk = feedback::desk(&state.db, &viewer.user, id).await?;
    let fallback = desk.own.draft.clone();
    let draft = typed.as_ref().unwrap_or(&fallback);
    let shown = Shown {
        draft,
        problems: &problems,
        attested,
    };
    let title = format!("Interview with {}", desk.kit.candidate_name);
    let notice = notice.or_else(|| {
        (!problems.is_empty()).then(|| {
            "Your feedback is not complete yet: see the notes beside the fields.".to_owned()
        })
    });
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::UNPROCESSABLE_ENTITY,
        &title,
        desk_page(&desk, &shown, &viewer, notice.as_deref()),
    ))
}
