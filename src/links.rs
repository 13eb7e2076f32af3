//! Every address and identifier the service hands out (in mail and calendar
//! files), built in one place from the public URL (`PUBLIC_URL`), the page
//! paths of `urls` and this installation's id (`bootstrap::links` reads it
//! from the database). Every link lands on a page, through sign-in and back.

use crate::domain::{InterviewId, LoopId};
use crate::urls;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// The public URL without a trailing slash.
    base: String,
    /// A random id created once per database: calendar UIDs and Message-IDs
    /// carry it, so two installations never produce the same identifiers.
    installation: String,
}

impl Links {
    pub fn new(public_url: &str, installation: &str) -> Self {
        Self {
            base: public_url.trim_end_matches('/').to_owned(),
            installation: installation.to_owned(),
        }
    }

    /// This installation's id.
    pub fn installation(&self) -> &str {
        &self.installation
    }

    /// Where people sign in.
    pub fn sign_in(&self) -> String {
        format!("{}{}", self.base, urls::LOGIN)
    }

    /// Where an invitation or reset link lets a person set their password.
    pub fn set_password(&self, token: &str) -> String {
        format!("{}{}", self.base, urls::set_password(token))
    }

    /// The loop builder for a loop (where a recruiter fixes a red loop).
    pub fn edit_loop(&self, id: LoopId) -> String {
        format!("{}{}", self.base, urls::loop_builder(Some(id)))
    }

    /// The interviewer's page for one interview (its kit).
    pub fn interview(&self, id: InterviewId) -> String {
        format!("{}{}", self.base, urls::interview(id))
    }

    /// A loop's page, for its participants.
    pub fn loop_page(&self, id: LoopId) -> String {
        format!("{}{}", self.base, urls::loop_page(id))
    }

    /// A loop's debrief room.
    pub fn debrief_room(&self, id: LoopId) -> String {
        format!("{}{}", self.base, urls::debrief_room(id))
    }

    /// The host of the public URL, for calendar UIDs.
    pub fn host(&self) -> &str {
        let rest = self
            .base
            .split_once("://")
            .map_or(self.base.as_str(), |(_, r)| r);
        rest.split(['/', ':']).next().unwrap_or("barraiser")
    }

    /// The stable calendar UID of an interview's event, unique to this installation.
    /// The calendar UID of a loop's proposed debrief.
    pub fn debrief_calendar_uid(&self, id: LoopId) -> String {
        format!("debrief-{id}.{}@{}", self.installation, self.host())
    }

    pub fn calendar_uid(&self, id: InterviewId) -> String {
        format!("interview-{id}.{}@{}", self.installation, self.host())
    }

    /// The Message-ID of an outbox message, unique to this installation.
    pub fn message_id(&self, outbox_id: i64) -> String {
        format!("<outbox-{outbox_id}.{}@{}>", self.installation, self.host())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_built_from_the_public_url_with_or_without_a_trailing_slash() {
        for base in ["https://hire.example.com", "https://hire.example.com/"] {
            let links = Links::new(base, "0a1b2c3d4e5f6071");
            assert_eq!(links.sign_in(), "https://hire.example.com/login");
            assert_eq!(
                links.interview(InterviewId(7)),
                "https://hire.example.com/interviews/7"
            );
            assert_eq!(
                links.loop_page(LoopId(3)),
                "https://hire.example.com/loops/3"
            );
        }
    }

    #[test]
    fn identifiers_carry_the_installation_and_the_public_host() {
        let links = Links::new("http://127.0.0.1:8080", "0a1b2c3d4e5f6071");
        assert_eq!(
            Links::new("https://hire.example.com/app", "x").host(),
            "hire.example.com"
        );
        assert_eq!(
            links.calendar_uid(InterviewId(3)),
            "interview-3.0a1b2c3d4e5f6071@127.0.0.1"
        );
        assert_eq!(links.message_id(9), "<outbox-9.0a1b2c3d4e5f6071@127.0.0.1>");
    }
}
