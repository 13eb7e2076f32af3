//! The room's action forms, one region each, shown only when the room's
//! actions (the service's rules) allow them, with each field's problems
//! beside it.

use maud::{Markup, html};

use crate::domain::feedback::Vote;
use crate::domain::{FieldProblem, LoopId};
use crate::services::debrief::Room;
use crate::urls;

use super::super::page::field_errors;
use super::words::{name_list, vote_words};

const VOTES: [Vote; 4] = [
    Vote::StrongHire,
    Vote::Hire,
    Vote::NoHire,
    Vote::StrongNoHire,
];

fn csrf_field(csrf: &str) -> Markup {
    html! { input type="hidden" name="csrf_token" value=(csrf); }
}

fn action(pattern: &str, room: &Room) -> String {
    urls::debrief_room_action(pattern, LoopId(room.lp.id))
}

/// A labelled textarea with its problems beside it.
fn textarea(name: &str, label: &str, required: bool, problems: &[FieldProblem]) -> Markup {
    let id = format!("f-{name}");
    html! {
        label for=(id) { (label) }
        textarea id=(id) name=(name) rows="3" maxlength="10000" required[required] aria-describedby=(format!("{name}-error")) {}
        (field_errors(problems, name))
    }
}

pub(super) fn open_form(room: &Room, csrf: &str, problems: &[FieldProblem]) -> Markup {
    let a = &room.actions;
    html! {
        div #act-open {
            @if a.open {
                form method="post" action=(action(urls::DEBRIEF_ROOM_OPEN, room)) {
                    (csrf_field(csrf))
                    @if !a.missing_interview_ids.is_empty() {
                        @let missing: Vec<i64> = room.members.iter().filter(|m| a.missing_interview_ids.contains(&m.interview_id)).map(|m| m.user_id).collect();
                        p { "Feedback is missing from " (name_list(room, &missing)) ". To open without it, say why." }
                        (textarea("override_reason", "Why open without all feedback", true, problems))
                    }
                    div.actions { button #open-debrief type="submit" { "Open the debrief" } }
                }
            }
        }
    }
}

pub(super) fn read_form(room: &Room, csrf: &str) -> Markup {
    html! {
        div #act-read {
            @if room.actions.read {
                form method="post" action=(action(urls::DEBRIEF_ROOM_READ, room)) {
                    (csrf_field(csrf))
                    p.hint { "Read every competency's evidence first; the votes open after this." }
                    div.actions { button #mark-read type="submit" { "I have read the packet" } }
                }
            }
        }
    }
}

pub(super) fn vote_form(room: &Room, csrf: &str, problems: &[FieldProblem]) -> Markup {
    let initial = room
        .members
        .iter()
        .find(|m| m.user_id == room.viewer_id)
        .and_then(|m| m.initial);
    let current = room.packet.as_ref().and_then(|p| {
        p.votes
            .iter()
            .find(|v| v.user_id == room.viewer_id)
            .and_then(|v| v.final_vote)
    });
    html! {
        div #act-vote {
            @if room.actions.vote {
                form method="post" action=(action(urls::DEBRIEF_ROOM_VOTE, room)) {
                    (csrf_field(csrf))
                    label for="f-vote" { @if current.is_some() { "Change your final vote" } @else { "Your final vote" } }
                    select #f-vote name="vote" aria-describedby="vote-error" {
                        @for v in VOTES {
                            option value=(v.as_str()) selected[Some(v) == current.or(initial)] { (vote_words(v)) }
                        }
                    }
                    (field_errors(problems, "vote"))
                    @if let Some(i) = initial {
                        p.hint { "Your initial vote was " (vote_words(i)) ". A different final vote needs a reason." }
                    }
                    (textarea("reason", "Reason (when it differs from your initial vote)", false, problems))
                    div.actions { button #cast-vote type="submit" { "Cast my final vote" } }
                }
            }
        }
    }
}

pub(super) fn note_form(room: &Room, csrf: &str, problems: &[FieldProblem]) -> Markup {
    html! {
        div #act-note {
            @if room.actions.note {
                form method="post" action=(action(urls::DEBRIEF_ROOM_NOTES, room)) {
                    (csrf_field(csrf))
                    label for="f-competency" { "Note about" }
                    select #f-competency name="competency_id" aria-describedby="competency_id-error" {
                        option value="" { "The whole loop" }
                        @for (id, name) in &room.competencies { option value=(id) { (name) } }
                    }
                    (field_errors(problems, "competency_id"))
                    (textarea("text", "Note", true, problems))
                    div.actions { button.secondary #add-note type="submit" { "Add the note" } }
                }
            }
        }
    }
}

pub(super) fn close_form(room: &Room, csrf: &str, problems: &[FieldProblem]) -> Markup {
    let a = &room.actions;
    html! {
        div #act-close {
            @if a.close {
                form method="post" action=(action(urls::DEBRIEF_ROOM_CLOSE, room)) {
                    (csrf_field(csrf))
                    label for="f-recommendation" { "Your recommendation" }
                    select #f-recommendation name="recommendation" aria-describedby="recommendation-error" {
                        option value="hire" { "hire" }
                        option value="no_hire" { "no hire" }
                    }
                    (field_errors(problems, "recommendation"))
                    (textarea("rationale", "Rationale", true, problems))
                    label.inline {
                        input type="checkbox" name="veto" value="true" aria-describedby="veto-error";
                        " Veto (only with no hire): the loop cannot be decided hire"
                    }
                    (field_errors(problems, "veto"))
                    div.actions { button #close-debrief type="submit" { "Close the debrief" } }
                }
            } @else if room.access.bar_raiser && !a.votes_missing.is_empty() {
                p.hint { "Closing waits for the final votes of " (name_list(room, &a.votes_missing)) "." }
            }
        }
    }
}

/// More signal (the bar raiser while the debrief is open; the hiring manager
/// once per loop while deciding): the competencies that lack evidence and why.
pub(super) fn more_signal_form(room: &Room, csrf: &str, problems: &[FieldProblem]) -> Markup {
    let by_manager = room.access.hiring_manager;
    html! {
        div #act-more-signal {
            @if room.actions.more_signal {
                @let (url, field) = if by_manager {
                    (urls::DEBRIEF_ROOM_DECISION, "decision")
                } else {
                    (urls::DEBRIEF_ROOM_CLOSE, "recommendation")
                };
                form method="post" action=(action(url, room)) {
                    (csrf_field(csrf))
                    input type="hidden" name=(field) value="more_signal";
                    fieldset aria-describedby="competency_ids-error" {
                        legend { "Ask for more signal on" }
                        @for (id, name) in &room.competencies {
                            label.inline {
                                input type="checkbox" name="competency_ids" value=(id);
                                " " (name)
                            }
                        }
                    }
                    (field_errors(problems, "competency_ids"))
                    label for="f-more-signal-rationale" { "What evidence is missing" }
                    textarea #f-more-signal-rationale name="rationale" rows="3" maxlength="10000" required {}
                    p.hint {
                        "The loop goes back for a follow-up interview on these competencies; the debrief reopens, with everything said so far, when its feedback is in."
                        @if by_manager { " You may ask for more signal once for this loop." }
                    }
                    div.actions { button.secondary #ask-more-signal type="submit" { "Ask for more signal" } }
                }
            }
        }
    }
}

pub(super) fn decide_form(room: &Room, csrf: &str, problems: &[FieldProblem]) -> Markup {
    let a = &room.actions;
    html! {
        div #act-decide {
            @if a.decide {
                form method="post" action=(action(urls::DEBRIEF_ROOM_DECISION, room)) {
                    (csrf_field(csrf))
                    label for="f-decision" { "Your decision" }
                    select #f-decision name="decision" aria-describedby="decision-error" {
                        @if a.decide_hire { option value="hire" { "hire" } }
                        option value="no_hire" { "no hire" }
                    }
                    @if !a.decide_hire { p.hint { "The bar raiser vetoed this candidate: hire is not possible." } }
                    (field_errors(problems, "decision"))
                    (textarea("rationale", "Rationale", true, problems))
                    div.actions { button #record-decision type="submit" { "Record the decision" } }
                }
            }
        }
    }
}

pub(super) fn commit_form(room: &Room, csrf: &str, problems: &[FieldProblem]) -> Markup {
    html! {
        div #act-commit {
            @if room.actions.commit {
                form method="post" action=(action(urls::DEBRIEF_ROOM_COMMITMENT, room)) {
                    (csrf_field(csrf))
                    (textarea("dissent", "Disagree and commit: your dissent (optional)", false, problems))
                    div.actions { button #commit type="submit" { "Commit" } }
                }
            }
        }
    }
}
