//! `/admin/people`: everyone, searchable by name, email or department,
//! filtered by role, bar raiser status and whether active, a page at a time;
//! and **Add a person**, who is mailed an invitation to choose a password.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::{Admin, words};
use crate::domain::{
    BarRaiserStatus, DEPARTMENT_MAX, Email, FieldProblem, OneLine, Page, PersonName, Role, UserId,
};
use crate::error::{AllValid, ServiceError};
use crate::services::people::{self, NewAccount, User, UserFilter};
use crate::state::AppState;
use crate::urls;

use super::super::form::Form;
use super::super::page::{PageError, field_errors, redirect_with, render_status};
use super::super::session::{FlashKind, Viewer};

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::ADMIN_PEOPLE, web::get().to(list))
        .route(urls::ADMIN_PEOPLE, web::post().to(add));
}

#[derive(serde::Deserialize, Default)]
struct ListQuery {
    q: Option<String>,
    role: Option<String>,
    bar_raiser: Option<String>,
    active: Option<String>,
    cursor: Option<String>,
}

impl ListQuery {
    /// The filter it names; a value that names nothing is no filter.
    fn filter(&self) -> UserFilter {
        fn text(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|v| !v.is_empty())
        }
        UserFilter {
            role: text(&self.role).and_then(|r| r.parse::<Role>().ok()),
            bar_raiser: text(&self.bar_raiser).and_then(|b| b.parse::<BarRaiserStatus>().ok()),
            active: match text(&self.active) {
                Some("true") => Some(true),
                Some("false") => Some(false),
                _ => None,
            },
            query: text(&self.q)
                .and_then(|q| OneLine::parse("q", q, 200).ok())
                .map(OneLine::into_string),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("q", &self.q),
            ("role", &self.role),
            ("bar_raiser", &self.bar_raiser),
            ("active", &self.active),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.as_deref().unwrap_or("")))
        .collect()
    }
}

fn select(name: &str, label: &str, current: Option<&str>, options: &[(&str, String)]) -> Markup {
    let id = format!("f-{name}");
    html! {
        label for=(id) { (label) }
        select id=(id) name=(name) {
            @for (value, text) in options {
                option value=(value) selected[current == Some(*value)] { (text) }
            }
        }
    }
}

fn page(
    viewer: &Viewer,
    query: &ListQuery,
    directory: &people::Directory,
    managers: &[User],
    problems: &[FieldProblem],
) -> Markup {
    let any = ("", "Any".to_owned());
    let roles: Vec<(&str, String)> = std::iter::once(any.clone())
        .chain(Role::ALL.iter().map(|r| (r.as_str(), words(r.as_str()))))
        .collect();
    let statuses: Vec<(&str, String)> = std::iter::once(any.clone())
        .chain(
            BarRaiserStatus::ALL
                .iter()
                .map(|b| (b.as_str(), words(b.as_str()))),
        )
        .collect();
    let active = [
        any,
        ("true", "Active".to_owned()),
        ("false", "Deactivated".to_owned()),
    ];
    let listing = &directory.listing;
    html! {
        h1 { "People" }
        p { a href=(urls::ADMIN_PEOPLE_IMPORT) { "Import people from a CSV file" } " · " a href=(urls::ADMIN_ORG) { "The organisation chart" } }
        div.two {
            section.card aria-labelledby="find-h" {
                h2 #find-h { "Find people" }
                form method="get" action=(urls::ADMIN_PEOPLE) {
                    label for="f-q" { "Name, email or department" }
                    input #f-q type="text" name="q" value=(query.q.as_deref().unwrap_or(""));
                    (select("role", "Role", query.role.as_deref(), &roles))
                    (select("bar_raiser", "Bar raiser status", query.bar_raiser.as_deref(), &statuses))
                    (select("active", "Active", query.active.as_deref(), &active))
                    div.actions { button.secondary type="submit" { "Search" } }
                }
            }
            section.card aria-labelledby="add-h" {
                h2 #add-h { "Add a person" }
                p.hint { "They are mailed an invitation to choose their password." }
                form method="post" action=(urls::ADMIN_PEOPLE) {
                    input type="hidden" name="csrf_token" value=(viewer.csrf);
                    label for="a-name" { "Name" }
                    input #a-name type="text" name="name" required maxlength="200" aria-describedby="name-error";
                    (field_errors(problems, "name"))
                    label for="a-email" { "Email" }
                    input #a-email type="email" name="email" required aria-describedby="email-error";
                    (field_errors(problems, "email"))
                    label for="a-role" { "Role" }
                    select #a-role name="role" aria-describedby="role-error" {
                        @for r in Role::ALL { option value=(r.as_str()) selected[r == Role::Member] { (words(r.as_str())) } }
                    }
                    (field_errors(problems, "role"))
                    label for="a-manager" { "Manager" }
                    select #a-manager name="manager_id" aria-describedby="manager_id-error" {
                        option value="" { "No manager" }
                        @for m in managers { option value=(m.id) { (m.name) " (" (m.email) ")" } }
                    }
                    (field_errors(problems, "manager_id"))
                    label for="a-department" { "Department" }
                    input #a-department type="text" name="department" maxlength=(DEPARTMENT_MAX) aria-describedby="department-error";
                    (field_errors(problems, "department"))
                    div.actions { button #add-person type="submit" { "Add and invite" } }
                }
            }
        }
        @if listing.items.is_empty() {
            p.muted { "Nobody matches." }
        } @else {
            div.table-wrap tabindex="0" role="region" aria-label="People" {
                table {
                    thead { tr {
                        th scope="col" { "Name" } th scope="col" { "Email" } th scope="col" { "Role" }
                        th scope="col" { "Manager" } th scope="col" { "Department" }
                        th scope="col" { "Bar raiser" } th scope="col" { "Active" }
                    } }
                    tbody {
                        @for u in &listing.items {
                            tr {
                                td { a href=(urls::admin_person(UserId(u.id))) { (u.name) } }
                                td { (u.email) }
                                td { (words(u.role.as_str())) }
                                td { (u.manager_id.and_then(|m| directory.managers.get(&m).cloned()).unwrap_or_default()) }
                                td { (u.department.as_deref().unwrap_or("")) }
                                td { (words(u.bar_raiser.as_str())) }
                                td { @if u.active { "yes" } @else { span.badge.warn { "deactivated" } } }
                            }
                        }
                    }
                }
            }
            @if let Some(next) = listing.next {
                p { a href=(urls::admin_people(&query.pairs(), Some(&next.to_string()))) { "More people" } }
            }
        }
    }
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    query: &ListQuery,
    problems: &[FieldProblem],
) -> Result<HttpResponse, PageError> {
    let page_at = Page::parse(Some("50"), query.cursor.as_deref()).unwrap_or_default();
    let directory = people::directory(&state.db, &viewer.user, query.filter(), page_at).await?;
    let managers = people::manager_choices(&state.db, &viewer.user).await?;
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        &viewer.web,
        viewer,
        status,
        "People",
        page(viewer, query, &directory, &managers, problems),
    ))
}

/// `GET /admin/people?q=&role=&bar_raiser=&active=`
async fn list(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    render(&state, &viewer, &query, &[]).await
}

/// `POST /admin/people`: a new person, invited by mail (no password field).
async fn add(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = Form::parse(&body);
    let parsed = (
        Email::parse("email", form.raw("email")).map_err(ServiceError::from),
        PersonName::parse("name", form.raw("name")).map_err(ServiceError::from),
        form.raw("role").parse::<Role>().map_err(ServiceError::from),
        form.id("manager_id")
            .map_err(|p| ServiceError::Invalid(vec![p])),
        OneLine::parse_optional("department", form.get("department"), DEPARTMENT_MAX)
            .map_err(ServiceError::from),
    )
        .all_valid();
    let outcome = match parsed {
        Ok((email, name, role, manager_id, department)) => {
            let account = NewAccount {
                email,
                name,
                role,
                manager_id: manager_id.map(UserId),
                department,
            };
            people::create(
                &state.db,
                &state.passwords,
                &state.links,
                &viewer.user,
                account,
                None,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(user) => Ok(redirect_with(
            &viewer.web,
            &urls::admin_people(&[("q", &user.email)], None),
            FlashKind::Done,
            &format!("{} is added and invited by mail.", user.name),
        )),
        Err(ServiceError::Invalid(problems)) => {
            render(&state, &viewer, &ListQuery::default(), &problems).await
        }
        Err(e) => Err(e.into()),
    }
}
