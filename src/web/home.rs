//! `/`: what the signed-in person has to do now.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use maud::{Markup, html};

use super::page::{PageError, render};
use super::session::Visitor;
use super::time::{ago, when};
use crate::domain::TimeZone;
use crate::domain::{InterviewId, LoopId};
use crate::services::agenda::{self, Agenda, AgendaLoop, PART_LIMIT};
use crate::state::AppState;
use crate::urls;

/// The home page.
pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::HOME, web::get().to(page));
}

fn loop_line(line: &AgendaLoop) -> Markup {
    line_to(line, &urls::loop_page(LoopId(line.id)))
}

/// A loop whose next step is in its debrief room.
fn room_line(line: &AgendaLoop) -> Markup {
    line_to(line, &urls::debrief_room(LoopId(line.id)))
}

fn line_to(line: &AgendaLoop, href: &str) -> Markup {
    html! {
        a href=(href) { (line.candidate_name) " — " (line.role_title) }
        " "
        span.badge { (line.status.words()) }
        @if line.flagged_at.is_some() {
            " " span.badge.bad { "Not independent" }
        } @else if !line.independence_ok {
            " " span.badge.warn { "Rules failing" }
        }
    }
}

/// The link under a part that shows only its first items.
fn more_on_the_list(href: &str, words: &str) -> Markup {
    html! {
        p.hint { "The first " (PART_LIMIT) " are shown. " a href=(href) { (words) } }
    }
}

fn agenda_page(a: &Agenda, zone: TimeZone) -> Markup {
    let now = Utc::now();
    let needs_me = format!("{}?needs=me", urls::LOOPS);
    html! {
        h1 { "What to do now" }
        div.grid {
            section.card aria-labelledby="due-h" {
                h2 #due-h { "Feedback due" }
                @if a.feedback_due.is_empty() {
                    p.muted { "No feedback is waiting for you." }
                } @else {
                    ul.plain {
                        @for i in &a.feedback_due.items {
                            li {
                                a href=(urls::interview(InterviewId(i.row.interview_id))) {
                                    (i.candidate_name) " — " (i.role_title)
                                }
                                br;
                                @if i.overdue {
                                    span.badge.bad { "Overdue by " (ago(now, i.row.feedback_due_at.and_utc())) }
                                } @else {
                                    span.muted { "Due " (when(zone, i.row.feedback_due_at.and_utc())) }
                                }
                                " · " span.muted { (i.feedback_status.words()) }
                            }
                        }
                    }
                    @if a.feedback_due.more { (more_on_the_list(&needs_me, "All loops that need you")) }
                }
            }
            section.card aria-labelledby="upcoming-h" {
                h2 #upcoming-h { "Upcoming interviews" }
                @if a.upcoming.is_empty() {
                    p.muted { "No interviews are coming up." }
                } @else {
                    ul.plain {
                        @for i in &a.upcoming.items {
                            li {
                                a href=(urls::interview(InterviewId(i.row.interview_id))) {
                                    (i.candidate_name) " — " (i.role_title)
                                }
                                br;
                                span.muted { (when(zone, i.row.starts_at.and_utc())) }
                            }
                        }
                    }
                    @if a.upcoming.more {
                        p.hint { "The next " (PART_LIMIT) " are shown; more follow them." }
                    }
                }
            }
            @if !a.to_lead.is_empty() {
                section.card aria-labelledby="lead-h" {
                    h2 #lead-h { "Debriefs you lead" }
                    ul.plain { @for l in &a.to_lead.items { li { (room_line(l)) } } }
                    @if a.to_lead.more { (more_on_the_list(&needs_me, "All loops that need you")) }
                }
            }
            @if !a.to_decide.is_empty() {
                section.card aria-labelledby="decide-h" {
                    h2 #decide-h { "Decisions awaiting you" }
                    ul.plain { @for l in &a.to_decide.items { li { (room_line(l)) } } }
                    @if a.to_decide.more { (more_on_the_list(&needs_me, "All loops that need you")) }
                }
            }
        }
        @if !a.recruiting.is_empty() {
            section.card aria-labelledby="recruiting-h" {
                h2 #recruiting-h { "Your open loops" }
                p.hint { "Loops that are no longer independent come first." }
                ul.plain { @for l in &a.recruiting.items { li { (loop_line(l)) } } }
                @if a.recruiting.more { (more_on_the_list(urls::LOOPS, "The loops list")) }
            }
        }
    }
}

/// `GET /`
pub async fn page(state: web::Data<AppState>, visitor: Visitor) -> Result<HttpResponse, PageError> {
    let page = agenda::agenda_with_user(&state.db, visitor.caller, Utc::now()).await;
    let (viewer, agenda) = visitor.viewer(page)?;
    let zone = viewer.user.zone();
    let oversight = if viewer.user.is_admin() {
        Some(crate::services::oversight::oversight(&state.db, &viewer.user).await?)
    } else {
        None
    };
    let body = html! {
        (agenda_page(&agenda, zone))
        @if let Some(o) = &oversight { (super::admin::needs_admin(o)) }
    };
    Ok(render(&viewer.web, &viewer, "Home", body))
}
