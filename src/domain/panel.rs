//! A proposed interview panel, parsed from input before any database work.

use chrono::{DateTime, Utc};

use super::DomainError;

pub const MAX_INTERVIEWS: usize = 20;

/// An interview as sent by a client.
#[derive(Debug, Clone)]
pub struct RawInterview<'a> {
    pub id: Option<i64>,
    pub interviewer_id: i64,
    pub competency_ids: &'a [i64],
    pub starts_at: &'a str,
    pub ends_at: &'a str,
}

/// An interview that is well formed on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedInterview {
    /// The existing interview this entry keeps, if any.
    pub id: Option<i64>,
    pub interviewer_id: i64,
    pub competency_ids: Vec<i64>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// RFC 3339 with an explicit offset (`Z` or `±hh:mm`), stored in UTC.
pub fn parse_timestamp(field: &str, raw: &str) -> Result<DateTime<Utc>, DomainError> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            DomainError::invalid(
                field,
                "must be an RFC 3339 timestamp with a UTC offset, e.g. 2026-12-01T14:00:00Z",
            )
        })
}

/// Parses every entry, collecting every problem (field names like
/// `interviews[2].ends_at`).
pub fn parse_panel(raw: &[RawInterview<'_>]) -> Result<Vec<ProposedInterview>, Vec<DomainError>> {
    if raw.len() > MAX_INTERVIEWS {
        return Err(vec![DomainError::invalid(
            "interviews",
            format!("a loop has at most {MAX_INTERVIEWS} interviews"),
        )]);
    }
    let mut problems = Vec::new();
    let mut panel = Vec::with_capacity(raw.len());
    for (i, r) in raw.iter().enumerate() {
        let field = |name: &str| format!("interviews[{i}].{name}");
        if raw[..i]
            .iter()
            .any(|earlier| earlier.interviewer_id == r.interviewer_id)
        {
            problems.push(DomainError::invalid(
                field("interviewer_id"),
                "already interviews in this loop",
            ));
        }
        if let Some(id) = r.id
            && raw[..i].iter().any(|earlier| earlier.id == Some(id))
        {
            problems.push(DomainError::invalid(field("id"), "appears twice"));
        }
        let mut competency_ids = r.competency_ids.to_vec();
        competency_ids.sort_unstable();
        competency_ids.dedup();
        if competency_ids.is_empty() {
            problems.push(DomainError::invalid(
                field("competency_ids"),
                "must name at least one competency",
            ));
        } else if competency_ids.len() != r.competency_ids.len() {
            problems.push(DomainError::invalid(
                field("competency_ids"),
                "names a competency twice",
            ));
        }
        let starts = parse_timestamp(&field("starts_at"), r.starts_at);
        let ends = parse_timestamp(&field("ends_at"), r.ends_at);
        match (starts, ends) {
            (Ok(starts_at), Ok(ends_at)) if ends_at <= starts_at => {
                problems.push(DomainError::invalid(
                    field("ends_at"),
                    "must be after starts_at",
                ));
            }
            (Ok(starts_at), Ok(ends_at)) => panel.push(ProposedInterview {
                id: r.id,
                interviewer_id: r.interviewer_id,
                competency_ids,
                starts_at,
                ends_at,
            }),
            (starts, ends) => problems.extend(starts.err().into_iter().chain(ends.err())),
        }
    }
    if problems.is_empty() {
        Ok(panel)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw<'a>(
        interviewer_id: i64,
        comps: &'a [i64],
        starts: &'a str,
        ends: &'a str,
    ) -> RawInterview<'a> {
        RawInterview {
            id: None,
            interviewer_id,
            competency_ids: comps,
            starts_at: starts,
            ends_at: ends,
        }
    }

    #[test]
    fn offsets_are_accepted_and_stored_in_utc() {
        let p = parse_panel(&[raw(
            1,
            &[3],
            "2026-12-01T16:00:00+02:00",
            "2026-12-01T13:30:00Z",
        )]);
        assert_eq!(
            p.unwrap_err()[0],
            DomainError::invalid("interviews[0].ends_at", "must be after starts_at")
        );
        let p = parse_panel(&[raw(
            1,
            &[3],
            "2026-12-01T16:00:00+02:00",
            "2026-12-01T15:30:00Z",
        )])
        .unwrap();
        assert_eq!(p[0].starts_at.to_rfc3339(), "2026-12-01T14:00:00+00:00");
    }

    #[test]
    fn timestamps_without_offsets_are_refused() {
        let errs =
            parse_panel(&[raw(1, &[3], "2026-12-01T14:00:00", "2026-12-01 15:00")]).unwrap_err();
        let fields: Vec<String> = errs
            .iter()
            .map(|e| match e {
                DomainError::Invalid { field, .. } => field.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(fields, ["interviews[0].starts_at", "interviews[0].ends_at"]);
    }

    #[test]
    fn duplicates_empty_competencies_and_oversized_panels_are_refused() {
        let t = ("2026-12-01T14:00:00Z", "2026-12-01T15:00:00Z");
        let errs = parse_panel(&[raw(1, &[3], t.0, t.1), raw(1, &[], t.0, t.1)]).unwrap_err();
        assert_eq!(errs.len(), 2);
        let many: Vec<RawInterview> = (0..21).map(|i| raw(i, &[3], t.0, t.1)).collect();
        assert!(parse_panel(&many).is_err());
    }
}
