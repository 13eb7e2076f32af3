//! `/insights`: the hiring process's figures as charts people read, with
//! their numbers in tables and as CSV — the process (recruiters and admins),
//! calibration (admins and certified bar raisers) and one's own mirror
//! (everyone, private). The figures are the API's, from the same services.
//! Anyone the service refuses gets the 404 page, as for any page they may
//! not see.

mod calibration;
mod me;
mod process;
mod validity;

use actix_web::HttpResponse;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use maud::{Markup, html};

use super::page::{PageError, csv_download};
use crate::error::{ErrorClass, ServiceError};
use crate::services::analytics::parse_period;

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.configure(process::routes)
        .configure(calibration::routes)
        .configure(validity::routes)
        .configure(me::routes);
}

/// A period as the pages take it: a preset (`days=30|90|365`), or dates
/// (`from`, `to`, both days included), or RFC 3339 instants as the API takes them.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct PeriodQuery {
    pub days: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Option<String>,
}

pub const PRESETS: [i64; 3] = [30, 90, 365];

impl PeriodQuery {
    /// `[from, to)`, or the page's answer to a bad period (the form again is
    /// not needed: the presets are links).
    pub fn period(&self, now: DateTime<Utc>) -> Result<(DateTime<Utc>, DateTime<Utc>), PageError> {
        if let Some(days) = given(&self.days) {
            let days: i64 = days
                .parse()
                .ok()
                .filter(|d| (1..=3660).contains(d))
                .ok_or_else(|| refused("days must be a whole number of days, up to ten years"))?;
            return Ok((now - TimeDelta::days(days), now));
        }
        let day = |raw: &str, after: bool| -> Option<String> {
            let d = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
            let d = if after { d.succ_opt()? } else { d };
            Some(format!("{d}T00:00:00Z"))
        };
        let from = given(&self.from).map(|f| day(f, false).unwrap_or_else(|| f.to_owned()));
        let to = given(&self.to).map(|t| day(t, true).unwrap_or_else(|| t.to_owned()));
        parse_period(from.as_deref(), to.as_deref(), now).map_err(|e| refused(&e.to_string()))
    }

    /// The preset this period is (`days=30|90|365`, or nothing given: the
    /// default 90 days), whose figures the worker may have kept.
    pub fn preset(&self) -> Option<i64> {
        match (given(&self.days), given(&self.from), given(&self.to)) {
            (None, None, None) => Some(crate::services::analytics::DEFAULT_DAYS),
            (Some(d), None, None) => d.parse().ok().filter(|d| PRESETS.contains(d)),
            _ => None,
        }
    }

    /// The query string of this period (and `extra` pairs), for links.
    pub fn query(&self, extra: &[(&str, &str)]) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("days", &self.days), ("from", &self.from), ("to", &self.to)] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                q.append_pair(k, v);
            }
        }
        for (k, v) in extra {
            q.append_pair(k, v);
        }
        q.finish()
    }
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn refused(reason: &str) -> PageError {
    PageError::Refused {
        status: actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
        reason: format!("Not a period: {reason}."),
    }
}

/// A service's refusal as the insights pages answer it: what a person may not
/// see is the 404 page, like any page they may not open.
pub fn hidden(e: ServiceError) -> PageError {
    if e.class() == ErrorClass::Forbidden {
        PageError::NotFound
    } else {
        e.into()
    }
}

/// The period chooser: presets as links, dates as a form.
pub fn period_form(path: &str, q: &PeriodQuery, from: DateTime<Utc>, to: DateTime<Utc>) -> Markup {
    let shown_to = (to - TimeDelta::seconds(1)).date_naive();
    html! {
        nav.period aria-label="Period" {
            p {
                "From " strong { (from.date_naive()) } " to " strong { (shown_to) } " (UTC). "
                @for d in PRESETS {
                    @let current = q.days.as_deref() == Some(d.to_string().as_str());
                    a href=(format!("{path}?days={d}")) aria-current=[current.then_some("true")] { "last " (d) " days" }
                    " "
                }
            }
            form method="get" action=(path) {
                label for="p-from" { "From" }
                input #p-from type="date" name="from" value=(from.date_naive());
                label for="p-to" { "To" }
                input #p-to type="date" name="to" value=(shown_to);
                button.secondary type="submit" { "Show" }
            }
        }
    }
}

/// Kept figures are used while younger than twice the refresh interval.
pub fn fresh_after(refresh: std::time::Duration) -> DateTime<Utc> {
    Utc::now() - TimeDelta::from_std(refresh * 2).unwrap_or(TimeDelta::minutes(10))
}

/// Says how old kept figures are.
pub fn as_of(
    zone: crate::domain::TimeZone,
    at: Option<chrono::NaiveDateTime>,
    every: Option<std::time::Duration>,
) -> Markup {
    html! {
        @if let (Some(at), Some(every)) = (at, every) {
            p.hint #as-of {
                "Figures as of " (super::time::when(zone, at.and_utc()))
                "; they are computed again every " (every.as_secs().div_ceil(60)) " minutes. Choose dates for figures computed now."
            }
        }
    }
}

/// A CSV download of one of a page's tables: the period and which table.
#[derive(serde::Deserialize)]
struct ExportQuery {
    #[serde(flatten)]
    period: PeriodQuery,
    of: Option<String>,
}

/// A table of `rows` (a header first; each row's first cell heads the row).
fn plain(rows: &[Vec<String>]) -> Markup {
    html! {
        table {
            @if let Some((header, body)) = rows.split_first() {
                thead { tr { @for h in header { th scope="col" { (h) } } } }
                tbody { @for r in body { tr { @for (i, c) in r.iter().enumerate() {
                    @if i == 0 { th scope="row" { (c) } } @else { td { (c) } }
                } } } }
            }
        }
    }
}

/// A CSV body offered as a download.
pub fn csv_response(name: &str, rows: Vec<Vec<String>>) -> Result<HttpResponse, PageError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in rows {
        out.write_record(&row)
            .map_err(|_| PageError::internal("CSV could not be written"))?;
    }
    let body = out
        .into_inner()
        .map_err(|_| PageError::internal("CSV could not be written"))?;
    Ok(csv_download(&format!("{name}.csv"), body))
}

/// An optional figure as a table shows it (`—` when there is none).
pub fn opt(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), super::chart::number)
}

/// A share as a percentage (`—` when there is none).
pub fn pct(x: Option<f64>) -> String {
    x.map_or_else(
        || "—".to_owned(),
        |r| format!("{}%", super::chart::number(r * 100.0)),
    )
}
