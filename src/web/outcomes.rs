//! What became of a hire, on the loop's page: the outcomes recorded so far
//! (for the recruiter, the hiring manager and admins) and a form to record
//! one (for those who record them), once the loop ended in a hire. The form
//! posts to `loops::record_outcome`.

use maud::{Markup, html};

use super::page::field_errors;
use super::session::Viewer;
use crate::domain::outcome::OutcomeKind;
use crate::domain::{FieldProblem, LoopId};
use crate::services::hiring::overview::Overview;
use crate::urls;

/// The section, where the viewer may see it (nothing otherwise).
pub fn section(o: &Overview, viewer: &Viewer, problems: &[FieldProblem]) -> Markup {
    let lp = &o.read.lp;
    if !o.can_record_outcome && o.outcomes().is_empty() {
        return html! {};
    }
    let today = chrono::Utc::now().date_naive();
    html! {
        section.card aria-labelledby="outcomes-h" {
            h2 #outcomes-h { "After the hire" }
            @if o.outcomes().is_empty() {
                p.muted { "No outcomes recorded yet." }
            } @else {
                div.table-wrap {
                    table #outcomes {
                        thead { tr { th scope="col" { "Outcome" } th scope="col" { "Value" } th scope="col" { "Observed" } th scope="col" { "Recorded by" } } }
                        tbody {
                            @for x in o.outcomes() {
                                @let kind = OutcomeKind::from_stored(&x.kind);
                                tr {
                                    td { (kind.words()) }
                                    td { (kind.value_words(x.value)) }
                                    td { (x.observed_at.format("%-d %b %Y").to_string()) }
                                    td { (o.people().get(&x.recorded_by_id).cloned().unwrap_or_default()) }
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
