//! The builder's form as typed: its panel rows (what was typed, even when not
//! valid yet), parsed into a loop or its problems, with each problem moved to
//! the row it came from.

use crate::domain::FeedbackWindow;
use crate::domain::panel::{RawInterview, parse_panel};
use crate::domain::{
    CandidateId, DomainError, Email, FieldProblem, LoopId, PersonName, RequisitionId, TimeZone,
    UserId,
};
use crate::services::hiring::builder::{CandidateChoice, Preview, Sketch};
use crate::services::hiring::candidates::NewPerson;
use crate::services::people::picker::PickKind;
use crate::web::form::Form;
use crate::web::picker::{Typed, typed};

/// A panel row as the form holds it (what was typed, even when not valid yet).
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub(super) id: Option<i64>,
    pub(super) interviewer_id: Option<i64>,
    pub(super) competency_ids: Vec<i64>,
    pub(super) starts_at: String,
    pub(super) ends_at: String,
    /// The length that fills an empty end (minutes).
    pub(super) minutes: i64,
}

impl Default for Row {
    fn default() -> Self {
        Row {
            id: None,
            interviewer_id: None,
            competency_ids: Vec::new(),
            starts_at: String::new(),
            ends_at: String::new(),
            minutes: DEFAULT_MINUTES,
        }
    }
}

/// The lengths the builder offers for an interview, and the one it starts with.
pub(super) const LENGTHS: [i64; 5] = [30, 45, 60, 75, 90];
pub(super) const DEFAULT_MINUTES: i64 = 60;

/// The end of an interview that starts at `starts_at` (as the form holds
/// it) and lasts `minutes`; `None` when the start is not a time yet.
pub(super) fn end_after(starts_at: &str, minutes: i64) -> Option<String> {
    let start = chrono::NaiveDateTime::parse_from_str(starts_at, "%Y-%m-%dT%H:%M").ok()?;
    Some(
        (start + chrono::TimeDelta::minutes(minutes))
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
    )
}

/// The builder's form as submitted.
#[derive(Debug, Default)]
pub(super) struct Submitted {
    pub(super) new_candidate: bool,
    pub(super) candidate_name: String,
    pub(super) candidate_email: String,
    pub(super) action: String,
}

/// The form's content: the sketch for the service, the rows as typed, and
/// what could not be read. Row indexes of the sketch's panel map back to the
/// form's rows through `row_of`.
pub(super) struct Parsed {
    pub(super) sketch: Sketch,
    pub(super) rows: Vec<Row>,
    pub(super) submitted: Submitted,
    pub(super) problems: Vec<FieldProblem>,
    pub(super) row_of: Vec<usize>,
}

pub(super) fn row_indexes(form: &Form) -> Vec<usize> {
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

pub(super) fn parse(form: &Form, zone: TimeZone, editing: Option<LoopId>) -> Parsed {
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
                minutes: form
                    .get(&f("minutes"))
                    .and_then(|v| v.parse().ok())
                    .filter(|m| LENGTHS.contains(m))
                    .unwrap_or(DEFAULT_MINUTES),
            }
        })
        .map(|mut row| {
            // An empty end is the start plus the chosen length.
            if row.ends_at.is_empty()
                && let Some(end) = end_after(&row.starts_at, row.minutes)
            {
                row.ends_at = end;
            }
            row
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
            feedback_window: FeedbackWindow::DEFAULT,
            panel,
            also_named: rows.iter().filter_map(|r| r.interviewer_id).collect(),
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
pub(super) fn remap(mut p: FieldProblem, row_of: &[usize]) -> FieldProblem {
    if let Some(rest) = p.field.strip_prefix("interviews[")
        && let Some((n, tail)) = rest.split_once(']')
        && let Ok(n) = n.parse::<usize>()
        && let Some(row) = row_of.get(n)
    {
        p.field = format!("interviews[{row}]{tail}");
    }
    p
}

pub(super) fn remap_preview(mut preview: Preview, row_of: &[usize]) -> Preview {
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

/// The texts typed into the builder's pickers since their people were
/// chosen: the bar raiser's and each row's interviewer's.
pub(super) fn typed_picks(form: &mut Form) -> Vec<Typed> {
    let mut out: Vec<Typed> = typed(form, "bar_raiser_id", PickKind::BarRaiser)
        .into_iter()
        .collect();
    for i in row_indexes(form) {
        out.extend(typed(
            form,
            &format!("interviews[{i}].interviewer_id"),
            PickKind::Anyone,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_end_is_the_start_plus_the_chosen_length() {
        let form = Form::parse(&actix_web::web::Bytes::from_static(
            b"interviews[0].interviewer_id=3&interviews[0].starts_at=2030-03-01T23%3A30&interviews[0].minutes=45\
              &interviews[1].interviewer_id=4&interviews[1].starts_at=2030-03-01T10%3A00&interviews[1].ends_at=2030-03-01T10%3A30",
        ));
        let parsed = parse(&form, TimeZone::UTC, None);
        assert_eq!(
            parsed.rows[0].ends_at, "2030-03-02T00:15",
            "across midnight"
        );
        assert_eq!(
            parsed.rows[1].ends_at, "2030-03-01T10:30",
            "a given end stays"
        );
        assert_eq!(end_after("", 60), None);
        assert_eq!(
            end_after("2030-03-01T09:00", DEFAULT_MINUTES).as_deref(),
            Some("2030-03-01T10:00")
        );
    }
}
