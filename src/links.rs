//! Every address the service hands out (in mail and calendar files), built in
//! one place from the public URL (`PUBLIC_URL`).

use crate::domain::{InterviewId, LoopId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// The public URL without a trailing slash.
    base: String,
}

impl Links {
    pub fn new(public_url: &str) -> Self {
        Self {
            base: public_url.trim_end_matches('/').to_owned(),
        }
    }

    /// Where people sign in.
    pub fn sign_in(&self) -> String {
        format!("{}/", self.base)
    }

    /// The interviewer's page for one interview (its kit).
    pub fn interview(&self, id: InterviewId) -> String {
        format!("{}/interviews/{id}", self.base)
    }

    /// A loop, for its participants.
    pub fn loop_page(&self, id: LoopId) -> String {
        format!("{}/api/v1/loops/{id}", self.base)
    }

    /// The host of the public URL, for calendar UIDs.
    pub fn host(&self) -> &str {
        let rest = self
            .base
            .split_once("://")
            .map_or(self.base.as_str(), |(_, r)| r);
        rest.split(['/', ':']).next().unwrap_or("barraiser")
    }

    /// The stable calendar UID of an interview's event.
    pub fn calendar_uid(&self, id: InterviewId) -> String {
        format!("interview-{id}@{}", self.host())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_built_from_the_public_url_with_or_without_a_trailing_slash() {
        for base in ["https://hire.example.com", "https://hire.example.com/"] {
            let links = Links::new(base);
            assert_eq!(links.sign_in(), "https://hire.example.com/");
            assert_eq!(
                links.interview(InterviewId(7)),
                "https://hire.example.com/interviews/7"
            );
        }
    }

    #[test]
    fn the_uid_host_comes_from_the_public_url() {
        assert_eq!(
            Links::new("https://hire.example.com/app").host(),
            "hire.example.com"
        );
        assert_eq!(Links::new("http://127.0.0.1:8080").host(), "127.0.0.1");
        assert_eq!(
            Links::new("http://127.0.0.1:8080").calendar_uid(InterviewId(3)),
            "interview-3@127.0.0.1"
        );
    }
}
