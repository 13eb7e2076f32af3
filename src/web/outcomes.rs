//! What became of a hire, on the loop's page: the outcomes recorded so far
//! (for the recruiter, the hiring manager and admins) and a form to record
//! one (for those who record them), once the loop ended in a hire.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::form::Form;
use super::page::{PageError, field_errors, redirect_with};
use super::session::{FlashKind, Viewer};
use crate::domain::outcome::{GivenValue, Outcome, OutcomeKind};
use crate::domain::{FieldProblem, LoopId};
use crate::error::ServiceError;
use crate::services::hiring::overview::Overview;
use crate::services::outcomes;
use crate::state::AppState;
use crate::urls;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(urls::LOOP_OUTCOMES, web::post().to(record));
}

fn shown(kind: OutcomeKind, value: f64) -> String {
    match kind {
        OutcomeKind::PerformanceRating => format!("{value} of 5"),
        _ if value != 0.0 => "yes".into(),
        _ => "no".into(),
    }
}

/// The section, where the viewer may see it (nothing otherwise).
pub fn section(o: &Overview, viewer: &Viewer, problems: &[FieldProblem]) -> Markup {
    let lp = &o.read.lp;
    if !o.can_record_outcome && o.outcomes.is_empty() {
        return html! {};
    }
    let today = chrono::Utc::now().date_naive();
    html! {
        section.card aria-labelledby="outcomes-h" {
            h2 #outcomes-h { "After the hire" }
            @if o.outcomes.is_empty() {
                p.muted { "No outcomes recorded yet." }
            } @else {
                div.table-wrap {
                    table #outcomes {
                        thead { tr { th scope="col" { "Outcome" } th scope="col" { "Value" } th scope="col" { "Observed" } th scope="col" { "Recorded by" } } }
                        tbody {
                            @for x in &o.outcomes {
                                @let kind = OutcomeKind::parse("kind", &x.kind).unwrap_or(OutcomeKind::PerformanceRating);
                                tr {
                                    td { (kind.words()) }
                                    td { (shown(kind, x.value)) }
                                    td { (x.observed_at.format("%-d %b %Y").to_string()) }
                                    td { (o.people.get(&x.recorded_by_id).cloned().unwrap_or_default()) }
                                }
                            }
                        }
                    }
                }
            }
            p.hint { "Seen by the recruiter, the hiring manager and admins, never by the panel. They feed the predictive validity of the interviews." }
            @if o.can_record_outcome {
                form method="post" action=(urls::loop_outcomes(LoopId(lp.id))) {
                    input type="hidden" name="csrf_token" value=(viewer.csrf);
                    label for="outcome-kind" { "Outcome" }
                    select #outcome-kind name="kind" aria-describedby="kind-error" {
                        @for k in OutcomeKind::ALL { option value=(k.as_str()) { (k.words()) } }
                    }
                    (field_errors(problems, "kind"))
                    label for="outcome-value" { "Value" }
                    input #outcome-value type="text" name="value" required aria-describedby="outcome-value-hint value-error";
                    p.hint #outcome-value-hint { "A rating from 1 to 5; yes or no for the others." }
                    (field_errors(problems, "value"))
                    label for="outcome-observed" { "Observed on" }
                    input #outcome-observed type="date" name="observed_at" required max=(today.to_string()) value=(today.to_string()) aria-describedby="observed_at-error";
                    (field_errors(problems, "observed_at"))
                    div.actions { button #record-outcome type="submit" { "Record the outcome" } }
                }
            }
        }
    }
}

/// `POST /loops/{id}/outcomes`: recorded, or the loop page again with the problems.
async fn record(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    let parsed = OutcomeKind::parse("kind", form.raw("kind")).and_then(|kind| {
        Outcome::parse(
            kind,
            GivenValue::Text(form.raw("value")),
            form.raw("observed_at"),
            chrono::Utc::now().date_naive(),
        )
    });
    let outcome = match parsed {
        Ok(o) => o,
        Err(e) => {
            let problems = e.into_field_problems().unwrap_or_default();
            return super::loops::refused(
                &state,
                &viewer,
                id,
                &problems,
                "The outcome was not recorded.",
            )
            .await;
        }
    };
    match outcomes::record(&state.db, &viewer.user, id, outcome).await {
        Ok(_) => Ok(redirect_with(
            &viewer.web,
            &urls::loop_page(id),
            FlashKind::Done,
            "The outcome is recorded.",
        )),
        Err(ServiceError::Invalid(problems)) => {
            super::loops::refused(
                &state,
                &viewer,
                id,
                &problems,
                "The outcome was not recorded.",
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
