//! `/loops` and `/loops/{id}`: the loops a person may see, and one loop with
//! its panel's feedback status, its independence report and its audit trail;
//! scheduling and cancelling.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::form::Form;
use super::page::{PageError, field_errors, redirect_with, render_status};
use super::session::{FlashKind, Viewer, Visitor};
use super::time::when;
use crate::db::loop_board::SortKey;
use crate::domain::independence::{Check, Report, rule_title};
use crate::domain::outcome::{GivenValue, Outcome, OutcomeKind};
use crate::domain::{
    CANCEL_REASON_MAX, FieldProblem, LoopId, LoopStatus, RequisitionId, parse_cancel_reason,
};
use crate::error::ServiceError;
use crate::services::hiring::board::{self, BoardFilter, BoardLine};
use crate::services::hiring::loops;
use crate::services::hiring::overview::{self, Overview};
use crate::services::outcomes;
use crate::state::AppState;
use crate::urls;

/// The loops list and a loop's page with its actions.
pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::LOOPS, web::get().to(list))
        .route(urls::LOOP, web::get().to(show))
        .route(urls::LOOP_SCHEDULE, web::post().to(schedule))
        .route(urls::LOOP_CANCEL, web::post().to(cancel))
        .route(urls::INTERVIEW_REMIND, web::post().to(remind))
        .route(urls::LOOP_OUTCOMES, web::post().to(record_outcome));
}

fn check_item(c: &Check) -> Markup {
    html! {
        li class=(if c.passed { "pass" } else { "fail" }) {
            @if c.passed { "✓ " } @else { "✗ " }
            strong { (rule_title(c.rule)) }
            @if !c.passed { br; span { (c.detail) } }
        }
    }
}

/// The independence report: failing rules first, each with its detail naming the people.
pub fn report_view(report: &Report) -> Markup {
    html! {
        section #report .card.report.red[!report.ok] aria-labelledby="report-h" aria-live="polite" {
            h2 #report-h {
                "Independence "
                @if report.ok { span.badge.ok { "All rules pass" } }
                @else { span.badge.bad { (report.failing().count()) " failing" } }
            }
            ul.plain {
                @for c in report.failing() { (check_item(c)) }
            }
            @if report.checks.iter().any(|c| c.passed) {
                details {
                    summary { "Rules that pass" }
                    ul.plain { @for c in report.checks.iter().filter(|c| c.passed) { (check_item(c)) } }
                }
            }
        }
    }
}

pub fn status_badge(status: LoopStatus) -> Markup {
    html! { span.badge { (status.words()) } }
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    status: Option<String>,
    requisition: Option<String>,
    needs: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    cursor: Option<String>,
}

/// The list's columns that sort, as links name them.
const SORTS: [(&str, SortKey); 6] = [
    ("created", SortKey::Created),
    ("candidate", SortKey::Candidate),
    ("role", SortKey::Role),
    ("status", SortKey::Status),
    ("feedback", SortKey::Progress),
    ("next", SortKey::Next),
];

fn sort_name(key: SortKey) -> &'static str {
    SORTS
        .iter()
        .find(|(_, k)| *k == key)
        .map_or("created", |(n, _)| n)
}

/// The list's filters and order, parsed (what does not parse is left out).
struct Shown {
    status: Option<LoopStatus>,
    requisition: Option<RequisitionId>,
    needs_me: bool,
    sort: SortKey,
    descending: bool,
}

impl Shown {
    fn parse(q: &ListQuery) -> Self {
        let sort = q
            .sort
            .as_deref()
            .and_then(|s| SORTS.iter().find(|(n, _)| *n == s).map(|(_, k)| *k))
            .unwrap_or_default();
        Shown {
            status: q
                .status
                .as_deref()
                .and_then(|s| LoopStatus::ALL.into_iter().find(|x| x.as_str() == s)),
            requisition: q
                .requisition
                .as_deref()
                .and_then(|r| r.parse().ok())
                .filter(|r| *r > 0)
                .map(RequisitionId),
            needs_me: q.needs.as_deref() == Some("me"),
            sort,
            // Newest first unless asked otherwise.
            descending: match q.dir.as_deref() {
                Some("asc") => false,
                Some("desc") => true,
                _ => sort == SortKey::Created,
            },
        }
    }

    /// The list's address with these filters, sorted by `sort` in `descending`
    /// order, from `cursor`.
    fn link(&self, sort: SortKey, descending: bool, cursor: Option<&str>) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        if let Some(s) = self.status {
            q.append_pair("status", s.as_str());
        }
        if let Some(r) = self.requisition {
            q.append_pair("requisition", &r.get().to_string());
        }
        if self.needs_me {
            q.append_pair("needs", "me");
        }
        q.append_pair("sort", sort_name(sort));
        q.append_pair("dir", if descending { "desc" } else { "asc" });
        if let Some(c) = cursor {
            q.append_pair("cursor", c);
        }
        format!("{}?{}", urls::LOOPS, q.finish())
    }
}

/// A column heading that sorts the list by it (again: the other way).
fn sort_heading(shown: &Shown, key: SortKey, label: &str) -> Markup {
    let active = shown.sort == key;
    let next_descending = if active {
        !shown.descending
    } else {
        key == SortKey::Created
    };
    let aria = match (active, shown.descending) {
        (false, _) => "none",
        (true, false) => "ascending",
        (true, true) => "descending",
    };
    html! {
        th scope="col" aria-sort=(aria) {
            a href=(shown.link(key, next_descending, None)) {
                (label)
                @if active { span aria-hidden="true" { @if shown.descending { " ▼" } @else { " ▲" } } }
            }
        }
    }
}

fn board_row(
    b: &BoardLine,
    zone: crate::domain::TimeZone,
    now: chrono::DateTime<chrono::Utc>,
) -> Markup {
    let lp = &b.read.lp;
    html! {
        tr {
            td { a href=(urls::loop_page(LoopId(lp.id))) { (b.line.candidate_name) } }
            td { (b.line.role_title) }
            td {
                (status_badge(lp.status))
                @if b.ready_for_debrief { " " span.badge.ok { "Ready for debrief" } }
            }
            td {
                @if b.interviews > 0 {
                    span aria-hidden="true" { (b.submitted) "/" (b.interviews) }
                    span.sr-only { (b.submitted) " of " (b.interviews) " submitted" }
                } @else { "—" }
            }
            td {
                @if let Some(late) = b.feedback_late_by {
                    span.badge.bad { "Feedback " (super::time::ago(now, now - late)) " late" }
                } @else if let Some(next) = b.next_interview {
                    (when(zone, next.and_utc()))
                } @else { span.muted { "—" } }
            }
            td {
                @if !b.red_because.is_empty() {
                    span.badge.bad { @if lp.flagged_at.is_some() { "Flagged" } @else { "Red" } }
                    " " span { (b.red_because.join("; ")) }
                } @else if lp.status.is_editable() || LoopStatus::OPEN.contains(&lp.status) {
                    span.badge.ok { "Passes" }
                } @else { span.muted { "—" } }
            }
        }
    }
}

/// A list of loops without sorting (a requisition's, a candidate's).
pub fn board_table(lines: &[BoardLine], viewer: &Viewer, caption: &str) -> Markup {
    let now = chrono::Utc::now();
    let zone = viewer.user.zone();
    html! {
        @if lines.is_empty() {
            p.muted { "No loops yet." }
        } @else {
            div.table-wrap {
                table {
                    caption.muted { (caption) }
                    thead { tr {
                        th scope="col" { "Candidate" } th scope="col" { "Role" } th scope="col" { "Status" }
                        th scope="col" { "Feedback" } th scope="col" { "Next interview" } th scope="col" { "Independence" }
                    } }
                    tbody { @for b in lines { (board_row(b, zone, now)) } }
                }
            }
        }
    }
}

/// `GET /loops`: the loops the viewer may see, sorted by any column and
/// filtered by status, requisition and "needs me"; a page at a time.
pub async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let shown = Shown::parse(&query);
    let filter = BoardFilter {
        status: shown.status,
        requisition_id: shown.requisition,
        candidate_id: None,
        needs_me: shown.needs_me,
        sort: shown.sort,
        descending: shown.descending,
        after: query.cursor.as_deref().and_then(board::parse_cursor),
    };
    let now = chrono::Utc::now();
    let page = board::board(&state.db, &viewer.user, filter, 50, now.naive_utc()).await?;
    let zone = viewer.user.zone();
    let body = html! {
        h1 { "Loops" }
        form.filters method="get" action=(urls::LOOPS) {
            div {
                label for="status" { "Status" }
                select #status name="status" {
                    option value="" { "All" }
                    @for s in LoopStatus::ALL {
                        (crate::web::page::option(s.as_str(), s.words(), Some(s) == shown.status))
                    }
                }
            }
            @if !page.requisitions.is_empty() {
                div {
                    label for="requisition" { "Requisition" }
                    select #requisition name="requisition" {
                        option value="" { "All" }
                        @for (id, title) in &page.requisitions {
                            (crate::web::page::option(&id.to_string(), title, shown.requisition.map(RequisitionId::get) == Some(*id)))
                        }
                    }
                }
            }
            div {
                label.inline for="needs" {
                    input #needs type="checkbox" name="needs" value="me" checked[shown.needs_me];
                    "Only loops that need me"
                }
            }
            input type="hidden" name="sort" value=(sort_name(shown.sort));
            input type="hidden" name="dir" value=(if shown.descending { "desc" } else { "asc" });
            div.actions { button.secondary type="submit" { "Show" } }
        }
        @if page.board.lines.is_empty() {
            p.muted { @if shown.needs_me { "Nothing needs you now." } @else { "No loops to show." } }
        } @else {
            div.table-wrap {
                table #loops {
                    caption.muted { "Loops you take part in" @if viewer.user.is_admin() { " (all, as an administrator)" } }
                    thead { tr {
                        (sort_heading(&shown, SortKey::Candidate, "Candidate"))
                        (sort_heading(&shown, SortKey::Role, "Role"))
                        (sort_heading(&shown, SortKey::Status, "Status"))
                        (sort_heading(&shown, SortKey::Progress, "Feedback"))
                        (sort_heading(&shown, SortKey::Next, "Next interview or late feedback"))
                        th scope="col" { "Independence" }
                    } }
                    tbody { @for b in &page.board.lines { (board_row(b, zone, now)) } }
                }
            }
            p.muted { a href=(shown.link(SortKey::Created, true, None)) { "Newest first" } }
            @if let Some(next) = &page.board.next {
                p { a href=(shown.link(shown.sort, shown.descending, Some(next))) { "More loops" } }
            }
        }
    };
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::OK,
        "Loops",
        body,
    ))
}

fn name(o: &Overview, id: i64) -> String {
    o.people()
        .get(&id)
        .cloned()
        .unwrap_or_else(|| format!("person {id}"))
}

fn overview_page(o: &Overview, viewer: &Viewer, problems: &[FieldProblem]) -> Markup {
    let zone = viewer.user.zone();
    let lp = &o.read.lp;
    let can_change = o.access.can_change();
    let open = lp.status.is_editable() || lp.status.can_cancel();
    html! {
        h1 { (o.candidate_name()) " — " (o.role_title()) }
        p {
            (status_badge(lp.status))
            @if lp.flagged_at.is_some() { " " span.badge.bad { "Flagged: no longer independent" } }
            @if let Some(reason) = &lp.cancel_reason { " " span.muted { "Cancelled: " (reason) } }
        }
        @if lp.status.debrief_held() || lp.status == LoopStatus::Scheduled {
            p { a.button href=(urls::debrief_room(LoopId(lp.id))) {
                @if lp.status == LoopStatus::Scheduled { "The debrief room" } @else { "Go to the debrief" }
            } }
        }
        div.two {
            div {
                section.card aria-labelledby="people-h" {
                    h2 #people-h { "People" }
                    dl {
                        dt { "Hiring manager" } dd { (name(o, lp.hiring_manager_id)) }
                        dt { "Bar raiser" } dd { (name(o, lp.bar_raiser_id)) }
                        dt { "Recruiter" } dd { (name(o, lp.recruiter_id)) }
                    }
                }
                @if o.access.can_see_independence() { (report_view(&o.read.report)) }
                (super::outcomes::section(o, viewer, problems))
                @if can_change && open {
                    section.card aria-labelledby="actions-h" {
                        h2 #actions-h { "Actions" }
                        @if lp.status.is_editable() {
                            p { a.button.secondary href=(urls::loop_builder(Some(LoopId(lp.id)))) { "Edit the panel" } }
                        }
                        @if lp.status == LoopStatus::Draft {
                            form method="post" action=(urls::loop_schedule(LoopId(lp.id))) {
                                input type="hidden" name="csrf_token" value=(viewer.csrf);
                                @if o.read.report.ok {
                                    button #schedule type="submit" { "Schedule" }
                                    p.hint { "Scheduling invites the panel. It needs every rule to pass." }
                                } @else {
                                    @let failing = o.read.report.failing().count();
                                    button #schedule type="submit" disabled aria-describedby="schedule-why" { "Schedule" }
                                    p.hint #schedule-why {
                                        "Scheduling needs every rule to pass; " (failing) " rule" @if failing != 1 { "s" } " fail (see Independence). Edit the panel or the bar raiser first."
                                    }
                                }
                            }
                        }
                        @if lp.status.can_cancel() {
                            form method="post" action=(urls::loop_cancel(LoopId(lp.id))) {
                                input type="hidden" name="csrf_token" value=(viewer.csrf);
                                label for="reason" { "Reason for cancelling" }
                                input #reason type="text" name="reason" maxlength=(CANCEL_REASON_MAX) required aria-describedby="reason-error";
                                (field_errors(problems, "reason"))
                                label.inline for="confirm-cancel" {
                                    input #confirm-cancel type="checkbox" name="confirm" value="yes" required aria-describedby="confirm-error";
                                    "Yes, cancel it: the panel's invitations are withdrawn"
                                }
                                (field_errors(problems, "confirm"))
                                div.actions { button.danger type="submit" { "Cancel the loop" } }
                            }
                        }
                    }
                }
            }
            div {
                section.card aria-labelledby="panel-h" {
                    h2 #panel-h { "Panel" }
                    div.table-wrap {
                        table {
                            thead { tr { th scope="col" { "Interviewer" } th scope="col" { "When" } th scope="col" { "Competencies" } th scope="col" { "Feedback" } } }
                            tbody {
                                @for e in &o.read.panel {
                                    tr {
                                        td { (name(o, e.interview.interviewer_id)) }
                                        td { (when(zone, e.interview.starts_at.and_utc())) }
                                        td { (e.competency_ids.iter().map(|c| o.competencies().get(c).cloned().unwrap_or_default()).collect::<Vec<_>>().join(", ")) }
                                        td {
                                            @let s = e.feedback();
                                            span.badge.ok[s == crate::domain::feedback::FeedbackStatus::Submitted] { (s.words()) }
                                            @if o.access.can_change() && crate::services::feedback::reminders::may_remind(
                                                lp.status, s, e.interview.ends_at, e.interview.last_reminded_at, chrono::Utc::now().naive_utc()).is_ok() {
                                                form.inline method="post" action=(urls::interview_remind(crate::domain::InterviewId(e.interview.id))) {
                                                    input type="hidden" name="csrf_token" value=(viewer.csrf);
                                                    button.secondary.small type="submit" { "Send a reminder" span.sr-only { " to " (name(o, e.interview.interviewer_id)) } }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                section.card aria-labelledby="audit-h" {
                    h2 #audit-h { "Audit trail" }
                    @if o.verification.ok {
                        p { span.badge.ok { "Verified" } " The chain of " (o.verification.events) " events is intact." }
                    } @else {
                        p { span.badge.bad { "Tampered" } " The chain breaks at event "
                            (o.verification.first_mismatch.as_ref().map_or(0, |m| m.seq)) "." }
                    }
                    ol {
                        @for e in o.events() {
                            li {
                                (when(zone, e.at.and_utc())) " · "
                                strong { (e.kind.replace('_', " ")) }
                                " by " (e.actor_id.map_or_else(|| "the system".to_owned(), |a| name(o, a)))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /loops/{id}`: for its participants and admins (anyone else: 404).
pub async fn show(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, PageError> {
    let page = overview::overview_with_user(&state.db, visitor.caller, id.into_inner()).await;
    let (viewer, o) = visitor.viewer(page)?;
    let title = format!("{} — {}", o.candidate_name(), o.role_title());
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::OK,
        &title,
        overview_page(&o, &viewer, &[]),
    ))
}

/// The loop page again, with what was refused.
async fn refused(
    state: &AppState,
    viewer: &Viewer,
    id: LoopId,
    problems: &[FieldProblem],
    notice: &str,
) -> Result<HttpResponse, PageError> {
    let o = overview::overview(&state.db, &viewer.user, id).await?;
    let title = format!("{} — {}", o.candidate_name(), o.role_title());
    let body = html! {
        p.flash.error role="alert" { (notice) }
        (overview_page(&o, viewer, problems))
    };
    Ok(render_status(
        &viewer.web,
        viewer,
        StatusCode::UNPROCESSABLE_ENTITY,
        &title,
        body,
    ))
}

/// `POST /loops/{id}/schedule`: refused with the failing rules shown.
pub async fn schedule(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    match loops::schedule(&state.db, &state.links, &viewer.user, id).await {
        Ok(_) => Ok(redirect_with(
            &viewer.web,
            &urls::loop_page(id),
            FlashKind::Done,
            "The loop is scheduled and the panel is invited.",
        )),
        Err(ServiceError::IndependenceFailed { failing }) => {
            let notice = format!(
                "Not scheduled: {} rule{} fail{}. Fix the panel or the bar raiser first.",
                failing.len(),
                if failing.len() == 1 { "" } else { "s" },
                if failing.len() == 1 { "s" } else { "" },
            );
            refused(&state, &viewer, id, &[], &notice).await
        }
        Err(ServiceError::Conflict { detail, .. }) => {
            refused(&state, &viewer, id, &[], &detail).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /loops/{id}/cancel` with a reason.
pub async fn cancel(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    let reason = parse_cancel_reason(form.get("reason").unwrap_or(""));
    // Cancelling cannot be undone: the form asks for a confirmation.
    let confirmed = form.get("confirm") == Some("yes");
    let reason = match (reason, confirmed) {
        (Ok(r), true) => r,
        (reason, confirmed) => {
            let mut problems = reason
                .err()
                .map(|e| e.into_field_problems().unwrap_or_default())
                .unwrap_or_default();
            if !confirmed {
                problems.push(FieldProblem {
                    field: "confirm".into(),
                    message: "tick to confirm: a cancelled loop cannot be scheduled again".into(),
                });
            }
            return refused(
                &state,
                &viewer,
                id,
                &problems,
                "Give a reason for cancelling, and confirm it.",
            )
            .await;
        }
    };
    match loops::cancel(&state.db, &state.links, &viewer.user, id, reason).await {
        Ok(_) => Ok(redirect_with(
            &viewer.web,
            &urls::loop_page(id),
            FlashKind::Done,
            "The loop is cancelled.",
        )),
        Err(ServiceError::Conflict { detail, .. }) => {
            refused(&state, &viewer, id, &[], &detail).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /interviews/{id}/remind`: the loop's recruiter (or an admin) mails
/// the interviewer a reminder; back to the loop with what happened.
async fn remind(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<crate::domain::InterviewId>,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, PageError> {
    let name = crate::services::feedback::reminders::remind(
        &state.db,
        &state.links,
        &viewer.user,
        id.into_inner(),
        chrono::Utc::now(),
    )
    .await?;
    let back = super::form::same_site_referer(&req).unwrap_or_else(|| urls::LOOPS.to_owned());
    Ok(redirect_with(
        &viewer.web,
        &back,
        FlashKind::Done,
        &format!("A reminder is on its way to {name}."),
    ))
}

/// `POST /loops/{id}/outcomes`: recorded, or the loop page again with the problems.
async fn record_outcome(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    let parsed = OutcomeKind::parse("kind", form.raw("kind")).and_then(|kind| {
        Outcome::parse(
            kind,
            GivenValue::Text(form.raw("value")),
            form.raw("observed_at"),
            chrono::Utc::now().date_naive(),
        )
    });
    let outcome = match parsed {
        Ok(o) => o,
        Err(e) => {
            let problems = e.into_field_problems().unwrap_or_default();
            return refused(
                &state,
                &viewer,
                id,
                &problems,
                "The outcome was not recorded.",
            )
            .await;
        }
    };
    match outcomes::record(&state.db, &viewer.user, id, outcome).await {
        Ok(_) => Ok(redirect_with(
            &viewer.web,
            &urls::loop_page(id),
            FlashKind::Done,
            "The outcome is recorded.",
        )),
        Err(ServiceError::Invalid(problems)) => {
            refused(
                &state,
                &viewer,
                id,
                &problems,
                "The outcome was not recorded.",
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
