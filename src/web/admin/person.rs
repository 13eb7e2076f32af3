//! `/admin/people/{id}`: one person as an admin edits them — name, role,
//! manager, department with a **Preview** (a rehearsal, rolled back, listing
//! the open loops the change would turn red) before **Save**; the bar raiser
//! standing with its history; deactivate and reactivate.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::{Admin, words};
use crate::domain::{
    BarRaiserStatus, DEPARTMENT_MAX, FieldProblem, OneLine, PersonName, Role, UserId,
};
use crate::error::{AllValid, ServiceError};
use crate::services::hiring::independence::TurnedRed;
use crate::services::people::{self, Profile, User, UserEdit};
use crate::state::AppState;
use crate::urls;

use super::super::form::Form;
use super::super::page::{PageError, field_errors, redirect_with, render_status};
use super::super::session::{FlashKind, Viewer};
use super::super::time::when;

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::ADMIN_PERSON, web::get().to(show))
        .route(urls::ADMIN_PERSON, web::post().to(edit))
        .route(urls::ADMIN_PERSON_BAR_RAISER, web::post().to(bar_raiser))
        .route(urls::ADMIN_PERSON_ACTIVE, web::post().to(active));
}

/// What the edit form holds: the person's values, or what was entered.
struct Entered {
    name: String,
    role: String,
    manager_id: Option<i64>,
    department: String,
}

impl Entered {
    fn of(user: &User) -> Self {
        Self {
            name: user.name.clone(),
            role: user.role.as_str().to_owned(),
            manager_id: user.manager_id,
            department: user.department.clone().unwrap_or_default(),
        }
    }
}

/// The result of a Preview: the person as they would be, and the loops.
struct Rehearsed {
    after: User,
    red: Vec<TurnedRed>,
}

#[derive(Default)]
struct Outcome {
    problems: Vec<FieldProblem>,
    refusal: Option<String>,
    preview: Option<Rehearsed>,
}

fn change_lines(before: &User, after: &User, names: &dyn Fn(Option<i64>) -> String) -> Vec<String> {
    let mut lines = Vec::new();
    if before.name != after.name {
        lines.push(format!("Name: {} → {}", before.name, after.name));
    }
    if before.role != after.role {
        lines.push(format!(
            "Role: {} → {}",
            words(before.role.as_str()),
            words(after.role.as_str())
        ));
    }
    if before.manager_id != after.manager_id {
        lines.push(format!(
            "Manager: {} → {}",
            names(before.manager_id),
            names(after.manager_id)
        ));
    }
    if before.department != after.department {
        let d = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".into());
        lines.push(format!(
            "Department: {} → {}",
            d(&before.department),
            d(&after.department)
        ));
    }
    lines
}

fn page(
    viewer: &Viewer,
    profile: &Profile,
    managers: &[User],
    entered: &Entered,
    outcome: &Outcome,
) -> Markup {
    let user = &profile.user;
    let id = UserId(user.id);
    let zone = viewer.user.zone();
    let name_of = |m: Option<i64>| -> String {
        match m {
            None => "no manager".into(),
            Some(m) => managers
                .iter()
                .find(|u| u.id == m)
                .map(|u| u.name.clone())
                .or_else(|| {
                    profile
                        .chain
                        .iter()
                        .find(|l| l.id == m)
                        .map(|l| l.name.clone())
                })
                .unwrap_or_else(|| format!("person {m}")),
        }
    };
    html! {
        p { a href=(urls::ADMIN_PEOPLE) { "← People" } }
        h1 { (user.name) }
        p.muted {
            (user.email) " · " (words(user.role.as_str()))
            @if !user.active { " · " span.badge.warn { "deactivated" } }
            @if user.bar_raiser == BarRaiserStatus::Certified { " · " span.badge.ok { "bar raiser" } }
        }
        nav aria-label="Reporting line" {
            p {
                @if profile.chain.is_empty() { "Reports to nobody." } @else {
                    "Reports to "
                    @for (i, link) in profile.chain.iter().enumerate() {
                        @if i > 0 { " → " }
                        a href=(urls::admin_person(UserId(link.id))) { (link.name) }
                    }
                    "."
                }
                " "
                a href=(urls::admin_org(Some(id))) { "See them in the organisation" }
                " · "
                a href=(urls::admin_audit(&[("subject_type", "user"), ("subject_id", &user.id.to_string())], None)) { "Their audit trail" }
            }
        }
        div.two {
            section.card aria-labelledby="edit-h" {
                h2 #edit-h { "Details" }
                @if let Some(r) = &outcome.refusal { p.flash.error role="alert" { (r) } }
                form method="post" action=(urls::admin_person(id)) {
                    input type="hidden" name="csrf_token" value=(viewer.csrf);
                    label for="p-name" { "Name" }
                    input #p-name type="text" name="name" required maxlength="200" value=(entered.name) aria-describedby="name-error";
                    (field_errors(&outcome.problems, "name"))
                    label for="p-role" { "Role" }
                    @if profile.actions.change_role {
                        select #p-role name="role" aria-describedby="role-error" {
                            @for r in Role::ALL { option value=(r.as_str()) selected[r.as_str() == entered.role] { (words(r.as_str())) } }
                        }
                    } @else {
                        select #p-role name="role" disabled aria-describedby="role-hint" {
                            option { (words(user.role.as_str())) }
                        }
                        p.hint #role-hint { "You cannot change your own role; ask another admin." }
                    }
                    (field_errors(&outcome.problems, "role"))
                    label for="p-manager" { "Manager" }
                    select #p-manager name="manager_id" aria-describedby="manager_id-error" {
                        option value="" selected[entered.manager_id.is_none()] { "No manager" }
                        @for m in managers.iter().filter(|m| m.id != user.id) {
                            option value=(m.id) selected[entered.manager_id == Some(m.id)] { (m.name) " (" (m.email) ")" }
                        }
                    }
                    (field_errors(&outcome.problems, "manager_id"))
                    label for="p-department" { "Department" }
                    input #p-department type="text" name="department" maxlength=(DEPARTMENT_MAX) value=(entered.department) aria-describedby="department-error";
                    (field_errors(&outcome.problems, "department"))
                    p.hint { "Preview shows what a change would do to open loops before anything is saved." }
                    div.actions {
                        button.secondary #preview type="submit" name="intent" value="preview" { "Preview" }
                        button #save type="submit" name="intent" value="save" { "Save" }
                    }
                }
                @if let Some(p) = &outcome.preview {
                    section #preview-result aria-labelledby="preview-h" aria-live="polite" {
                        h3 #preview-h { "If you save" }
                        @let lines = change_lines(user, &p.after, &name_of);
                        @if lines.is_empty() { p { "Nothing changes." } } @else {
                            ul { @for l in &lines { li { (l) } } }
                        }
                        @if p.red.is_empty() {
                            p { span.badge.ok { "no loop turns red" } " No open loop would fail a rule." }
                        } @else {
                            p { span.badge.bad { (p.red.len()) " open loop" @if p.red.len() != 1 { "s" } " would turn red" } }
                            (red_loops(&p.red))
                        }
                        p.hint { "Nothing is saved yet." }
                    }
                }
            }
            div {
                section.card aria-labelledby="br-h" {
                    h2 #br-h { "Bar raiser" }
                    form method="post" action=(urls::admin_person_bar_raiser(id)) {
                        input type="hidden" name="csrf_token" value=(viewer.csrf);
                        label for="p-status" { "Standing" }
                        select #p-status name="status" {
                            @for s in BarRaiserStatus::ALL { option value=(s.as_str()) selected[s == user.bar_raiser] { (words(s.as_str())) } }
                        }
                        div.actions { button.secondary #set-standing type="submit" { "Set standing" } }
                    }
                    h3 { "History" }
                    ol.history {
                        @for s in &profile.standings {
                            li {
                                strong { (words(s.status.as_str())) }
                                @match s.since {
                                    Some(at) => { " since " (when(zone, at.and_utc())) }
                                    None => { " since before the audit trail began" }
                                }
                                @if let Some(by) = s.by.and_then(|b| profile.names.get(&b)) { " (set by " (by) ")" }
                            }
                        }
                    }
                }
                section.card aria-labelledby="active-h" {
                    h2 #active-h { "Account" }
                    @if profile.actions.deactivate {
                        p.hint { "Deactivating ends their sessions at once and retires unused invitation and reset links. Their loops and feedback stay." }
                        form method="post" action=(urls::admin_person_active(id)) {
                            input type="hidden" name="csrf_token" value=(viewer.csrf);
                            input type="hidden" name="active" value="false";
                            button.danger #deactivate type="submit" { "Deactivate " (user.name) }
                        }
                    } @else if profile.actions.reactivate {
                        p { "This account is deactivated." }
                        form method="post" action=(urls::admin_person_active(id)) {
                            input type="hidden" name="csrf_token" value=(viewer.csrf);
                            input type="hidden" name="active" value="true";
                            button #reactivate type="submit" { "Reactivate " (user.name) }
                        }
                    } @else {
                        p.hint { "You cannot deactivate your own account; ask another admin." }
                    }
                }
                section.card aria-labelledby="reports-h" {
                    h2 #reports-h { "Reports" }
                    @if profile.reports.is_empty() { p.muted { "Nobody reports to " (user.name) "." } } @else {
                        ul { @for r in &profile.reports {
                            li { a href=(urls::admin_person(UserId(r.id))) { (r.name) } @if !r.active { " " span.badge.warn { "deactivated" } } }
                        } }
                    }
                }
            }
        }
    }
}

/// The open loops a change turns red, by candidate, role and failing rule.
pub fn red_loops(red: &[TurnedRed]) -> Markup {
    html! {
        div.table-wrap tabindex="0" role="region" aria-label="Loops that would turn red" {
            table {
                thead { tr { th scope="col" { "Candidate" } th scope="col" { "Role" } th scope="col" { "Failing rule" } } }
                tbody {
                    @for l in red {
                        tr {
                            td { a href=(urls::loop_page(crate::domain::LoopId(l.loop_id))) { (l.candidate) } }
                            td { (l.role) }
                            td { ul.plain { @for (rule, detail) in &l.failing { li { code { (rule) } ": " (detail) } } } }
                        }
                    }
                }
            }
        }
    }
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: UserId,
    entered: Option<Entered>,
    outcome: Outcome,
) -> Result<HttpResponse, PageError> {
    let profile = people::profile(&state.db, &viewer.user, id).await?;
    let managers = people::manager_choices(&state.db, &viewer.user).await?;
    let entered = entered.unwrap_or_else(|| Entered::of(&profile.user));
    let status = if outcome.problems.is_empty() && outcome.refusal.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = profile.user.name.clone();
    Ok(render_status(
        &viewer.web,
        viewer,
        status,
        &title,
        page(viewer, &profile, &managers, &entered, &outcome),
    ))
}

/// `GET /admin/people/{id}`
async fn show(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    id: web::Path<UserId>,
) -> Result<HttpResponse, PageError> {
    render(&state, &viewer, id.into_inner(), None, Outcome::default()).await
}

/// `POST /admin/people/{id}`: `intent=preview` rehearses, `intent=save` applies.
async fn edit(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    id: web::Path<UserId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    let entered = Entered {
        name: form.raw("name").to_owned(),
        role: form.raw("role").to_owned(),
        manager_id: form.id("manager_id").ok().flatten(),
        department: form.raw("department").to_owned(),
    };
    let parsed = (
        PersonName::parse("name", form.raw("name")).map_err(ServiceError::from),
        form.get("role")
            .map(|r| r.parse::<Role>())
            .transpose()
            .map_err(ServiceError::from),
        form.id("manager_id")
            .map_err(|p| ServiceError::Invalid(vec![p])),
        OneLine::parse_optional("department", form.get("department"), DEPARTMENT_MAX)
            .map_err(ServiceError::from),
    )
        .all_valid();
    let saving = form.get("intent") == Some("save");
    let result = match parsed {
        Err(e) => Err(e),
        Ok((name, role, manager_id, department)) => {
            let edit = UserEdit {
                name: Some(name),
                role,
                manager_id: Some(manager_id.map(UserId)),
                department: Some(department),
                active: None,
            };
            if saving {
                people::change(&state.db, &state.links, &viewer.user, id, edit)
                    .await
                    .map(|(user, red)| (true, user, red))
            } else {
                people::preview_update(&state.db, &state.links, &viewer.user, id, edit)
                    .await
                    .map(|(user, red)| (false, user, red))
            }
        }
    };
    let mut outcome = Outcome::default();
    match result {
        Ok((true, user, red)) => {
            let text = if red.is_empty() {
                format!("{} is saved.", user.name)
            } else {
                format!(
                    "{} is saved. {} open loop{} turned red; their recruiters are told.",
                    user.name,
                    red.len(),
                    if red.len() == 1 { "" } else { "s" }
                )
            };
            return Ok(redirect_with(
                &viewer.web,
                &urls::admin_person(id),
                FlashKind::Done,
                &text,
            ));
        }
        Ok((false, after, red)) => outcome.preview = Some(Rehearsed { after, red }),
        Err(ServiceError::Invalid(problems)) => outcome.problems = problems,
        Err(e @ (ServiceError::Rule { .. } | ServiceError::Conflict { .. })) => {
            outcome.refusal = Some(e.reason())
        }
        Err(e) => return Err(e.into()),
    }
    render(&state, &viewer, id, Some(entered), outcome).await
}

/// `POST /admin/people/{id}/bar-raiser`
async fn bar_raiser(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    id: web::Path<UserId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    let status = form
        .raw("status")
        .parse::<BarRaiserStatus>()
        .map_err(ServiceError::from)?;
    let user = people::set_bar_raiser(&state.db, &state.links, &viewer.user, id, status).await?;
    Ok(redirect_with(
        &viewer.web,
        &urls::admin_person(id),
        FlashKind::Done,
        &format!("{} is now {}.", user.name, words(status.as_str())),
    ))
}

/// `POST /admin/people/{id}/active`: `active=false` deactivates, `true` reactivates.
async fn active(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    id: web::Path<UserId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    let active = crate::domain::parse_flag("active", form.get("active"))
        .map_err(ServiceError::from)?
        .ok_or_else(|| ServiceError::field("active", "must be true or false"))?;
    let edit = UserEdit {
        active: Some(active),
        ..Default::default()
    };
    let user = people::update(&state.db, &state.links, &viewer.user, id, edit).await?;
    let text = if active {
        format!(
            "{} is active again. They sign in with their password or a reset link.",
            user.name
        )
    } else {
        format!("{} is deactivated; their sessions have ended.", user.name)
    };
    Ok(redirect_with(
        &viewer.web,
        &urls::admin_person(id),
        FlashKind::Done,
        &text,
    ))
}
