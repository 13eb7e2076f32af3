//! A person's time zone: an IANA name (from the tz database that chrono-tz
//! carries). The API speaks UTC; pages and mail show and accept local times in
//! the viewer's or recipient's zone, always naming it.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone as _, Utc};
use chrono_tz::Tz;

use super::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(Tz);

/// The form a `<input type="datetime-local">` sends and shows.
const LOCAL_INPUT: &str = "%Y-%m-%dT%H:%M";

impl TimeZone {
    pub const UTC: Self = Self(Tz::UTC);

    /// An IANA name as a person or a browser gives it, e.g. `Europe/Berlin`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, DomainError> {
        raw.trim().parse::<Tz>().map(Self).map_err(|_| {
            DomainError::invalid(field, "is not a time zone name such as Europe/Berlin")
        })
    }

    /// The zone a stored name stands for; UTC when none is stored (or, which
    /// cannot happen for names checked by [`parse`], when it is unknown).
    pub fn stored(name: Option<&str>) -> Self {
        name.and_then(|n| n.parse::<Tz>().ok())
            .map_or(Self::UTC, Self)
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// `Mon 30 Nov 2026, 14:00`, in this zone (the caller names the zone).
    pub fn show(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.0)
            .format("%a %-d %b %Y, %H:%M")
            .to_string()
    }

    /// `14:00`, in this zone.
    pub fn show_time(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.0).format("%H:%M").to_string()
    }

    /// The value of a `datetime-local` input showing `at` in this zone.
    pub fn to_input(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.0).format(LOCAL_INPUT).to_string()
    }

    /// A local time typed in this zone (`2026-11-30T14:00`, seconds allowed)
    /// as UTC. A time that the clocks skip is refused; a time they pass twice
    /// is the earlier of the two.
    pub fn parse_local(&self, field: &str, raw: &str) -> Result<DateTime<Utc>, DomainError> {
        let raw = raw.trim();
        let naive = NaiveDateTime::parse_from_str(raw, LOCAL_INPUT)
            .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
            .map_err(|_| DomainError::invalid(field, "is not a date and time"))?;
        match self.0.from_local_datetime(&naive) {
            LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
            LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
            LocalResult::None => Err(DomainError::invalid(
                field,
                format!("does not exist in {} (the clocks skip it)", self.name()),
            )),
        }
    }

    /// The first start on the hour at or after `earliest` of a meeting of
    /// `minutes` inside working hours in this zone: Monday to Friday,
    /// starting at 09:00 or later and ending by 17:00. A start the clocks
    /// skip moves on to the next hour.
    pub fn next_working_slot(&self, earliest: DateTime<Utc>, minutes: u32) -> DateTime<Utc> {
        use chrono::{Datelike as _, Timelike as _, Weekday};
        const START: u32 = 9;
        const END: u32 = 17;
        let local = earliest.with_timezone(&self.0);
        let on_the_hour = local.minute() == 0 && local.second() == 0 && local.nanosecond() == 0;
        let mut day = local.date_naive();
        let mut hour = local.hour() + u32::from(!on_the_hour);
        // A working slot comes within a week; the bound keeps the loop finite.
        for _ in 0..(14 * 24) {
            let working_day = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            let h = hour.max(START);
            if working_day && h * 60 + minutes <= END * 60 {
                if let Some(t) = day
                    .and_hms_opt(h, 0, 0)
                    .and_then(|naive| self.0.from_local_datetime(&naive).earliest())
                {
                    return t.with_timezone(&Utc);
                }
                hour = h + 1;
                continue;
            }
            day = day.succ_opt().unwrap_or(day);
            hour = 0;
        }
        earliest
    }

    /// Every zone name, for the choice on one's profile.
    pub fn all_names() -> impl Iterator<Item = &'static str> {
        chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
    }

    /// The regions people choose a zone in.
    pub const REGIONS: [&'static str; 10] = [
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    ];

    /// The zones of each region (`Europe/Berlin` under `Europe`), by name,
    /// then UTC on its own: the choice a person scrolls and types through.
    /// Legacy aliases (`US/Eastern`, `Etc/GMT+1`) are left out; a person who
    /// has one keeps it.
    pub fn by_region() -> Vec<(&'static str, Vec<&'static str>)> {
        let mut out: Vec<(&'static str, Vec<&'static str>)> =
            Self::REGIONS.iter().map(|r| (*r, Vec::new())).collect();
        for name in Self::all_names() {
            if let Some((region, _)) = name.split_once('/')
                && let Some(group) = out.iter_mut().find(|(r, _)| *r == region)
            {
                group.1.push(name);
            }
        }
        for (_, names) in &mut out {
            names.sort_unstable();
        }
        out.push(("UTC", vec!["UTC"]));
        out
    }

    /// A zone's place as people read it: `Europe/New_York` → `New York`,
    /// `America/Argentina/Buenos_Aires` → `Argentina / Buenos Aires`.
    pub fn place(name: &str) -> String {
        let place = name.split_once('/').map_or(name, |(_, rest)| rest);
        place.replace('_', " ").replace('/', " / ")
    }
}

impl std::fmt::Display for TimeZone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn the_next_working_slot_is_on_the_hour_inside_working_hours_on_a_working_day() {
        let berlin = TimeZone::parse("tz", "Europe/Berlin").unwrap();
        // Tue 1 Dec 2026, 12:30 Berlin (11:30 UTC) → 13:00 Berlin.
        assert_eq!(
            berlin.next_working_slot(utc("2026-12-01T11:30:00Z"), 60),
            utc("2026-12-01T12:00:00Z")
        );
        // Exactly on the hour stays.
        assert_eq!(
            berlin.next_working_slot(utc("2026-12-01T12:00:00Z"), 60),
            utc("2026-12-01T12:00:00Z")
        );
        // 16:30 Berlin: an hour no longer fits before 17:00 → Wed 09:00.
        assert_eq!(
            berlin.next_working_slot(utc("2026-12-01T15:30:00Z"), 60),
            utc("2026-12-02T08:00:00Z")
        );
        // Before 09:00 → 09:00 the same day.
        assert_eq!(
            berlin.next_working_slot(utc("2026-12-01T05:10:00Z"), 60),
            utc("2026-12-01T08:00:00Z")
        );
        // Fri 4 Dec, 18:00 Berlin → Mon 7 Dec, 09:00.
        assert_eq!(
            berlin.next_working_slot(utc("2026-12-04T17:00:00Z"), 60),
            utc("2026-12-07T08:00:00Z")
        );
        // Summer time: Mon 29 Mar 2027 is UTC+2 in Berlin.
        assert_eq!(
            berlin.next_working_slot(utc("2027-03-27T10:00:00Z"), 60),
            utc("2027-03-29T07:00:00Z")
        );
        // Another zone: Sat 5 Dec in Los Angeles → Mon 09:00 PST (17:00 UTC).
        let la = TimeZone::parse("tz", "America/Los_Angeles").unwrap();
        assert_eq!(
            la.next_working_slot(utc("2026-12-05T20:00:00Z"), 60),
            utc("2026-12-07T17:00:00Z")
        );
    }
    #[test]
    fn zones_are_grouped_by_region_without_legacy_aliases() {
        let groups = super::TimeZone::by_region();
        let europe = &groups.iter().find(|(r, _)| *r == "Europe").unwrap().1;
        assert!(europe.contains(&"Europe/Berlin"));
        let all: Vec<&str> = groups.iter().flat_map(|(_, n)| n.iter().copied()).collect();
        assert!(!all.contains(&"US/Eastern") && !all.contains(&"Etc/GMT+1"));
        assert!(all.contains(&"UTC") && all.contains(&"America/New_York"));
        assert!(all.len() > 300, "{}", all.len());
        assert_eq!(
            super::TimeZone::place("America/Argentina/Buenos_Aires"),
            "Argentina / Buenos Aires"
        );
    }

    use super::*;

    #[test]
    fn a_local_time_is_read_in_the_viewers_zone_and_shown_back_the_same() {
        let berlin = TimeZone::parse("time_zone", "Europe/Berlin").unwrap();
        let at = berlin.parse_local("starts_at", "2026-11-30T14:00").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-11-30T13:00:00+00:00");
        assert_eq!(berlin.to_input(at), "2026-11-30T14:00");
        assert_eq!(berlin.show(at), "Mon 30 Nov 2026, 14:00");
        let tokyo = TimeZone::parse("time_zone", "Asia/Tokyo").unwrap();
        assert_eq!(tokyo.show_time(at), "22:00");
    }

    #[test]
    fn a_time_the_clocks_skip_is_refused_and_a_repeated_one_is_the_earlier() {
        let berlin = TimeZone::parse("time_zone", "Europe/Berlin").unwrap();
        let err = berlin
            .parse_local("starts_at", "2026-03-29T02:30")
            .unwrap_err();
        assert!(err.to_string().contains("skip"), "{err}");
        let twice = berlin.parse_local("starts_at", "2026-10-25T02:30").unwrap();
        assert_eq!(twice.to_rfc3339(), "2026-10-25T00:30:00+00:00");
    }

    #[test]
    fn unknown_names_and_garbage_are_refused_and_nothing_stored_means_utc() {
        for raw in ["Mars/Olympus", "", "Europe/Berlin\u{0}", "../etc/passwd"] {
            assert!(TimeZone::parse("time_zone", raw).is_err(), "{raw:?}");
        }
        assert_eq!(TimeZone::stored(None), TimeZone::UTC);
        assert_eq!(TimeZone::stored(Some("nonsense")), TimeZone::UTC);
        for raw in ["2026-13-01T10:00", "tomorrow", ""] {
            assert!(
                TimeZone::UTC.parse_local("starts_at", raw).is_err(),
                "{raw:?}"
            );
        }
    }
}
