//! A proposed interview panel, parsed from input before any database work.

use chrono::{DateTime, Timelike, Utc};

use super::{DomainError, all_ok};

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

/// The earliest interview time the service accepts (inclusive), in UTC.
pub const EARLIEST: &str = "2000-01-01T00:00:00Z";
/// The end of the accepted range (exclusive), in UTC.
pub const LATEST: &str = "2100-01-01T00:00:00Z";

/// An interview time: RFC 3339 with an explicit offset (`Z` or `±hh:mm`),
/// between [`EARLIEST`] and [`LATEST`] in UTC, stored in UTC to the
/// microsecond (what both databases keep), so that every time the API returns
/// parses back through the API unchanged.
pub fn parse_timestamp(field: &str, raw: &str) -> Result<DateTime<Utc>, DomainError> {
    let at = DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            DomainError::invalid(
                field,
                "must be an RFC 3339 timestamp with a UTC offset, e.g. 2026-12-01T14:00:00Z",
            )
        })?;
    let bound = |s: &str| DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc));
    match (bound(EARLIEST), bound(LATEST)) {
        (Ok(earliest), Ok(latest)) if (earliest..latest).contains(&at) => {}
        _ => {
            return Err(DomainError::invalid(
                field,
                "must lie between 2000-01-01 and 2100-01-01 UTC",
            ));
        }
    }
    // Both databases keep microseconds: finer digits (Go's RFC3339Nano, say)
    // are dropped here, so what is stored is what the API answers.
    Ok(at
        .with_nanosecond(at.timestamp_subsec_nanos() / 1000 * 1000)
        .unwrap_or(at))
}

/// Parses every entry, collecting every problem (field names like
/// `interviews[2].ends_at`).
pub fn parse_panel(raw: &[RawInterview<'_>]) -> Result<Vec<ProposedInterview>, DomainError> {
    if raw.len() > MAX_INTERVIEWS {
        return Err(DomainError::invalid(
            "interviews",
            format!("a loop has at most {MAX_INTERVIEWS} interviews"),
        ));
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
    all_ok(problems.into_iter().map(Err::<(), _>))?;
    Ok(panel)
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

    fn fields(err: DomainError) -> Vec<String> {
        err.into_field_problems()
            .unwrap()
            .into_iter()
            .map(|p| p.field)
            .collect()
    }

    #[test]
    fn times_outside_2000_to_2100_utc_are_refused() {
        for bad in [
            "9999-12-31T22:00:00-12:00",
            "2099-12-31T23:00:00-01:00",
            "1999-12-31T23:59:59.999999Z",
            "2000-01-01T00:30:00+01:00",
            "0001-01-01T00:00:00Z",
        ] {
            assert!(parse_timestamp("t", bad).is_err(), "{bad}");
        }
        for good in [
            "2000-01-01T00:00:00Z",
            "2099-12-31T23:59:59.999999Z",
            "2100-01-01T00:30:00+01:00",
        ] {
            assert!(parse_timestamp("t", good).is_ok(), "{good}");
        }
    }

    /// Every accepted time, written back the way the API writes it, parses
    /// back to the same instant (a deterministic sweep over the whole range,
    /// offsets from -12:00 to +14:00 and sub-second precision).
    #[test]
    fn every_accepted_time_round_trips_through_its_rfc3339_form() {
        use chrono::{FixedOffset, SecondsFormat, TimeZone};
        let earliest = parse_timestamp("t", EARLIEST).unwrap().timestamp();
        let latest = DateTime::parse_from_rfc3339(LATEST).unwrap().timestamp();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut accepted = 0;
        for _ in 0..20_000 {
            let secs = earliest - 86_400 + (next() % ((latest - earliest) as u64 + 172_800)) as i64;
            let micros = (next() % 1_000_000) as u32;
            let offset_minutes = (next() % (26 * 60 + 1)) as i32 - 12 * 60;
            let offset = FixedOffset::east_opt(offset_minutes * 60).unwrap();
            let local = offset.timestamp_opt(secs, micros * 1000).unwrap();
            let input = local.to_rfc3339_opts(SecondsFormat::AutoSi, false);
            let Ok(at) = parse_timestamp("t", &input) else {
                assert!(
                    !(earliest..latest).contains(&secs),
                    "{input} is inside the range but refused"
                );
                continue;
            };
            accepted += 1;
            // The API writes `DateTime<Utc>` through serde: RFC 3339 with `Z`.
            let output = serde_json::to_value(at).unwrap();
            let again = parse_timestamp("t", output.as_str().unwrap()).unwrap();
            assert_eq!(again, at, "{input} -> {output}");
        }
        assert!(accepted > 19_000, "the sweep stays mostly inside the range");
    }

    #[test]
    fn digits_finer_than_a_microsecond_are_dropped() {
        let at = parse_timestamp("t", "2026-12-01T14:00:00.123456789Z").unwrap();
        assert_eq!(at.timestamp_subsec_nanos(), 123_456_000);
    }

    #[test]
    fn offsets_are_accepted_and_stored_in_utc() {
        let p = parse_panel(&[raw(
            1,
            &[3],
            "2026-12-01T16:00:00+02:00",
            "2026-12-01T13:30:00Z",
        )]);
        assert_eq!(fields(p.unwrap_err()), ["interviews[0].ends_at"]);
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
        assert_eq!(
            fields(errs),
            ["interviews[0].starts_at", "interviews[0].ends_at"]
        );
    }

    #[test]
    fn duplicates_empty_competencies_and_oversized_panels_are_refused() {
        let t = ("2026-12-01T14:00:00Z", "2026-12-01T15:00:00Z");
        let errs = parse_panel(&[raw(1, &[3], t.0, t.1), raw(1, &[], t.0, t.1)]).unwrap_err();
        assert_eq!(fields(errs).len(), 2);
        let many: Vec<RawInterview> = (0..21).map(|i| raw(i, &[3], t.0, t.1)).collect();
        assert!(parse_panel(&many).is_err());
    }
}
