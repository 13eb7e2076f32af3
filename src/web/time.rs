//! Times as pages show them: in the viewer's zone, the zone always named.

use chrono::{DateTime, Utc};
use maud::{Markup, html};

use crate::domain::TimeZone;

/// `Mon 30 Nov 2026, 14:00 Europe/Berlin`, in a `<time>` element carrying UTC.
pub fn when(zone: TimeZone, at: DateTime<Utc>) -> Markup {
    html! {
        time datetime=(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)) {
            (zone.show(at)) " " (zone.name())
        }
    }
}

/// A span of time to a person: `3 h 20 min`, `2 days 4 h`.
pub fn ago(now: DateTime<Utc>, then: DateTime<Utc>) -> String {
    let minutes = (now - then).num_minutes().max(0);
    let (days, hours, mins) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, h) => format!("{h} h {mins} min"),
        (1, h) => format!("1 day {h} h"),
        (d, h) => format!("{d} days {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lateness_reads_in_days_hours_and_minutes() {
        let now = DateTime::parse_from_rfc3339("2026-11-26T12:00:00Z")
            .unwrap()
            .to_utc();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        assert_eq!(ago(now, at("2026-11-26T11:35:00Z")), "25 min");
        assert_eq!(ago(now, at("2026-11-26T08:40:00Z")), "3 h 20 min");
        assert_eq!(ago(now, at("2026-11-25T10:00:00Z")), "1 day 2 h");
        assert_eq!(ago(now, at("2026-11-22T09:00:00Z")), "4 days 3 h");
    }
}
