//! The builder's markup: the form, the live report, the suggestions and the
//! warnings, and the page around them.

use maud::{Markup, html};

use crate::domain::{FieldProblem, TimeZone, UserId};
use crate::services::hiring::builder::{CandidateChoice, Preview, Sketch, Workbench};
use crate::services::hiring::more_signal::SignalRequest;
use crate::services::people::picker::PickKind;
use crate::urls;
use crate::web::loops::report_view;
use crate::web::page::{dom_id, field_errors};
use crate::web::picker::{Unsettled, chosen, picker};
use crate::web::session::Viewer;

use super::parse::*;

/// The pickers whose typed text named nobody or several people.
pub(super) type Open = std::collections::HashMap<String, Unsettled>;

pub(super) fn rows_of_sketch(sketch: &Sketch, zone: TimeZone) -> Vec<Row> {
    sketch
        .panel
        .iter()
        .map(|p| Row {
            id: p.id,
            interviewer_id: Some(p.interviewer_id),
            competency_ids: p.competency_ids.clone(),
            starts_at: zone.to_input(p.starts_at),
            ends_at: zone.to_input(p.ends_at),
            minutes: Some((p.ends_at - p.starts_at).num_minutes())
                .filter(|m| LENGTHS.contains(m))
                .unwrap_or(DEFAULT_MINUTES),
        })
        .collect()
}

pub(super) fn selected_option(value: String, label: String, selected: bool) -> Markup {
    crate::web::page::option(&value, &label, selected)
}

/// The live part: the report, a refusal, suggestions and warnings;
/// `chosen` is the bar raiser the form holds.
pub(super) fn live(chosen: Option<UserId>, preview: &Preview, url: &str) -> Markup {
    html! {
        div #live hx-post=(format!("{url}/preview")) hx-trigger="change from:#builder delay:250ms"
            hx-sync="#builder:replace" hx-target="this" hx-swap="outerHTML" {
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
pub(super) fn describe(p: &FieldProblem) -> String {
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

/// The loop awaits more signal: which competencies the follow-up interview
/// must cover, and which it does not cover yet.
fn follow_up_notice(wb: &Workbench, f: &SignalRequest) -> Markup {
    let name = |id: &i64| {
        wb.choices
            .competencies
            .iter()
            .find(|c| c.id == *id)
            .map_or_else(|| format!("competency {id}"), |c| c.name.clone())
    };
    let names = |ids: &[i64]| ids.iter().map(name).collect::<Vec<_>>().join(", ");
    let asked_by = if f.requested_as == "hiring_manager" {
        "The hiring manager"
    } else {
        "The bar raiser"
    };
    html! {
        section.card #follow-up aria-labelledby="follow-up-h" {
            h2 #follow-up-h { "A follow-up interview is needed" }
            p { (asked_by) " asked for more signal on " strong { (names(&f.competency_ids)) } "." }
            @if f.follow_up_interview_ids.is_empty() {
                p { "Add an interview below for these competencies and save. The debrief reopens when its feedback is submitted." }
            } @else if !f.uncovered_competency_ids.is_empty() {
                p { "The follow-up does not cover " strong { (names(&f.uncovered_competency_ids)) } " yet." }
            } @else {
                p { "The follow-up interview is on the panel; the debrief reopens when its feedback is submitted." }
            }
        }
    }
}

pub(super) fn builder_form(
    wb: &Workbench,
    rows: &[Row],
    submitted: &Submitted,
    problems: &[FieldProblem],
    preview: &Preview,
    viewer: &Viewer,
    open: &Open,
) -> Markup {
    let zone = viewer.user.zone();
    let editing = wb.sketch.editing;
    let url = urls::loop_builder(editing);
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
            @if let Some(f) = &wb.follow_up { (follow_up_notice(wb, f)) }
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
                        (picker("bar_raiser_id", "Bar raiser", PickKind::BarRaiser,
                            wb.sketch.bar_raiser_id.and_then(|id| wb.choices.named.get(&id.get())).map(chosen),
                            open.get("bar_raiser_id"),
                            "Certified bar raisers only: type part of a name, an email or a department. Or use one of the suggestions beside the report."))
                        (errors("bar_raiser_id")) (preview_problems("bar_raiser_id"))
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
                                        (picker(&f("interviewer_id"), "Interviewer", PickKind::Anyone,
                                            row.interviewer_id.and_then(|id| wb.choices.named.get(&id)).map(chosen),
                                            open.get(&f("interviewer_id")),
                                            "Type part of a name, an email or a department."))
                                        (errors(&f("interviewer_id"))) (preview_problems(&f("interviewer_id"))) (warnings_for(&f("interviewer_id")))
                                    }
                                    div {
                                        label for=(dom_id(&f("starts_at"))) { "Starts" }
                                        input #(dom_id(&f("starts_at"))) type="datetime-local" name=(f("starts_at")) value=(row.starts_at);
                                        (errors(&f("starts_at"))) (warnings_for(&f("starts_at")))
                                    }
                                    div {
                                        label for=(dom_id(&f("minutes"))) { "Length" }
                                        select #(dom_id(&f("minutes"))) name=(f("minutes")) aria-describedby=(format!("{}-hint", dom_id(&f("minutes")))) {
                                            @for m in LENGTHS {
                                                (selected_option(m.to_string(), format!("{m} minutes"), row.minutes == m))
                                            }
                                        }
                                        p.hint #(format!("{}-hint", dom_id(&f("minutes")))) { "Fills an empty end." }
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
                        @if let Some(id) = editing {
                            button #save-loop type="submit" name="action" value="save" { "Save the loop" }
                            a href=(urls::loop_page(id)) { "Back to the loop" }
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

pub(super) fn page_body(
    wb: &Workbench,
    rows: &[Row],
    submitted: &Submitted,
    problems: &[FieldProblem],
    preview: &Preview,
    viewer: &Viewer,
    open: &Open,
) -> Markup {
    html! {
        h1 { @if wb.sketch.editing.is_some() { "Edit the loop" } @else { "New loop" } }
        @if !problems.is_empty() {
            p.flash.error role="alert" { "Some fields need attention: see the notes beside them." }
        }
        (builder_form(wb, rows, submitted, problems, preview, viewer, open))
    }
}

pub(super) fn title(wb: &Workbench) -> &'static str {
    if wb.sketch.editing.is_some() {
        "Edit the loop"
    } else {
        "New loop"
    }
}
