//! The room's markup, in regions: the board (state, members, the packet, the
//! composite, the votes, the outcome), which holds no input and is replaced
//! whole by a live update, and one region per action form, each replaced only
//! when what it shows this viewer changed, so that text being typed into one
//! form survives the others' updates.

use maud::{Markup, html};

use crate::domain::feedback::FeedbackStatus;
use crate::domain::{FieldProblem, LoopId, LoopStatus};
use crate::services::debrief::{MemberState, Packet, Room};
use crate::services::hiring::more_signal::SignalRequest;
use crate::urls;

use super::forms::{
    close_form, commit_form, decide_form, more_signal_form, note_form, open_form, read_form,
    vote_form,
};
use super::words::{verdict_words, vote_words};

/// The loop's state as the room says it.
fn stage(status: LoopStatus) -> &'static str {
    match status {
        LoopStatus::Draft => "The loop is a draft; there is no debrief yet.",
        LoopStatus::Scheduled => "Before the debrief: the panel's feedback is coming in.",
        LoopStatus::InDebrief => "The debrief is open: read, re-vote, discuss.",
        LoopStatus::AwaitingDecision => "The debrief is closed: the hiring manager decides.",
        LoopStatus::Decided => "Decided.",
        LoopStatus::Cancelled => "The loop was cancelled.",
    }
}

/// Every region of the room, in page order: `(element id, markup)`.
pub fn regions(room: &Room, csrf: &str, problems: &[FieldProblem]) -> Vec<(&'static str, Markup)> {
    vec![
        ("room-board", board(room)),
        ("act-open", open_form(room, csrf, problems)),
        ("act-read", read_form(room, csrf)),
        ("act-vote", vote_form(room, csrf, problems)),
        ("act-note", note_form(room, csrf, problems)),
        ("act-close", close_form(room, csrf, problems)),
        ("act-more-signal", more_signal_form(room, csrf, problems)),
        ("act-decide", decide_form(room, csrf, problems)),
        ("act-commit", commit_form(room, csrf, problems)),
    ]
}

/// The whole room.
pub fn page(room: &Room, csrf: &str, problems: &[FieldProblem]) -> Markup {
    let id = LoopId(room.lp.id);
    let regions = regions(room, csrf, problems);
    let (board, actions) = regions.split_at(1);
    html! {
        h1 { "Debrief: " (room.candidate_name) " — " (room.role_title) }
        p { a href=(urls::loop_page(id)) { "The loop's page" } }
        // The live connection: each message carries the regions that changed.
        div #room-live "hx-sse:connect"=(urls::debrief_room_live(id, room.seq)) hx-swap="none" {}
        div.room {
            (board[0].1)
            section.card.room-actions aria-labelledby="actions-h" {
                h2 #actions-h { "What you can do" }
                @for (_, markup) in actions { (markup) }
                p.hint.room-nothing { "Actions appear here when there is one for you." }
            }
        }
    }
}

fn board(room: &Room) -> Markup {
    html! {
        div #room-board .two {
            div.room-discussion {
                section.card aria-labelledby="stage-h" {
                    h2 #stage-h { "Where it stands" }
                    @match room.awaited_signal() {
                        Some(s) => { (awaited_signal(room, s)) }
                        None => { p { (stage(room.lp.status)) } }
                    }
                    @if let Some(p) = &room.proposal {
                        p #debrief-proposal {
                            "Proposed for " strong { (room.viewer_zone.show(p.starts_at)) " " (room.viewer_zone.name()) }
                            ", in the bar raiser's working hours after the last interview."
                        }
                    }
                    @if !room.report_ok && room.lp.status == LoopStatus::Scheduled {
                        p { span.badge.bad { "Not independent" } " The independence report is red, so the debrief cannot open. See the loop's page." }
                    }
                    (members_table(room))
                }
                @match &room.packet {
                    Some(p) => { (packet_view(room, p)) }
                    None => {
                        @if let Some(why) = &room.packet_withheld {
                            section.card aria-labelledby="packet-h" {
                                h2 #packet-h { "The packet" }
                                p.muted { (why) }
                            }
                        }
                    }
                }
            }
            div.room-side {
                @if let Some(p) = &room.packet {
                    (composite_view(room, p))
                    (votes_view(room, p))
                    (signal_history(room, p))
                    (outcome_view(room, p))
                }
            }
        }
    }
}

/// The loop went back for more signal: on what, and where the follow-up stands.
fn awaited_signal(room: &Room, s: &SignalRequest) -> Markup {
    let asked_by = if s.requested_as == "hiring_manager" {
        "The hiring manager"
    } else {
        "The bar raiser"
    };
    html! {
        p #awaiting-signal {
            "The debrief waits for more signal. " (asked_by) " asked for it on " strong { (competency_names(room, &s.competency_ids)) } ". "
            @if s.follow_up_interview_ids.is_empty() {
                "The recruiter adds a follow-up interview for them; the debrief reopens when its feedback is in."
            } @else if !s.uncovered_competency_ids.is_empty() {
                "The follow-up does not cover " (competency_names(room, &s.uncovered_competency_ids)) " yet."
            } @else {
                "The follow-up interview is scheduled; the debrief reopens when its feedback is in."
            }
        }
    }
}

fn competency_names(room: &Room, ids: &[i64]) -> String {
    ids.iter()
        .map(|id| {
            room.competencies
                .iter()
                .find(|(c, _)| c == id)
                .map_or_else(|| format!("competency {id}"), |(_, n)| n.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every request for more signal, with what was said (packet content).
fn signal_history(room: &Room, p: &Packet) -> Markup {
    html! {
        @if !p.more_signal.is_empty() {
            section.card aria-labelledby="more-signal-h" {
                h2 #more-signal-h { "More signal asked for" }
                ul.plain #more-signal-history {
                    @for r in &p.more_signal {
                        li {
                            strong { (room.name(r.request.requested_by_id)) }
                            @if r.request.requested_as == "hiring_manager" { " (hiring manager)" } @else { " (bar raiser)" }
                            " on " (competency_names(room, &r.request.competency_ids)) ": " (r.rationale)
                            @if let Some(prev) = &r.previous_recommendation {
                                br;
                                span.muted { "It set aside the bar raiser's recommendation: " (verdict_words(prev))
                                    @if let Some(why) = &r.previous_rationale { " — " (why) } }
                            }
                            @if r.request.reopened_at.is_some() { " " span.badge.ok { "answered" } } @else { " " span.badge { "awaiting the follow-up" } }
                        }
                    }
                }
            }
        }
    }
}

fn members_table(room: &Room) -> Markup {
    let status = room.lp.status;
    html! {
        div.table-wrap tabindex="0" role="region" aria-label="The panel" {
            table {
                caption.muted { "The panel" }
                thead { tr {
                    th scope="col" { "Interviewer" }
                    th scope="col" { @if status.debrief_held() { "In the debrief" } @else { "Feedback" } }
                } }
                tbody {
                    @for m in &room.members {
                        tr {
                            td { (m.name) @if m.user_id == room.lp.bar_raiser_id { " " span.badge { "bar raiser" } } }
                            td id=(format!("state-{}", m.user_id)) {
                                @if !status.debrief_held() || m.state == MemberState::NoFeedback {
                                    span.badge.ok[m.feedback == FeedbackStatus::Submitted] { (m.feedback.words()) }
                                } @else {
                                    span.badge.ok[m.state == MemberState::Voted] { (m.state.words()) }
                                }
                                @if status == LoopStatus::Decided {
                                    " "
                                    @if m.committed { span.badge.ok { "committed" } } @else { span.badge { "not committed yet" } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn packet_view(room: &Room, p: &Packet) -> Markup {
    let members = &room.members;
    html! {
        section.card aria-labelledby="scorecard-h" {
            h2 #scorecard-h { "Scorecard" }
            p.hint { "Each interviewer's rating per competency (1 strong concern … 4 strong evidence); hover or focus a rating for its anchor's words." }
            div.table-wrap tabindex="0" role="region" aria-label="Scorecard" {
                table.scorecard {
                    thead { tr {
                        th scope="col" { "Interviewer" }
                        @for c in &p.competencies { th scope="col" { (c.name) } }
                    } }
                    tbody {
                        @for m in members {
                            tr {
                                th scope="row" { (m.name) }
                                @for c in &p.competencies {
                                    td {
                                        @match c.ratings.iter().find(|r| r.interviewer_id == m.user_id).and_then(|r| r.rating) {
                                            Some(r) => {
                                                @let words = room.anchor(c.competency_id, r);
                                                span.rating tabindex="0" data-anchor=(words) { (r.get()) }
                                                span.sr-only { ": " (words) }
                                            }
                                            None => { span.muted { "—" } span.sr-only { "not assessed" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.card aria-labelledby="evidence-h" {
            h2 #evidence-h { "Evidence by competency" }
            p.hint { "Diverged competencies first: that is where the discussion belongs." }
            @for c in &p.competencies {
                article.competency aria-labelledby=(format!("comp-{}", c.competency_id)) {
                    h3 id=(format!("comp-{}", c.competency_id)) {
                        (c.name)
                        @if c.diverged { " " span.badge.bad { "Diverged" } }
                        @if c.lone_witness { " " span.badge.warn { "One witness" } }
                    }
                    @if c.lone_witness {
                        @if let Some(r) = c.ratings.first() {
                            p.hint { "Only " (room.name(r.interviewer_id)) " assessed this. Ask them to present it: what only one person saw is what a group tends to miss." }
                        }
                    }
                    @if c.ratings.is_empty() { p.muted { "Nobody has assessed this yet." } }
                    div.evidence {
                        @for r in &c.ratings {
                            div.evidence-item {
                                p {
                                    strong { (room.name(r.interviewer_id)) }
                                    @if let Some(rating) = r.rating {
                                        " · " (rating.get()) " — " (room.anchor(c.competency_id, rating))
                                    }
                                }
                                p.evidence-text { (r.evidence) }
                            }
                        }
                    }
                    @for n in p.notes.iter().filter(|n| n.competency_id == Some(c.competency_id)) {
                        p.note { strong { "Bar raiser's note: " } (n.text) }
                    }
                }
            }
        }
        @if p.summaries.iter().any(|s| s.summary.is_some()) {
            section.card aria-labelledby="summaries-h" {
                h2 #summaries-h { "Summaries" }
                ul.plain {
                    @for s in &p.summaries {
                        @if let Some(text) = &s.summary {
                            li { strong { (room.name(s.interviewer_id)) ": " } (text) }
                        }
                    }
                }
            }
        }
        @if p.notes.iter().any(|n| n.competency_id.is_none()) {
            section.card aria-labelledby="notes-h" {
                h2 #notes-h { "The bar raiser's notes" }
                ul.plain {
                    @for n in p.notes.iter().filter(|n| n.competency_id.is_none()) { li { (n.text) } }
                }
            }
        }
    }
}

fn composite_view(room: &Room, p: &Packet) -> Markup {
    let c = &p.composite;
    html! {
        section.card.composite aria-labelledby="composite-h" {
            h2 #composite-h { "Mechanical composite" }
            p.hint {
                "The mean rating per competency and the mean initial vote (strong no hire 1 … strong hire 4); "
                "the band is hire when the vote score is at least 2.5 and no competency mean is below 2.0. "
                "A fixed formula over the same evidence, shown beside the discussion, not imposed."
            }
            div.table-wrap tabindex="0" role="region" aria-label="Composite" {
                table {
                    thead { tr { th scope="col" { "Competency" } th scope="col" { "Mean" } th scope="col" { "Ratings" } } }
                    tbody {
                        @for m in &c.competency_means {
                            tr {
                                td { (p.competencies.iter().find(|x| x.competency_id == m.competency_id).map_or_else(|| room.name(0), |x| x.name.clone())) }
                                td { (format!("{:.2}", m.mean)) }
                                td { (m.n) }
                            }
                        }
                    }
                }
            }
            p {
                "Vote score: " strong { (c.vote_score.map_or_else(|| "none".to_owned(), |v| format!("{v:.2}"))) }
                " · Band: " strong { (verdict_words(&c.band)) }
            }
        }
    }
}

fn votes_view(room: &Room, p: &Packet) -> Markup {
    html! {
        section.card aria-labelledby="votes-h" {
            h2 #votes-h { "Votes" }
            @if !room.votes_open {
                p.muted { "The votes open once you mark the packet read: the evidence first, then the preferences." }
            } @else {
                @if !p.votes_revealed && room.lp.status == LoopStatus::InDebrief {
                    p.hint { "Final votes are sealed until everyone who submitted feedback has voted; then all are shown at once." }
                }
                div.table-wrap tabindex="0" role="region" aria-label="Votes" {
                    table {
                        thead { tr { th scope="col" { "Interviewer" } th scope="col" { "Initial" } th scope="col" { "Final" } } }
                        tbody {
                            @for v in &p.votes {
                                tr {
                                    td { (room.name(v.user_id)) }
                                    td { (v.initial.map_or("—", vote_words)) }
                                    td id=(format!("final-{}", v.user_id)) {
                                        @match (v.final_vote, v.has_final_vote) {
                                            (Some(f), _) => {
                                                (vote_words(f))
                                                @if let Some(reason) = v.changes.last().and_then(|c| c.reason.as_ref()) {
                                                    br; span.muted { (reason) }
                                                }
                                            }
                                            (None, true) => { span.badge { "voted (sealed)" } }
                                            (None, false) => { span.muted { "not yet" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn outcome_view(room: &Room, p: &Packet) -> Markup {
    html! {
        @if let Some(rec) = &p.recommendation {
            section.card aria-labelledby="rec-h" {
                h2 #rec-h { "The bar raiser's recommendation" }
                p {
                    strong { (verdict_words(rec)) }
                    @if p.veto { " " span.badge.bad { "Vetoed" } }
                }
                @if let Some(r) = &p.rationale { p { (r) } }
            }
        }
        @if let Some(d) = &p.decision {
            section.card aria-labelledby="decision-h" {
                h2 #decision-h { "The decision" }
                p { strong { (verdict_words(&d.decision)) } " by " (d.decided_by_id.map_or_else(String::new, |id| room.name(id))) }
                @if let Some(r) = &d.rationale { p { (r) } }
                p {
                    @if d.agrees_with_composite {
                        "It agrees with the mechanical composite."
                    } @else {
                        "It goes against the mechanical composite (band: "
                        (d.composite.as_ref().map_or("unknown", |c| verdict_words(&c.band))) ")."
                    }
                }
                @if !room.outcomes.is_empty() {
                    h3 { "After the hire" }
                    ul.plain #room-outcomes {
                        @for x in &room.outcomes {
                            @let kind = crate::domain::outcome::OutcomeKind::from_stored(&x.kind);
                            li {
                                strong { (kind.words()) } ": " (kind.value_words(x.value))
                                span.muted { " (" (x.observed_at.format("%-d %b %Y").to_string()) ")" }
                            }
                        }
                    }
                }
                @if !p.commitments.is_empty() {
                    h3 { "Commitments" }
                    ul.plain {
                        @for c in &p.commitments {
                            li {
                                strong { (room.name(c.user_id)) }
                                @match &c.dissent {
                                    Some(d) => { " disagrees and commits: " (d) }
                                    None => { " commits." }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One live message: an `<hx-partial>` per region, replacing it whole.
pub fn partials<'a>(changed: impl IntoIterator<Item = &'a (&'static str, Markup)>) -> String {
    let mut out = String::new();
    for (id, markup) in changed {
        out.push_str(&format!(
            r##"<hx-partial hx-target="#{id}" hx-swap="outerHTML">"##
        ));
        out.push_str(&markup.0);
        out.push_str("</hx-partial>");
    }
    out
}
