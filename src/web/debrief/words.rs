//! Codes as the room says them in words, and lists of names.

use crate::domain::feedback::Vote;
use crate::services::debrief::Room;

/// A vote in words.
pub(super) fn vote_words(vote: Vote) -> &'static str {
    vote.words()
}

/// `hire` / `no_hire` in words.
pub(super) fn verdict_words(v: &str) -> &'static str {
    match v {
        "hire" => "hire",
        _ => "no hire",
    }
}

pub(super) fn name_list(room: &Room, ids: &[i64]) -> String {
    ids.iter()
        .map(|id| room.name(*id))
        .collect::<Vec<_>>()
        .join(", ")
}
