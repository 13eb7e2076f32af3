//! iCalendar invitations (RFC 5545 / iTIP), built with the `icalendar` crate.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

/// `REQUEST` invites or updates; `CANCEL` withdraws the invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Request,
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// One interview as a calendar event. `uid` is stable for the interview;
/// `sequence` grows each time it moves, so calendars update the same event.
#[derive(Debug, Clone)]
pub struct Invite {
    pub method: Method,
    pub uid: String,
    pub sequence: u32,
    pub summary: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub organizer: Person,
    pub attendee: Person,
}

/// A parameter value that comes from a person (RFC 5545 §3.2, RFC 6868):
/// always quoted, so `;`, `:` and `,` stay inside it; a DQUOTE, which a quoted
/// value cannot hold, is caret-encoded (`^'`) like a line break (`^n`) and the
/// caret itself (`^^`); other control characters are dropped. The `icalendar`
/// crate writes a value that is already quoted as it is.
pub fn param_value(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 2);
    out.push('"');
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '^' => out.push_str("^^"),
            '"' => out.push_str("^'"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("^n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TEXT value that comes from a person (RFC 5545 §3.3.11). The `icalendar`
/// crate escapes backslash, `;`, `,` and LF; here CR LF and a lone CR become LF
/// and every other control character but tab is dropped, so no raw CR reaches
/// the file and no input can end the line.
pub fn text_value(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push('\n'),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn person(key: &str, p: &Person) -> Property {
    let mut prop = Property::new(key, format!("mailto:{}", p.email));
    prop.add_parameter("CN", &param_value(&p.name));
    prop
}

impl Invite {
    /// The `.ics` text.
    pub fn to_ics(&self) -> String {
        let mut attendee = person("ATTENDEE", &self.attendee);
        attendee.add_parameter("ROLE", "REQ-PARTICIPANT");
        attendee.add_parameter("RSVP", "TRUE");
        let mut event = Event::new();
        event
            .uid(&self.uid)
            .sequence(self.sequence)
            .timestamp(Utc::now())
            .summary(&text_value(&self.summary))
            .description(&text_value(&self.description))
            .starts(self.starts_at)
            .ends(self.ends_at)
            .append_property(person("ORGANIZER", &self.organizer))
            .append_multi_property(attendee);
        event.status(match self.method {
            Method::Request => EventStatus::Confirmed,
            Method::Cancel => EventStatus::Cancelled,
        });
        let mut calendar = Calendar::empty();
        calendar
            .append_property(Property::new("VERSION", "2.0"))
            .append_property(Property::new("PRODID", PRODID))
            .append_property(Property::new("CALSCALE", "GREGORIAN"))
            .append_property(Property::new("METHOD", self.method.as_str()))
            .push(event.done());
        calendar.done().to_string()
    }
}

/// Names the product and its version in every calendar file (RFC 5545 §3.7.3).
pub const PRODID: &str = concat!(
    "-//barraiser//barraiser ",
    env!("CARGO_PKG_VERSION"),
    "//EN"
);

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn invite(method: Method, sequence: u32) -> Invite {
        Invite {
            method,
            uid: "interview-42@barraiser".into(),
            sequence,
            summary: "Interview: Senior Engineer".into(),
            description: "Competencies: Ownership, Dive Deep".into(),
            starts_at: Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap(),
            organizer: Person {
                name: "Rita Cole".into(),
                email: "rita@example.com".into(),
            },
            attendee: Person {
                name: "Dana Lee".into(),
                email: "dana@example.com".into(),
            },
        }
    }

    #[test]
    fn request_carries_uid_sequence_utc_times_and_people() {
        // Unfolded: long content lines are folded at 75 octets.
        let ics = invite(Method::Request, 0).to_ics().replace("\r\n ", "");
        for needle in [
            "BEGIN:VCALENDAR",
            "METHOD:REQUEST",
            "UID:interview-42@barraiser",
            "SEQUENCE:0",
            "DTSTART:20261201T140000Z",
            "DTEND:20261201T150000Z",
            "mailto:rita@example.com",
            "mailto:dana@example.com",
            "STATUS:CONFIRMED",
        ] {
            assert!(ics.contains(needle), "{needle} missing in\n{ics}");
        }
    }

    #[test]
    fn parameter_values_are_quoted_and_caret_encoded() {
        assert_eq!(param_value("Dana Lee"), "\"Dana Lee\"");
        assert_eq!(
            param_value("Eve\";ROLE=CHAIR;X-INJ=\"1"),
            "\"Eve^';ROLE=CHAIR;X-INJ=^'1\""
        );
        assert_eq!(param_value("a^b\r\nc\rd\u{7}"), "\"a^^b^nc^nd\"");
    }

    #[test]
    fn text_values_never_carry_a_raw_carriage_return() {
        assert_eq!(text_value("a\r\nb\rc\nd\u{0}e\tf"), "a\nb\nc\nde\tf");
    }

    #[test]
    fn cancel_keeps_the_uid_and_marks_the_event_cancelled() {
        let ics = invite(Method::Cancel, 3).to_ics();
        assert!(ics.contains("METHOD:CANCEL"));
        assert!(ics.contains("UID:interview-42@barraiser"));
        assert!(ics.contains("SEQUENCE:3"));
        assert!(ics.contains("STATUS:CANCELLED"));
    }
}
