//! `/insights`: the hiring process's input metrics of a period (recruiters
//! and admins), each as a chart or a figure with its numbers, and the tables
//! per bar raiser and per interviewer, sortable; every table as CSV.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use chrono::Utc;
use maud::{Markup, html};

use super::super::chart::{self, Frame, Series};
use super::super::page::{PageError, render};
use super::super::session::Viewer;
use super::{
    ExportQuery, PeriodQuery, as_of, csv_response, fresh_after, hidden, opt, pct, period_form,
    plain,
};
use crate::services::analytics::{self, Process};
use crate::services::people;
use crate::state::AppState;
use crate::urls;

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::INSIGHTS, web::get().to(show))
        .route(urls::INSIGHTS_EXPORT, web::get().to(export));
}

/// Each table of the page, as rows (a header first): the page and its CSV
/// downloads read the same rows.
fn table_rows(of: &str, p: &Process, names: &HashMap<i64, String>) -> Option<Vec<Vec<String>>> {
    let name = |id: i64| {
        names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("person {id}"))
    };
    let rows = match of {
        "summary" => {
            let figures: Vec<(&str, String)> = vec![
                ("loops scheduled", p.loops_scheduled.to_string()),
                ("loops decided", p.loops_decided.to_string()),
                (
                    "median hours from schedule to decision",
                    opt(p.median_hours_schedule_to_decision),
                ),
                (
                    "median hours from the last interview to the decision",
                    opt(p.median_hours_last_interview_to_decision),
                ),
                ("feedback submitted", p.feedback.submitted.to_string()),
                ("feedback on time (share)", opt(p.feedback.on_time_rate)),
                (
                    "median hours to submit feedback",
                    opt(p.feedback.median_hours_to_submit),
                ),
                (
                    "debriefs opened with missing feedback (share)",
                    opt(p.override_rate),
                ),
                (
                    "votes changed in the debrief (share)",
                    opt(p.vote_change_rate),
                ),
                (
                    "changed votes toward the bar raiser's (share)",
                    opt(p.anchoring.toward_bar_raiser),
                ),
                (
                    "changed votes toward the majority (share)",
                    opt(p.anchoring.toward_majority),
                ),
                (
                    "changed votes away from both (share)",
                    opt(p.anchoring.away_from_both),
                ),
                ("vetoes (share of closed debriefs)", opt(p.veto_rate)),
                ("hires (share of decisions)", opt(p.hire_rate)),
                (
                    "decisions against the composite",
                    p.decisions_against_composite.to_string(),
                ),
                (
                    "violations caught at assembly",
                    p.independence_violations.at_assembly.to_string(),
                ),
                (
                    "violations caught after scheduling",
                    p.independence_violations.after_scheduling.to_string(),
                ),
            ];
            std::iter::once(vec!["figure".to_owned(), "value".to_owned()])
                .chain(figures.into_iter().map(|(k, v)| vec![k.to_owned(), v]))
                .collect()
        }
        "shares" => std::iter::once(vec!["share".to_owned(), "percent".to_owned()])
            .chain(
                SHARES
                    .iter()
                    .map(|(label, f)| vec![(*label).to_owned(), pct(f(p))]),
            )
            .collect(),
        "counts" => std::iter::once(vec!["count".to_owned(), "value".to_owned()])
            .chain(
                COUNTS
                    .iter()
                    .zip([
                        p.independence_violations.at_assembly,
                        p.independence_violations.after_scheduling,
                        p.decisions_against_composite,
                    ])
                    .map(|(label, n)| vec![(*label).to_owned(), n.to_string()]),
            )
            .collect(),
        "weeks" => std::iter::once(vec![
            "week starting".into(),
            "scheduled".into(),
            "decided".into(),
        ])
        .chain(p.weeks.iter().map(|w| {
            vec![
                w.starts.to_string(),
                w.scheduled.to_string(),
                w.decided.to_string(),
            ]
        }))
        .collect(),
        "durations" => std::iter::once(vec!["schedule to decision".into(), "loops".into()])
            .chain(
                p.schedule_to_decision
                    .iter()
                    .map(|b| vec![b.label.clone(), b.loops.to_string()]),
            )
            .collect(),
        "bar_raisers" => std::iter::once(vec![
            "bar raiser".into(),
            "debriefs led".into(),
            "vetoes".into(),
            "median debrief hours".into(),
            "changed votes".into(),
            "toward their vote (share)".into(),
        ])
        .chain(p.bar_raisers.iter().map(|b| {
            let anchored = p
                .anchoring
                .bar_raisers
                .iter()
                .find(|a| a.user_id == b.user_id);
            vec![
                name(b.user_id),
                b.debriefs_led.to_string(),
                b.vetoes.to_string(),
                opt(b.median_debrief_hours),
                anchored.map_or(0, |a| a.changed_votes).to_string(),
                opt(anchored.and_then(|a| a.toward_bar_raiser)),
            ]
        }))
        .collect(),
        "interviewers" => std::iter::once(vec![
            "interviewer".into(),
            "feedback".into(),
            "on time (share)".into(),
            "decided".into(),
            "initial vote matched the decision (share)".into(),
        ])
        .chain(p.interviewers.iter().map(|i| {
            vec![
                name(i.user_id),
                i.feedback.to_string(),
                opt(i.on_time_rate),
                i.decided.to_string(),
                opt(i.vote_matched_decision_rate),
            ]
        }))
        .collect(),
        _ => return None,
    };
    Some(rows)
}

/// The shares the process chart draws, with how each is read from the figures.
/// A share's label and how it is read from the figures.
type Share = (&'static str, fn(&Process) -> Option<f64>);

const SHARES: [Share; 5] = [
    ("on time", |p| p.feedback.on_time_rate),
    ("overridden", |p| p.override_rate),
    ("votes changed", |p| p.vote_change_rate),
    ("vetoes", |p| p.veto_rate),
    ("hires", |p| p.hire_rate),
];

const COUNTS: [&str; 3] = ["at assembly", "after scheduling", "against composite"];

fn shares(p: &Process) -> Vec<f64> {
    SHARES
        .iter()
        .map(|(_, f)| f(p).map_or(0.0, |r| (r * 1000.0).round() / 10.0))
        .collect()
}

fn shares_desc(p: &Process) -> String {
    SHARES
        .iter()
        .map(|(label, f)| format!("{label}: {}", pct(f(p))))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Sorts a table's rows (not its header) by column `sort` (`-` first:
/// descending), as numbers where both cells are numbers.
pub fn sorted(mut rows: Vec<Vec<String>>, sort: Option<&str>) -> Vec<Vec<String>> {
    let Some(sort) = sort else { return rows };
    let (desc, key) = match sort.strip_prefix('-') {
        Some(k) => (true, k),
        None => (false, sort),
    };
    let Ok(col) = key.parse::<usize>() else {
        return rows;
    };
    if rows.len() < 2 || col >= rows[0].len() {
        return rows;
    }
    let header = rows.remove(0);
    rows.sort_by(|a, b| {
        let order = match (a[col].parse::<f64>(), b[col].parse::<f64>()) {
            (Ok(x), Ok(y)) => x.total_cmp(&y),
            _ => a[col].cmp(&b[col]),
        };
        if desc { order.reverse() } else { order }
    });
    rows.insert(0, header);
    rows
}

/// A table of `rows` whose column headers sort it (links: no script needed).
fn sortable(id: &str, caption: &str, rows: &[Vec<String>], base: &str, q: &PeriodQuery) -> Markup {
    let current = q.sort.as_deref().unwrap_or("");
    html! {
        div.table-wrap tabindex="0" role="region" aria-label=(caption) {
            table id=(id) {
                caption { (caption) }
                @if let Some((header, body)) = rows.split_first() {
                    thead { tr {
                        @for (c, h) in header.iter().enumerate() {
                            @let asc = c.to_string();
                            @let desc = format!("-{c}");
                            @let state = if current == asc { Some("ascending") } else if current == desc { Some("descending") } else { None };
                            @let next = if current == desc { asc.clone() } else { desc.clone() };
                            th scope="col" aria-sort=[state] {
                                a href=(format!("{base}?{}#{id}", q.query(&[("sort", &next)]))) { (h) }
                            }
                        }
                    } }
                    tbody { @for r in body { tr { @for cell in r { td { (cell) } } } } }
                }
            }
        }
    }
}

fn page(q: &PeriodQuery, p: &Process, names: &HashMap<i64, String>, admin: bool) -> Markup {
    let csv = |of: &str| format!("{}?{}", urls::INSIGHTS_EXPORT, q.query(&[("of", of)]));
    let rows = |of: &str| table_rows(of, p, names).unwrap_or_default();
    let week_labels: Vec<String> = p
        .weeks
        .iter()
        .map(|w| w.starts.format("%d %b").to_string())
        .collect();
    let scheduled: Vec<f64> = p.weeks.iter().map(|w| w.scheduled as f64).collect();
    let decided: Vec<f64> = p.weeks.iter().map(|w| w.decided as f64).collect();
    let bucket_labels: Vec<String> = p
        .schedule_to_decision
        .iter()
        .map(|b| b.label.to_owned())
        .collect();
    let bucket_values: Vec<f64> = p
        .schedule_to_decision
        .iter()
        .map(|b| b.loops as f64)
        .collect();
    html! {
        h1 { "Insights" }
        (period_form(urls::INSIGHTS, q, p.from, p.to))
        p {
            a href=(urls::INSIGHTS_CALIBRATION) { "Calibration" } " · " a href=(urls::INSIGHTS_ME) { "Your own mirror" }
            @if admin { " · " a href=(urls::INSIGHTS_VALIDITY) { "Predictive validity" } }
        }
        section.card aria-labelledby="glance-h" {
            h2 #glance-h { "At a glance" }
            dl.figures {
                div { dt { "Loops scheduled" } dd { (p.loops_scheduled) } }
                div { dt { "Loops decided" } dd { (p.loops_decided) } }
                div { dt { "Median hours from the last interview to the decision" } dd { (opt(p.median_hours_last_interview_to_decision)) } }
                div { dt { "Feedback on time" } dd { (pct(p.feedback.on_time_rate)) } }
                div { dt { "Median hours to submit" } dd { (opt(p.feedback.median_hours_to_submit)) } }
                div { dt { "Debriefs opened with feedback missing" } dd { (pct(p.override_rate)) } }
                div { dt { "Votes changed in the debrief" } dd { (pct(p.vote_change_rate)) } }
                div {
                    dt { "Changed votes that moved toward the bar raiser's" }
                    dd { (pct(p.anchoring.toward_bar_raiser)) span.muted { " · toward the majority " (pct(p.anchoring.toward_majority)) " · away from both " (pct(p.anchoring.away_from_both)) } }
                }
                div { dt { "Vetoes" } dd { (pct(p.veto_rate)) } }
                div { dt { "Hires" } dd { (pct(p.hire_rate)) } }
                div { dt { "Decisions against the composite" } dd { (p.decisions_against_composite) } }
                div { dt { "Violations caught" } dd { (p.independence_violations.at_assembly) " at assembly, " (p.independence_violations.after_scheduling) " after scheduling" } }
            }
            p { a href=(csv("summary")) download { "Download these figures as CSV" } }
        }
        div.charts {
            section.card aria-labelledby="shares-h" {
                h2 #shares-h { "How the process went" }
                (chart::figure(
                    "Feedback on time, debriefs opened with feedback missing (overridden), final votes changed in the debrief, vetoes of closed debriefs and hires of decisions, in percent; no bar where nothing was counted.",
                    chart::bars(
                        &Frame { id: "shares-chart", title: "Shares of the process in percent", desc: &shares_desc(p) },
                        &SHARES.map(|(label, _)| label.to_owned()),
                        &shares(p),
                    ),
                    plain(&rows("shares")),
                    &csv("shares"),
                ))
            }
            section.card aria-labelledby="counts-h" {
                h2 #counts-h { "What the rules caught" }
                (chart::figure(
                    "Independence violations caught, and decisions against the mechanical composite.",
                    chart::bars(
                        &Frame { id: "counts-chart", title: "Violations caught and decisions against the composite", desc: &format!("{} caught at assembly, {} after scheduling, {} decisions against the composite.", p.independence_violations.at_assembly, p.independence_violations.after_scheduling, p.decisions_against_composite) },
                        &COUNTS.map(String::from),
                        &[p.independence_violations.at_assembly as f64, p.independence_violations.after_scheduling as f64, p.decisions_against_composite as f64],
                    ),
                    plain(&rows("counts")),
                    &csv("counts"),
                ))
            }
            section.card aria-labelledby="weeks-h" {
                h2 #weeks-h { "Loops per week" }
                (chart::figure(
                    "Loops scheduled and decided, by the week they happened in.",
                    chart::lines(
                        &Frame { id: "weeks-chart", title: "Loops scheduled and decided per week", desc: &format!("{} weeks; {} loops scheduled and {} decided in all.", p.weeks.len(), p.loops_scheduled, p.loops_decided) },
                        &week_labels,
                        &[Series { name: "Scheduled", class: "one", values: &scheduled }, Series { name: "Decided", class: "two", values: &decided }],
                    ),
                    plain(&rows("weeks")),
                    &csv("weeks"),
                ))
            }
            section.card aria-labelledby="durations-h" {
                h2 #durations-h { "Time from schedule to decision" }
                (chart::figure(
                    &format!("Median {} hours.", opt(p.median_hours_schedule_to_decision)),
                    chart::bars(
                        &Frame { id: "durations-chart", title: "Loops by time from schedule to decision", desc: &format!("{} loops decided; median {} hours.", p.loops_decided, opt(p.median_hours_schedule_to_decision)) },
                        &bucket_labels,
                        &bucket_values,
                    ),
                    plain(&rows("durations")),
                    &csv("durations"),
                ))
            }
        }
        section.card aria-labelledby="br-h" {
            h2 #br-h { "Bar raisers" }
            @if p.withheld_bar_raisers > 0 {
                p.hint { (p.withheld_bar_raisers) " bar raisers led fewer than " (p.min_loops_per_person) " debriefs in the period and are not listed (their debriefs count in every figure above)." }
            }
            (sortable("bar-raisers", "Bar raisers in the period", &sorted(rows("bar_raisers"), q.sort.as_deref()), urls::INSIGHTS, q))
            p { a href=(csv("bar_raisers")) download { "Download as CSV" } }
        }
        section.card aria-labelledby="iv-h" {
            h2 #iv-h { "Interviewers" }
            @if p.withheld_interviewers > 0 {
                p.hint { (p.withheld_interviewers) " interviewers gave feedback on fewer than " (p.min_loops_per_person) " loops and are not listed." }
            }
            (sortable("interviewers", "Interviewers in the period", &sorted(rows("interviewers"), q.sort.as_deref()), urls::INSIGHTS, q))
            p { a href=(csv("interviewers")) download { "Download as CSV" } }
        }
    }
}

/// The figures: kept ones for a preset period when the worker keeps them
/// and they are fresh, else computed now; and when they were computed.
async fn figures(
    state: &AppState,
    viewer: &Viewer,
    q: &PeriodQuery,
) -> Result<(Process, HashMap<i64, String>, Option<chrono::NaiveDateTime>), PageError> {
    let (from, to) = q.period(Utc::now())?;
    let kept = match (q.preset(), state.insights_refresh) {
        (Some(days), Some(every)) => {
            analytics::kept::process(&state.db, &viewer.user, days, fresh_after(every))
                .await
                .map_err(hidden)?
        }
        _ => None,
    };
    let (p, at) = match kept {
        Some(k) => (k.figures, Some(k.computed_at)),
        None => (
            analytics::process(&state.db, state.analytics, &viewer.user, from, to)
                .await
                .map_err(hidden)?,
            None,
        ),
    };
    let ids: Vec<i64> = p
        .bar_raisers
        .iter()
        .map(|b| b.user_id)
        .chain(p.interviewers.iter().map(|i| i.user_id))
        .collect();
    let names = people::display_names(&state.db, ids).await?;
    Ok((p, names, at))
}

/// `GET /insights?days=|from=&to=&sort=`
async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, PageError> {
    let (p, names, at) = figures(&state, &viewer, &q).await?;
    let body = html! {
        (page(&q, &p, &names, viewer.user.is_admin()))
        (as_of(viewer.user.zone(), at, state.insights_refresh))
    };
    Ok(render(&viewer.web, &viewer, "Insights", body))
}

/// `GET /insights/export?of=summary|weeks|durations|bar_raisers|interviewers&…`
async fn export(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<ExportQuery>,
) -> Result<HttpResponse, PageError> {
    let (p, names, _) = figures(&state, &viewer, &q.period).await?;
    let of = q.of.as_deref().unwrap_or("summary");
    let rows = table_rows(of, &p, &names).ok_or(PageError::NotFound)?;
    csv_response(&format!("insights-{of}"), rows)
}
