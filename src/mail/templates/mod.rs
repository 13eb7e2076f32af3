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
    pub candidate_name: &'a str,
    pub role_title: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub competencies: Vec<String>,
    pub kit_url: &'a str,
    /// The interviewer's time zone: the times are shown in it.
    pub zone: TimeZone,
    /// The interviewer is the loop's bar raiser.
    pub bar_raiser: bool,
}

/// What changed in an interview the interviewer already had.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InterviewChange {
    /// The time it had before, when it moved.
    pub moved_from: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// The competencies it had before, when they changed.
    pub competencies_were: Option<Vec<String>>,
}

impl InterviewChange {
    pub fn is_empty(&self) -> bool {
        self.moved_from.is_none() && self.competencies_were.is_none()
    }
}

fn span(zone: TimeZone, starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
    format!("{} to {}", when(zone, starts), zone.show_time(ends))
}

const BAR_RAISER_ROLE: &str = "You are the bar raiser of this loop. Your judgement is independent of the hiring manager and of recruiting: you hold the bar for the whole company, not for this team. Interview like everyone else, then lead the debrief once the panel's feedback is in; you close it with a recommendation and, if the bar is not met, a veto.";

pub fn interview_assigned(n: &InterviewNotice<'_>) -> Rendered {
    let mut blocks = vec![Block::Para(format!(
        "You interview {} for {}, {}. The calendar invitation is attached.",
        n.candidate_name,
        n.role_title,
        span(n.zone, n.starts_at, n.ends_at)
    ))];
    if n.bar_raiser {
        blocks.push(Block::Para(BAR_RAISER_ROLE.into()));
    }
    blocks.extend([
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
    ]);
    let subject = if n.bar_raiser {
        format!(
            "Bar raiser: interview with {} for {}, {}",
            n.candidate_name,
            n.role_title,
            when(n.zone, n.starts_at)
        )
    } else {
        format!(
            "Interview with {} for {}, {}",
            n.candidate_name,
            n.role_title,
            when(n.zone, n.starts_at)
        )
    };
    render(subject, &format!("Hello {},", n.interviewer_name), blocks)
}

/// An interview the interviewer already had moved or assesses other competencies.
pub fn interview_changed(n: &InterviewNotice<'_>, change: &InterviewChange) -> Rendered {
    let mut blocks = Vec::new();
    if let Some((starts, ends)) = change.moved_from {
        blocks.push(Block::Para(format!(
            "Your interview with {} for {} moved: it was {}; it is now {}. The attached update changes your calendar.",
            n.candidate_name,
            n.role_title,
            span(n.zone, starts, ends),
            span(n.zone, n.starts_at, n.ends_at)
        )));
    }
    if let Some(before) = &change.competencies_were {
        blocks.push(Block::Para(format!(
            "The competencies you assess in your interview with {} changed. You assess now:",
            n.candidate_name
        )));
        blocks.push(Block::List(n.competencies.clone()));
        blocks.push(Block::Para(format!(
            "Before, they were: {}.",
            before.join(", ")
        )));
    }
    blocks.push(Block::Link {
        label: "Open the interview kit".into(),
        url: n.kit_url.to_owned(),
    });
    render(
        format!(
            "Changed: interview with {} for {}, {}",
            n.candidate_name,
            n.role_title,
            when(n.zone, n.starts_at)
        ),
        &format!("Hello {},", n.interviewer_name),
        blocks,
    )
}

/// What a debrief proposal says to one of its people.
#[derive(Debug, Clone)]
pub struct DebriefNotice<'a> {
    pub about: LoopAbout<'a>,
    pub bar_raiser_name: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The recipient's time zone: the times are shown in it.
    pub zone: TimeZone,
    pub room_url: &'a str,
}

/// The debrief proposed (`moved_from`: the time it had before it moved).
pub fn debrief_proposed(
    n: &DebriefNotice<'_>,
    moved_from: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> Rendered {
    let LoopAbout {
        recipient_name,
        candidate_name,
        role_title,
    } = n.about;
    let mut blocks = vec![match moved_from {
        None => Block::Para(format!(
            "The debrief for {candidate_name} ({role_title}) is proposed for {}, in the working hours of {}, the bar raiser, soon after the last interview. The attached invitation puts it in your calendar.",
            span(n.zone, n.starts_at, n.ends_at),
            n.bar_raiser_name,
        )),
        Some((starts, ends)) => Block::Para(format!(
            "The debrief for {candidate_name} ({role_title}) moved with the last interview: it was {}; it is now {}. The attached update changes your calendar.",
            span(n.zone, starts, ends),
            span(n.zone, n.starts_at, n.ends_at),
        )),
    }];
    blocks.push(Block::Para(
        "The panel's feedback is due before it: the debrief reads its evidence.".into(),
    ));
    blocks.push(Block::Link {
        label: "The debrief room".into(),
        url: n.room_url.to_owned(),
    });
    let verb = if moved_from.is_some() {
        "moved"
    } else {
        "proposed"
    };
    render(
        format!(
            "Debrief {verb}: {candidate_name} for {role_title}, {}",
            when(n.zone, n.starts_at)
        ),
        &format!("Hello {recipient_name},"),
        blocks,
    )
}

/// The proposed debrief no longer takes place (the loop was cancelled).
pub fn debrief_cancelled(n: &DebriefNotice<'_>) -> Rendered {
    let LoopAbout {
        recipient_name,
        candidate_name,
        role_title,
    } = n.about;
    render(
        format!(
            "Cancelled: debrief for {candidate_name} for {role_title}, {}",
            when(n.zone, n.starts_at)
        ),
        &format!("Hello {recipient_name},"),
        vec![Block::Para(format!(
            "The loop for {candidate_name} ({role_title}) was cancelled, so its debrief ({}) no longer takes place. The attached update removes it from your calendar.",
            span(n.zone, n.starts_at, n.ends_at)
        ))],
    )
}

pub fn interview_cancelled(n: &InterviewNotice<'_>) -> Rendered {
    render(
        format!(
            "Cancelled: interview with {} for {}, {}",
            n.candidate_name,
            n.role_title,
            when(n.zone, n.starts_at)
        ),
        &format!("Hello {},", n.interviewer_name),
        vec![Block::Para(format!(
            "Your interview with {} for {} ({}) no longer takes place. The attached update removes it from your calendar.",
            n.candidate_name,
            n.role_title,
            span(n.zone, n.starts_at, n.ends_at)
        ))],
    )
}

pub fn feedback_reminder(
    about: &LoopAbout<'_>,
    due_at: DateTime<Utc>,
    zone: TimeZone,
    reminder_number: u32,
    feedback_url: &str,
) -> Rendered {
    let LoopAbout {
        recipient_name,
        candidate_name,
        role_title,
    } = *about;
    let mut blocks = vec![Block::Para(format!(
        "Your feedback on {candidate_name} ({role_title}) was due {}. The debrief waits for it.",
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
        format!(
            "Reminder {reminder_number}: your feedback on {candidate_name} for {role_title} was due {}",
            when(zone, due_at)
        ),
        &format!("Hello {recipient_name},"),
        blocks,
    )
}

/// A reminder a recruiter sends by hand about feedback not yet submitted.
pub fn feedback_requested(
    about: &LoopAbout<'_>,
    due_at: DateTime<Utc>,
    zone: TimeZone,
    sender_name: &str,
    feedback_url: &str,
) -> Rendered {
    let LoopAbout {
        recipient_name,
        candidate_name,
        role_title,
    } = *about;
    render(
        format!("{sender_name} asks for your feedback on {candidate_name} for {role_title}"),
        &format!("Hello {recipient_name},"),
        vec![
            Block::Para(format!(
                "{sender_name} is waiting for your feedback on {candidate_name} ({role_title}); it is due {}. The debrief cannot start without it.",
                when(zone, due_at)
            )),
            Block::Link {
                label: "Write your feedback".into(),
                url: feedback_url.to_owned(),
            },
        ],
    )
}

pub fn debrief_opened(about: &LoopAbout<'_>, bar_raiser_name: &str, loop_url: &str) -> Rendered {
    let LoopAbout {
        recipient_name,
        candidate_name,
        role_title,
    } = *about;
    render(
        format!("Debrief open: {candidate_name} for {role_title}"),
        &format!("Hello {recipient_name},"),
        vec![
            Block::Para(format!(
                "{bar_raiser_name} opened the debrief for {candidate_name} ({role_title}). Read the packet, mark it read, then record your final vote."
            )),
            Block::Link {
                label: "Open the loop".into(),
                url: loop_url.to_owned(),
            },
        ],
    )
}

pub fn more_signal_requested(
    about: &LoopAbout<'_>,
    requested_by_name: &str,
    competency_names: &[String],
    builder_url: &str,
) -> Rendered {
    let LoopAbout {
        recipient_name,
        candidate_name,
        role_title,
    } = *about;
    render(
        format!("More signal needed: {candidate_name} for {role_title}"),
        &format!("Hello {recipient_name},"),
        vec![
            Block::Para(format!(
                "{requested_by_name} asked for more signal on {candidate_name} ({role_title}) before a decision. These competencies lack evidence: {}.",
                competency_names.join(", ")
            )),
            Block::Para(
                "Add a follow-up interview for them to the loop; the debrief reopens when its feedback is submitted.".into(),
            ),
            Block::Link {
                label: "Add the follow-up interview".into(),
                url: builder_url.to_owned(),
            },
        ],
    )
}

pub fn debrief_reopened(about: &LoopAbout<'_>, loop_url: &str) -> Rendered {
    let LoopAbout {
        recipient_name,
        candidate_name,
        role_title,
    } = *about;
    render(
        format!("Debrief reopened: {candidate_name} for {role_title}"),
        &format!("Hello {recipient_name},"),
        vec![
            Block::Para(format!(
                "The follow-up feedback for {candidate_name} ({role_title}) is in and the debrief is open again. Everything said before is kept: read the new evidence, then confirm or change your final vote."
            )),
            Block::Link {
                label: "Open the debrief".into(),
                url: loop_url.to_owned(),
            },
        ],
    )
}

pub fn decision_recorded(about: &LoopAbout<'_>, decision: &str, loop_url: &str) -> Rendered {
    let LoopAbout {
        recipient_name,
        candidate_name,
        role_title,
    } = *about;
    let decided = match decision {
        "hire" => "hire",
        "no_hire" => "no hire",
        other => other,
    };
    render(
        format!("Decision recorded: {candidate_name} for {role_title}: {decided}"),
        &format!("Hello {recipient_name},"),
        vec![
            Block::Para(format!(
                "The hiring manager recorded the decision for {candidate_name} ({role_title}): {decided}."
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

/// Who a message about a loop is for, and which loop.
#[derive(Debug, Clone, Copy)]
pub struct LoopAbout<'a> {
    pub recipient_name: &'a str,
    pub candidate_name: &'a str,
    pub role_title: &'a str,
}

/// A scheduled loop broke its rules: what is wrong, in words naming the
/// people, and where to fix it.
pub fn independence_turned_red(
    about: &LoopAbout<'_>,
    failures: &[String],
    fix_url: &str,
) -> Rendered {
    let LoopAbout {
        recipient_name,
        candidate_name,
        role_title,
    } = *about;
    render(
        format!("Action needed: {candidate_name}'s loop for {role_title} is no longer independent"),
        &format!("Hello {recipient_name},"),
        vec![
            Block::Para(format!(
                "A change in the organisation broke the rules of the loop for {candidate_name} ({role_title}). The loop is flagged, and its debrief cannot open until every rule passes again. What is wrong:"
            )),
            Block::List(failures.to_vec()),
            Block::Para("Choosing another bar raiser or changing the panel usually fixes it; the loop builder shows the report as you change it.".into()),
            Block::Link {
                label: "Fix the loop".into(),
                url: fix_url.to_owned(),
            },
        ],
    )
}

/// A flagged loop passes every rule again.
pub fn independence_restored(about: &LoopAbout<'_>, loop_url: &str) -> Rendered {
    let LoopAbout {
        recipient_name,
        candidate_name,
        role_title,
    } = *about;
    render(
        format!("All clear: {candidate_name}'s loop for {role_title} is independent again"),
        &format!("Hello {recipient_name},"),
        vec![
            Block::Para(format!(
                "The loop for {candidate_name} ({role_title}) passes every independence rule again. It is no longer flagged, and its debrief can open once the feedback is in."
            )),
            Block::Link {
                label: "Open the loop".into(),
                url: loop_url.to_owned(),
            },
        ],
    )
}

#[cfg(test)]
mod tests;
