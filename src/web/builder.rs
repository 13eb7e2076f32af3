//! `/loops/new` and `/loops/{id}/edit`: the loop builder. One form holds the
//! requisition, the candidate (on file or new), the bar raiser and the panel
//! rows; the independence report, the bar raiser suggestions and the warnings
//! are re-evaluated as the form changes (htmx posts it to the preview and swaps
//! the answer in). Every button also works as a plain form submission.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::form::Form;
use super::loops::report_view;
use super::page::{PageError, dom_id, field_errors, fragment, redirect_with, render_status};
use super::session::{FlashKind, Viewer};
use crate::domain::panel::{RawInterview, parse_panel};
use crate::domain::{
    CandidateId, DomainError, Email, FieldProblem, LoopId, PersonName, RequisitionId, TimeZone,
    UserId,
};
use crate::error::ServiceError;
use crate::services::hiring::builder::{self, CandidateChoice, Preview, Sketch, Start, Workbench};
use crate::services::hiring::candidates::NewPerson;
use crate::services::hiring::loops::{self, LoopEdit};
use crate::state::AppState;

/// A panel row as the form holds it (what was typed, even when not valid yet).
#[derive(Debug, Clone, Default)]
struct Row {
    id: Option<i64>,
    interviewer_id: Option<i64>,
    competency_ids: Vec<i64>,
    starts_at: String,
    ends_at: String,
}

/// The builder's form as submitted.
#[derive(Debug, Default)]
struct Submitted {
    new_candidate: bool,
    candidate_name: String,
    candidate_email: String,
    action: String,
}

/// The form's content: the sketch for the service, the rows as typed, and
/// what could not be read. Row indexes of the sketch's panel map back to the
/// form's rows through `row_of`.
struct Parsed {
    sketch: Sketch,
    rows: Vec<Row>,
    submitted: Submitted,
    problems: Vec<FieldProblem>,
    row_of: Vec<usize>,
}

fn row_indexes(form: &Form) -> Vec<usize> {
    let mut ix: Vec<usize> = form
        .keys()
        .filter_map(|k| k.strip_prefix("interviews["))
        .filter_map(|k| k.split_once(']'))
        .filter_map(|(i, _)| i.parse().ok())
        .filter(|i| *i < 50)
        .collect();
    ix.sort_unstable();
    ix.dedup();
    ix
}

fn parse(form: &Form, zone: TimeZone, editing: Option<LoopId>) -> Parsed {
    let mut problems: Vec<FieldProblem> = Vec::new();
    let mut keep = |r: Result<(), DomainError>| {
        if let Err(e) = r {
            problems.extend(e.into_field_problems().unwrap_or_default());
        }
    };
    let mut id_of = |field: &str| match form.id(field) {
        Ok(v) => v,
        Err(p) => {
            keep(Err(DomainError::invalid(p.field, p.message)));
            None
        }
    };
    let requisition_id = id_of("requisition_id").map(RequisitionId);
    let bar_raiser_id = id_of("bar_raiser_id").map(UserId);
    let rows: Vec<Row> = row_indexes(form)
        .into_iter()
        .map(|i| {
            let f = |name: &str| format!("interviews[{i}].{name}");
            Row {
                id: form.get(&f("id")).and_then(|v| v.parse().ok()),
                interviewer_id: form.get(&f("interviewer_id")).and_then(|v| v.parse().ok()),
                competency_ids: form
                    .all(&f("competency_ids"))
                    .iter()
                    .filter_map(|v| v.parse().ok())
                    .collect(),
                starts_at: form.raw(&f("starts_at")).trim().to_owned(),
                ends_at: form.raw(&f("ends_at")).trim().to_owned(),
            }
        })
        .collect();
    let new_candidate = form.get("candidate_id") == Some("new");
    let candidate = if new_candidate {
        let name = PersonName::parse("candidate.name", form.raw("candidate.name"));
        let email = Email::parse("candidate.email", form.raw("candidate.email"));
        match (name, email) {
            (Ok(name), Ok(email)) => Some(CandidateChoice::New(NewPerson {
                name,
                email,
                referred_by_id: None,
            })),
            (n, e) => {
                keep(n.map(|_| ()));
                keep(e.map(|_| ()));
                None
            }
        }
    } else {
        id_of("candidate_id").map(|id| CandidateChoice::Existing(CandidateId(id)))
    };
    // Rows with nothing chosen yet are left out of the sketch (a blank row
    // is not an error while the panel is being assembled).
    let mut row_of = Vec::new();
    let mut utc_times: Vec<(String, String)> = Vec::new();
    let mut raw_rows: Vec<(usize, &Row)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let blank = row.interviewer_id.is_none()
            && row.starts_at.is_empty()
            && row.ends_at.is_empty()
            && row.competency_ids.is_empty();
        if blank {
            continue;
        }
        let mut time = |name: &str, raw: &str| -> String {
            let field = format!("interviews[{i}].{name}");
            if raw.is_empty() {
                keep(Err(DomainError::invalid(field, "is required")));
                return String::new();
            }
            match zone.parse_local(&field, raw) {
                Ok(at) => at.to_rfc3339(),
                Err(e) => {
                    keep(Err(e));
                    String::new()
                }
            }
        };
        let times = (
            time("starts_at", &row.starts_at),
            time("ends_at", &row.ends_at),
        );
        if row.interviewer_id.is_none() {
            keep(Err(DomainError::invalid(
                format!("interviews[{i}].interviewer_id"),
                "choose an interviewer",
            )));
        }
        utc_times.push(times);
        raw_rows.push((i, row));
    }
    let mut panel = Vec::new();
    if problems.is_empty() {
        let raw: Vec<RawInterview<'_>> = raw_rows
            .iter()
            .zip(&utc_times)
            .map(|((_, row), (s, e))| RawInterview {
                id: row.id,
                interviewer_id: row.interviewer_id.unwrap_or_default(),
                competency_ids: &row.competency_ids,
                starts_at: s,
                ends_at: e,
            })
            .collect();
        row_of = raw_rows.iter().map(|(i, _)| *i).collect();
        match parse_panel(&raw) {
            Ok(p) => panel = p,
            Err(e) => problems.extend(
                e.into_field_problems()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| remap(p, &row_of)),
            ),
        }
    }
    Parsed {
        sketch: Sketch {
            editing,
            requisition_id,
            candidate,
            bar_raiser_id,
            feedback_window_hours: Some(24),
            panel,
        },
        rows,
        submitted: Submitted {
            new_candidate,
            candidate_name: form.raw("candidate.name").to_owned(),
            candidate_email: form.raw("candidate.email").to_owned(),
            action: form.get("action").unwrap_or("save").to_owned(),
        },
        problems,
        row_of,
    }
}

/// A problem about the sketch's panel entry `n`, renamed for the form's row.
fn remap(mut p: FieldProblem, row_of: &[usize]) -> FieldProblem {
    if let Some(rest) = p.field.strip_prefix("interviews[")
        && let Some((n, tail)) = rest.split_once(']')
        && let Ok(n) = n.parse::<usize>()
        && let Some(row) = row_of.get(n)
    {
        p.field = format!("interviews[{row}]{tail}");
    }
    p
}

fn remap_preview(mut preview: Preview, row_of: &[usize]) -> Preview {
    preview.problems = preview
        .problems
        .into_iter()
        .map(|p| remap(p, row_of))
        .collect();
    preview.warnings = preview
        .warnings
        .into_iter()
        .map(|p| remap(p, row_of))
        .collect();
    preview
}

fn rows_of_sketch(sketch: &Sketch, zone: TimeZone) -> Vec<Row> {
    sketch
        .panel
        .iter()
        .map(|p| Row {
            id: p.id,
            interviewer_id: Some(p.interviewer_id),
            competency_ids: p.competency_ids.clone(),
            starts_at: zone.to_input(p.starts_at),
            ends_at: zone.to_input(p.ends_at),
        })
        .collect()
}

fn selected_option(value: String, label: String, selected: bool) -> Markup {
    html! {
        @if selected { option value=(value) selected { (label) } }
        @else { option value=(value) { (label) } }
    }
}

/// The live part: the report, a refusal, suggestions and warnings;
/// `chosen` is the bar raiser the form holds.
fn live(chosen: Option<UserId>, preview: &Preview, url: &str) -> Markup {
    html! {
        div #live hx-post=(format!("{url}/preview")) hx-trigger="change from:#builder delay:250ms"
            hx-target="this" hx-swap="outerHTML" {
            @if let Some(conflict) = &preview.conflict {
                p.flash.error role="alert" { (conflict) }
            }
            @match &preview.report {
                Some(report) => (report_view(report)),
                None => section #report .card aria-live="polite" {
                    h2 { "Independence" }
                    p.muted { "Choose a requisition, a candidate, a bar raiser and the panel to see the report." }
                    @if !preview.problems.is_empty() {
                        ul { @for p in &preview.problems { li.field-error { (describe(p)) } } }
                    }
                },
            }
            @if !preview.warnings.is_empty() {
                section.card aria-labelledby="warnings-h" {
                    h2 #warnings-h { "Worth a look" }
                    p.hint { "These do not stop the loop." }
                    ul { @for w in &preview.warnings { li.field-warning { (describe(w)) } } }
                }
            }
            section.card aria-labelledby="suggest-h" {
                h2 #suggest-h { "Suggested bar raisers" }
                @if preview.suggestions.is_empty() {
                    p.muted { "Choose a requisition to see the eligible bar raisers." }
                } @else {
                    p.hint { "Certified and independent of this hiring manager and of recruiting; least loaded first." }
                    ul.plain {
                        @for s in &preview.suggestions {
                            li {
                                @let current = chosen == Some(UserId(s.user_id));
                                strong { (s.name) } @if let Some(d) = &s.department { " · " (d) }
                                " · " (s.load) " open loop" @if s.load != 1 { "s" }
                                " "
                                @if current { span.badge.ok { "Chosen" } }
                                @else {
                                    button.secondary type="submit" name="action" value=(format!("bar_raiser:{}", s.user_id)) {
                                        "Use " (s.name)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `interviews[2].starts_at: lies in the past` → `Interview 3, start: lies in the past`.
fn describe(p: &FieldProblem) -> String {
    if let Some(rest) = p.field.strip_prefix("interviews[")
        && let Some((n, tail)) = rest.split_once("].")
        && let Ok(n) = n.parse::<usize>()
    {
        let what = match tail {
            "starts_at" => "start",
            "ends_at" => "end",
            "interviewer_id" => "interviewer",
            "competency_ids" => "competencies",
            other => other,
        };
        return format!("Interview {}, {what}: {}", n + 1, p.message);
    }
    format!("{}: {}", p.field.replace('_', " "), p.message)
}

fn builder_form(
    wb: &Workbench,
    rows: &[Row],
    submitted: &Submitted,
    problems: &[FieldProblem],
    preview: &Preview,
    viewer: &Viewer,
) -> Markup {
    let zone = viewer.user.zone();
    let editing = wb.sketch.editing;
    let url = match editing {
        Some(id) => format!("/loops/{id}/edit"),
        None => "/loops/new".to_owned(),
    };
    let requisition = wb.sketch.requisition_id.and_then(|id| {
        wb.choices
            .requisitions
            .iter()
            .find(|r| r.requisition.id == id.get())
    });
    let selected_candidate = match &wb.sketch.candidate {
        Some(CandidateChoice::Existing(id)) => Some(id.get()),
        _ => None,
    };
    let errors = |f: &str| field_errors(problems, f);
    let warnings_for = |f: &str| {
        html! { @for w in preview.warnings.iter().filter(|w| w.field == f) { p.field-warning { "⚠ " (w.message) } } }
    };
    let preview_problems = |f: &str| field_errors(&preview.problems, f);
    html! {
        form #builder method="post" action=(url) {
            input type="hidden" name="csrf_token" value=(viewer.csrf);
            div.builder {
                div {
                    fieldset {
                        legend { "Role and candidate" }
                        label for="requisition_id" { "Requisition" }
                        @if editing.is_some() {
                            input type="hidden" name="requisition_id" value=(wb.sketch.requisition_id.map_or(0, |r| r.get()));
                            p #requisition_id { (requisition.map_or("", |r| r.requisition.title.as_str())) }
                        } @else {
                            select #requisition_id name="requisition_id" aria-describedby="requisition_id-error"
                                hx-post=(url.as_str()) hx-trigger="change" hx-target="#builder" hx-select="#builder"
                                hx-swap="outerHTML" hx-vals=r#"{"action":"refresh"}"# {
                                option value="" { "Choose a requisition" }
                                @for r in &wb.choices.requisitions {
                                    (selected_option(r.requisition.id.to_string(), r.requisition.title.clone(), requisition.is_some_and(|x| x.requisition.id == r.requisition.id)))
                                }
                            }
                            button.secondary type="submit" name="action" value="refresh" { "Show its competencies" }
                        }
                        (errors("requisition_id")) (preview_problems("requisition_id"))
                        label for="candidate_id" { "Candidate" }
                        @if editing.is_some() {
                            input type="hidden" name="candidate_id" value=(selected_candidate.unwrap_or(0));
                            p #candidate_id { (wb.choices.candidates.iter().find(|c| Some(c.id) == selected_candidate).map_or("", |c| c.name.as_str())) }
                        } @else {
                            select #candidate_id name="candidate_id" aria-describedby="candidate_id-error" {
                                option value="" { "Choose a candidate" }
                                (selected_option("new".into(), "A new candidate (enter below)".into(), submitted.new_candidate))
                                @for c in &wb.choices.candidates {
                                    (selected_option(c.id.to_string(), format!("{} <{}>", c.name, c.email), selected_candidate == Some(c.id)))
                                }
                            }
                            (errors("candidate_id")) (preview_problems("candidate_id"))
                            details open[submitted.new_candidate] {
                                summary { "Add a new candidate" }
                                p.hint { "Choose “A new candidate” above; they are added with the loop." }
                                label for="candidate-name" { "Candidate's name" }
                                input #candidate-name type="text" name="candidate.name" value=(submitted.candidate_name) maxlength="200";
                                (errors("candidate.name"))
                                label for="candidate-email" { "Candidate's email" }
                                input #candidate-email type="email" name="candidate.email" value=(submitted.candidate_email);
                                (errors("candidate.email"))
                            }
                        }
                    }
                    fieldset {
                        legend { "Bar raiser" }
                        label for="bar_raiser_id" { "Bar raiser" }
                        select #bar_raiser_id name="bar_raiser_id" aria-describedby="bar_raiser_id-error" {
                            option value="" { "Choose the bar raiser" }
                            @for u in &wb.choices.people {
                                (selected_option(u.id.to_string(), u.name.clone(), wb.sketch.bar_raiser_id == Some(UserId(u.id))))
                            }
                        }
                        (errors("bar_raiser_id")) (preview_problems("bar_raiser_id"))
                        p.hint { "Or pick one of the suggestions beside the report." }
                    }
                    fieldset {
                        legend { "Panel (times in " (zone.name()) ")" }
                        @if requisition.is_none() { p.hint { "Choose a requisition to see the competencies it requires." } }
                        @for (i, row) in rows.iter().enumerate() {
                            @let f = |name: &str| format!("interviews[{i}].{name}");
                            div.panel-row role="group" aria-labelledby=(format!("row-{i}-h")) {
                                h3 #(format!("row-{i}-h")) { "Interview " (i + 1) }
                                @if let Some(id) = row.id { input type="hidden" name=(f("id")) value=(id); }
                                div.row-fields {
                                    div {
                                        label for=(dom_id(&f("interviewer_id"))) { "Interviewer" }
                                        select #(dom_id(&f("interviewer_id"))) name=(f("interviewer_id")) {
                                            option value="" { "Choose" }
                                            @for u in &wb.choices.people {
                                                (selected_option(u.id.to_string(), u.name.clone(), row.interviewer_id == Some(u.id)))
                                            }
                                        }
                                        (errors(&f("interviewer_id"))) (preview_problems(&f("interviewer_id"))) (warnings_for(&f("interviewer_id")))
                                    }
                                    div {
                                        label for=(dom_id(&f("starts_at"))) { "Starts" }
                                        input #(dom_id(&f("starts_at"))) type="datetime-local" name=(f("starts_at")) value=(row.starts_at);
                                        (errors(&f("starts_at"))) (warnings_for(&f("starts_at")))
                                    }
                                    div {
                                        label for=(dom_id(&f("ends_at"))) { "Ends" }
                                        input #(dom_id(&f("ends_at"))) type="datetime-local" name=(f("ends_at")) value=(row.ends_at);
                                        (errors(&f("ends_at")))
                                    }
                                }
                                fieldset {
                                    legend { "Competencies" }
                                    @let offered: Vec<i64> = requisition.map(|r| r.competency_ids.clone()).unwrap_or_default().into_iter()
                                        .chain(row.competency_ids.iter().copied()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
                                    @for cid in offered {
                                        @let cname = wb.choices.competencies.iter().find(|c| c.id == cid).map_or_else(|| format!("Competency {cid}"), |c| c.name.clone());
                                        label.inline {
                                            @if row.competency_ids.contains(&cid) {
                                                input type="checkbox" name=(f("competency_ids")) value=(cid) checked;
                                            } @else {
                                                input type="checkbox" name=(f("competency_ids")) value=(cid);
                                            }
                                            (cname)
                                        }
                                    }
                                    (errors(&f("competency_ids"))) (preview_problems(&f("competency_ids")))
                                }
                                button.link type="submit" name="action" value=(format!("remove:{i}")) { "Remove interview " (i + 1) }
                            }
                        }
                        (errors("interviews"))
                        button.secondary #add-interview type="submit" name="action" value="add" { "Add an interview" }
                    }
                    (errors("loop"))
                    div.actions {
                        @if editing.is_some() {
                            button #save-loop type="submit" name="action" value="save" { "Save the loop" }
                            a href=(format!("/loops/{}", editing.map_or(0, |e| e.get()))) { "Back to the loop" }
                        } @else {
                            button #create-loop type="submit" name="action" value="save" { "Create the loop" }
                            span.hint { "A loop is created as a draft, even when rules fail; it is scheduled from its page." }
                        }
                    }
                }
                div.side { (live(wb.sketch.bar_raiser_id, preview, &url)) }
            }
        }
    }
}

fn page_body(
    wb: &Workbench,
    rows: &[Row],
    submitted: &Submitted,
    problems: &[FieldProblem],
    preview: &Preview,
    viewer: &Viewer,
) -> Markup {
    html! {
        h1 { @if wb.sketch.editing.is_some() { "Edit the loop" } @else { "New loop" } }
        @if !problems.is_empty() {
            p.flash.error role="alert" { "Some fields need attention: see the notes beside them." }
        }
        (builder_form(wb, rows, submitted, problems, preview, viewer))
    }
}

fn title(wb: &Workbench) -> &'static str {
    if wb.sketch.editing.is_some() {
        "Edit the loop"
    } else {
        "New loop"
    }
}

/// `GET /loops/new`
pub async fn new_form(
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, PageError> {
    let wb = builder::workbench(&state.db, &state.links, &viewer.user, Start::Fresh).await?;
    let rows = vec![Row::default(); 4];
    let submitted = Submitted::default();
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::OK,
        title(&wb),
        page_body(&wb, &rows, &submitted, &[], &wb.preview, &viewer),
    ))
}

/// `GET /loops/{id}/edit` (its recruiter, admins).
pub async fn edit_form(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, PageError> {
    let wb = builder::workbench(
        &state.db,
        &state.links,
        &viewer.user,
        Start::Existing(id.into_inner()),
    )
    .await?;
    let zone = viewer.user.zone();
    let rows = rows_of_sketch(&wb.sketch, zone);
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::OK,
        title(&wb),
        page_body(&wb, &rows, &Submitted::default(), &[], &wb.preview, &viewer),
    ))
}

/// `POST /loops/new` and `POST /loops/{id}/edit`: the form's buttons (add or
/// remove a row, use a suggested bar raiser, refresh) re-render it; `save`
/// creates or changes the loop.
async fn submit(
    state: &AppState,
    viewer: &Viewer,
    editing: Option<LoopId>,
    body: &web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = Form::parse(body);
    let zone = viewer.user.zone();
    let mut parsed = parse(&form, zone, editing);
    let action = parsed.submitted.action.clone();
    let mut rows = std::mem::take(&mut parsed.rows);
    if action == "save" && parsed.problems.is_empty() {
        let outcome = match editing {
            None => builder::create(&state.db, &viewer.user, parsed.sketch.clone()).await,
            Some(id) => {
                let edit = LoopEdit {
                    bar_raiser_id: parsed.sketch.bar_raiser_id,
                    panel: Some(parsed.sketch.panel.clone()),
                };
                loops::edit(&state.db, &state.links, &viewer.user, id, edit).await
            }
        };
        match outcome {
            Ok(read) => {
                let text = if editing.is_some() {
                    "The loop was saved."
                } else if read.report.ok {
                    "The loop was created as a draft. Every rule passes: you can schedule it."
                } else {
                    "The loop was created as a draft. Some rules fail: fix them before scheduling."
                };
                return Ok(redirect_with(
                    &viewer.web,
                    &format!("/loops/{}", read.lp.id),
                    FlashKind::Done,
                    text,
                ));
            }
            Err(ServiceError::Invalid(problems)) => parsed
                .problems
                .extend(problems.into_iter().map(|p| remap(p, &parsed.row_of))),
            Err(ServiceError::Conflict { detail, .. } | ServiceError::Rule { detail, .. }) => {
                parsed.problems.push(FieldProblem {
                    field: "loop".into(),
                    message: detail,
                })
            }
            Err(ServiceError::IndependenceFailed { .. }) => parsed.problems.push(FieldProblem {
                field: "loop".into(),
                message: "This change would make the scheduled loop fail its rules.".into(),
            }),
            Err(other) => return Err(other.into()),
        }
    } else if action == "add" {
        rows.push(Row::default());
    } else if let Some(i) = action
        .strip_prefix("remove:")
        .and_then(|i| i.parse::<usize>().ok())
    {
        if i < rows.len() {
            rows.remove(i);
        }
        // Re-read without the removed row, so the preview matches the form.
        parsed = parse(&form.renumbered_without(i), zone, editing);
    } else if let Some(id) = action
        .strip_prefix("bar_raiser:")
        .and_then(|i| i.parse::<i64>().ok())
    {
        parsed.sketch.bar_raiser_id = Some(UserId(id));
    }
    let row_of = parsed.row_of.clone();
    let status = if action == "save" {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let problems = if action == "save" {
        parsed.problems.clone()
    } else {
        Vec::new()
    };
    let submitted = parsed.submitted;
    let mut wb = builder::workbench(
        &state.db,
        &state.links,
        &viewer.user,
        Start::Sketch(parsed.sketch),
    )
    .await?;
    let preview = remap_preview(std::mem::take(&mut wb.preview), &row_of);
    Ok(render_status(
        &viewer.web,
        viewer,
        status,
        title(&wb),
        page_body(&wb, &rows, &submitted, &problems, &preview, viewer),
    ))
}

pub async fn create(
    state: web::Data<AppState>,
    viewer: Viewer,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    submit(&state, &viewer, None, &body).await
}

pub async fn update(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    submit(&state, &viewer, Some(id.into_inner()), &body).await
}

/// `POST /loops/new/preview` and `POST /loops/{id}/edit/preview` (htmx): the
/// live part of the builder for the form as it stands.
async fn preview(
    state: &AppState,
    viewer: &Viewer,
    editing: Option<LoopId>,
    body: &web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = Form::parse(body);
    let parsed = parse(&form, viewer.user.zone(), editing);
    let url = match editing {
        Some(id) => format!("/loops/{id}/edit"),
        None => "/loops/new".to_owned(),
    };
    // Only the live part: no need for the form's lists of people and candidates.
    let chosen = parsed.sketch.bar_raiser_id;
    let preview = builder::preview(&state.db, &state.links, &viewer.user, parsed.sketch).await?;
    let mut preview = remap_preview(preview, &parsed.row_of);
    preview.problems.extend(parsed.problems);
    Ok(fragment(StatusCode::OK, live(chosen, &preview, &url)))
}

pub async fn preview_new(
    state: web::Data<AppState>,
    viewer: Viewer,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    preview(&state, &viewer, None, &body).await
}

pub async fn preview_edit(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    preview(&state, &viewer, Some(id.into_inner()), &body).await
}
