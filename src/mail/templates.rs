//! Every message barraiser sends, as pure functions from data to subject, plain
//! text and HTML. Messages carry no secret and no candidate data: a candidate is
//! referred to by the role they interview for, and the link leads to the
//! details behind sign-in. Every value placed into HTML is escaped.

use chrono::{DateTime, Utc};

use crate::domain::TimeZone;

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A time in the recipient's zone, the zone named.
fn when(zone: TimeZone, at: DateTime<Utc>) -> String {
    format!("{} {}", zone.show(at), zone.name())
}

/// One paragraph of a message: plain text, rendered escaped in HTML.
enum Block {
    Para(String),
    List(Vec<String>),
    Link { label: String, url: String },
}

/// Lays out the same blocks as text and as HTML.
fn render(subject: String, greeting: &str, blocks: Vec<Block>) -> Rendered {
    let mut text = format!("{greeting}\n\n");
    let mut html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.5\"><p>{}</p>",
        escape(greeting)
    );
    for block in blocks {
        match block {
            Block::Para(p) => {
                text.push_str(&format!("{p}\n\n"));
                html.push_str(&format!("<p>{}</p>", escape(&p)));
            }
            Block::List(items) => {
                html.push_str("<ul>");
                for item in items {
                    text.push_str(&format!("  - {item}\n"));
                    html.push_str(&format!("<li>{}</li>", escape(&item)));
                }
                text.push('\n');
                html.push_str("</ul>");
            }
            Block::Link { label, url } => {
                text.push_str(&format!("{label}: {url}\n\n"));
                html.push_str(&format!(
                    "<p><a href=\"{}\">{}</a></p>",
                    escape(&url),
                    escape(&label)
                ));
            }
        }
    }
    text.push_str("-- \nbarraiser\n");
    html.push_str("<p style=\"color:#666\">barraiser</p></body></html>");
    Rendered {
        subject,
        text,
        html,
    }
}

pub fn account_created(name: &str, email: &str, public_url: &str) -> Rendered {
    render(
        "Your barraiser account".into(),
        &format!("Hello {name},"),
        vec![
            Block::Para(format!(
                "An administrator created a barraiser account for you. Sign in with {email} and the password your administrator gives you, then change it."
            )),
            Block::Link {
                label: "Sign in".into(),
                url: public_url.to_owned(),
            },
        ],
    )
}

/// An invitation to a new account: a single-use link to choose a password.
pub fn account_invitation(name: &str, email: &str, set_password_url: &str, hours: i64) -> Rendered {
    render(
        "You are invited to barraiser".into(),
        &format!("Hello {name},"),
        vec![
            Block::Para(format!(
                "An administrator created a barraiser account for you ({email}). barraiser is where your company runs interview loops: interview kits, feedback, debriefs and decisions."
            )),
            Block::Para(format!(
                "Choose your password with the link below. It works once, for {hours} hours; after that, ask for a new one with \"Forgot your password?\" on the sign-in page."
            )),
            Block::Link {
                label: "Choose your password".into(),
                url: set_password_url.to_owned(),
            },
        ],
    )
}

/// A password reset someone asked for on the sign-in page.
pub fn password_reset(name: &str, set_password_url: &str, minutes: i64) -> Rendered {
    render(
        "Reset your barraiser password".into(),
        &format!("Hello {name},"),
        vec![
            Block::Para(format!(
                "Someone asked to reset the password of your barraiser account. If it was you, choose a new password with the link below; it works once, for {minutes} minutes, and signs you out everywhere else."
            )),
            Block::Para(
                "If it was not you, ignore this message: your password stays as it is.".into(),
            ),
            Block::Link {
                label: "Choose a new password".into(),
                url: set_password_url.to_owned(),
            },
        ],
    )
}

/// What an interview invitation says.
#[derive(Debug, Clone)]
pub struct InterviewNotice<'a> {
    pub interviewer_name: &'a str,
    pub role_title: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub competencies: Vec<String>,
    pub kit_url: &'a str,
    /// The interviewer's time zone: the times are shown in it.
    pub zone: TimeZone,
}

pub fn interview_assigned(n: &InterviewNotice<'_>) -> Rendered {
    render(
        format!(
            "Interview: {} on {}",
            n.role_title,
            when(n.zone, n.starts_at)
        ),
        &format!("Hello {},", n.interviewer_name),
        vec![
            Block::Para(format!(
                "You interview a candidate for {} from {} to {}. The calendar invitation is attached.",
                n.role_title,
                when(n.zone, n.starts_at),
                when(n.zone, n.ends_at)
            )),
            Block::Para("You assess these competencies:".into()),
            Block::List(n.competencies.clone()),
            Block::Para(
                "Write your feedback before you talk about the candidate with anyone on the panel."
                    .into(),
            ),
            Block::Link {
                label: "Open the interview kit".into(),
                url: n.kit_url.to_owned(),
            },
        ],
    )
}

pub fn interview_cancelled(n: &InterviewNotice<'_>) -> Rendered {
    render(
        format!(
            "Cancelled: interview for {} on {}",
            n.role_title,
            when(n.zone, n.starts_at)
        ),
        &format!("Hello {},", n.interviewer_name),
        vec![Block::Para(format!(
            "Your interview for {} on {} no longer takes place. The attached update removes it from your calendar.",
            n.role_title,
            when(n.zone, n.starts_at)
        ))],
    )
}

pub fn feedback_reminder(
    interviewer_name: &str,
    role_title: &str,
    due_at: DateTime<Utc>,
    zone: TimeZone,
    reminder_number: u32,
    feedback_url: &str,
) -> Rendered {
    let mut blocks = vec![Block::Para(format!(
        "Your feedback for the interview for {role_title} was due {}. The debrief waits for it.",
        when(zone, due_at)
    ))];
    if reminder_number >= 2 {
        blocks.push(Block::Para(
            "Your manager and the recruiter are copied on this reminder.".into(),
        ));
    }
    blocks.push(Block::Link {
        label: "Write your feedback".into(),
        url: feedback_url.to_owned(),
    });
    render(
        format!("Reminder {reminder_number}: feedback overdue for {role_title}"),
        &format!("Hello {interviewer_name},"),
        blocks,
    )
}

pub fn debrief_opened(
    recipient_name: &str,
    role_title: &str,
    bar_raiser_name: &str,
    loop_url: &str,
) -> Rendered {
    render(
        format!("Debrief open: {role_title}"),
        &format!("Hello {recipient_name},"),
        vec![
            Block::Para(format!(
                "{bar_raiser_name} opened the debrief for the loop for {role_title}. Read the packet, mark it read, then record your final vote."
            )),
            Block::Link {
                label: "Open the debrief".into(),
                url: loop_url.to_owned(),
            },
        ],
    )
}

pub fn decision_recorded(
    recipient_name: &str,
    role_title: &str,
    decision: &str,
    loop_url: &str,
) -> Rendered {
    render(
        format!("Decision recorded: {role_title}"),
        &format!("Hello {recipient_name},"),
        vec![
            Block::Para(format!(
                "The hiring manager recorded the decision for the loop for {role_title}: {decision}."
            )),
            Block::Para(
                "Panel members can record that they commit to the decision, with a dissent note if they disagree."
                    .into(),
            ),
            Block::Link {
                label: "Open the loop".into(),
                url: loop_url.to_owned(),
            },
        ],
    )
}

pub fn independence_turned_red(
    recruiter_name: &str,
    role_title: &str,
    failures: &[String],
    loop_url: &str,
) -> Rendered {
    render(
        format!("Action needed: loop for {role_title} is no longer independent"),
        &format!("Hello {recruiter_name},"),
        vec![
            Block::Para(format!(
                "A change in the organisation broke the independence rules of the loop for {role_title}. Its debrief cannot open until they pass again:"
            )),
            Block::List(failures.to_vec()),
            Block::Link {
                label: "Open the loop".into(),
                url: loop_url.to_owned(),
            },
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn html_escapes_every_value() {
        let r = account_created(
            "<script>alert(1)</script>",
            "a&b@example.com",
            "https://x/?a=1&b=\"2\"",
        );
        assert!(!r.html.contains("<script>"));
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(r.html.contains("a&amp;b@example.com"));
        assert!(
            r.html
                .contains("href=\"https://x/?a=1&amp;b=&quot;2&quot;\"")
        );
        assert!(r.text.contains("<script>"), "plain text stays as written");
    }

    #[test]
    fn interview_assigned_names_role_time_and_competencies() {
        let n = InterviewNotice {
            interviewer_name: "Dana Lee",
            role_title: "Senior Engineer",
            starts_at: Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap(),
            competencies: vec!["Ownership".into(), "Dive Deep".into()],
            kit_url: "http://127.0.0.1:8080/interviews/7",
            zone: crate::domain::TimeZone::parse("time_zone", "Europe/Berlin").unwrap(),
        };
        let r = interview_assigned(&n);
        assert_eq!(
            r.subject,
            "Interview: Senior Engineer on Tue 1 Dec 2026, 15:00 Europe/Berlin"
        );
        assert_eq!(
            r.text,
            "Hello Dana Lee,\n\nYou interview a candidate for Senior Engineer from Tue 1 Dec 2026, 15:00 Europe/Berlin \
             to Tue 1 Dec 2026, 16:00 Europe/Berlin. The calendar invitation is attached.\n\nYou assess these competencies:\n\n  \
             - Ownership\n  - Dive Deep\n\nWrite your feedback before you talk about the candidate with anyone on the panel.\n\n\
             Open the interview kit: http://127.0.0.1:8080/interviews/7\n\n-- \nbarraiser\n"
        );
        assert!(r.html.contains("<li>Dive Deep</li>"));
    }

    #[test]
    fn later_reminders_say_that_the_manager_is_copied() {
        let due = Utc.with_ymd_and_hms(2026, 12, 2, 15, 0, 0).unwrap();
        assert!(
            !feedback_reminder("Dana", "SDE", due, crate::domain::TimeZone::UTC, 1, "u")
                .text
                .contains("copied")
        );
        assert!(
            feedback_reminder("Dana", "SDE", due, crate::domain::TimeZone::UTC, 2, "u")
                .text
                .contains("copied")
        );
    }
}
