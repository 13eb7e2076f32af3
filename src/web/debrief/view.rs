//! The room's markup, in regions: the board (state, members, the packet, the
//! composite, the votes, the outcome), which holds no input and is replaced
//! whole by a live update, and one region per action form, each replaced only
//! when what it shows this viewer changed, so that text being typed into one
//! form survives the others' updates.

use maud::{Markup, html};

use crate::domain::feedback::{FeedbackStatus, Vote};
use crate::domain::{FieldProblem, LoopId, LoopStatus};
use crate::services::debrief::{MemberState, Packet, Room};
use crate::urls;

use super::super::page::field_errors;

/// A vote in words.
pub fn vote_words(vote: Vote) -> &'static str {
    match vote {
        Vote::StrongHire => "strong hire",
        Vote::Hire => "hire",
        Vote::NoHire => "no hire",
        Vote::StrongNoHire => "strong no hire",
    }
}

/// `hire` / `no_hire` in words.
pub fn verdict_words(v: &str) -> &'static str {
    match v {
        "hire" => "hire",
        _ => "no hire",
    }
}

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

const VOTES: [Vote; 4] = [
    Vote::StrongHire,
    Vote::Hire,
    Vote::NoHire,
    Vote::StrongNoHire,
];

/// Every region of the room, in page order: `(element id, markup)`.
pub fn regions(room: &Room, csrf: &str, problems: &[FieldProblem]) -> Vec<(&'static str, Markup)> {
    vec![
        ("room-board", board(room)),
        ("act-open", open_form(room, csrf, problems)),
        ("act-read", read_form(room, csrf)),
        ("act-vote", vote_form(room, csrf, problems)),
        ("act-note", note_form(room, csrf, problems)),
        ("act-close", close_form(room, csrf, problems)),
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

fn name_list(room: &Room, ids: &[i64]) -> String {
    ids.iter()
        .map(|id| room.name(*id))
        .collect::<Vec<_>>()
        .join(", ")
}

fn board(room: &Room) -> Markup {
    html! {
        div #room-board .two {
            div.room-discussion {
                section.card aria-labelledby="stage-h" {
                    h2 #stage-h { "Where it stands" }
                    p { (stage(room.lp.status)) }
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
                    (outcome_view(room, p))
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
                                    span.badge.ok[m.feedback == FeedbackStatus::Submitted] { (m.feedback.as_str()) }
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

fn open_form(room: &Room, csrf: &str, problems: &[FieldProblem]) -> Markup {
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

fn read_form(room: &Room, csrf: &str) -> Markup {
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

fn vote_form(room: &Room, csrf: &str, problems: &[FieldProblem]) -> Markup {
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

fn note_form(room: &Room, csrf: &str, problems: &[FieldProblem]) -> Markup {
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

fn close_form(room: &Room, csrf: &str, problems: &[FieldProblem]) -> Markup {
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

fn decide_form(room: &Room, csrf: &str, problems: &[FieldProblem]) -> Markup {
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

fn commit_form(room: &Room, csrf: &str, problems: &[FieldProblem]) -> Markup {
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
