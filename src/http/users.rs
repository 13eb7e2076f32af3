use actix_web::{HttpResponse, web};

use super::json::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{List, Page, double_option, parse_flag, utc};
use crate::auth::CurrentUser;
use crate::db::users::{self, User, UserChanges, UserFilter};
use crate::domain::{BarRaiserStatus, Email, NewPassword, OneLine, PersonName, Role};
use crate::error::{AllValid, ApiError};
use crate::hiring::independence;
use crate::people::{self, NewAccount};
use crate::state::AppState;

const DEPARTMENT_MAX: usize = 200;

#[derive(Debug, Serialize)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub manager_id: Option<i64>,
    pub department: Option<String>,
    pub bar_raiser: BarRaiserStatus,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        Self {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            manager_id: u.manager_id,
            department: u.department,
            bar_raiser: u.bar_raiser,
            active: u.active,
            created_at: utc(u.created_at),
            updated_at: utc(u.updated_at),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ListUsersQuery {
    role: Option<String>,
    bar_raiser: Option<String>,
    active: Option<String>,
    q: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

impl ListUsersQuery {
    fn parse(self) -> Result<(UserFilter, Page), ApiError> {
        let (page, active, query, role, bar_raiser) = (
            Page::parse(self.limit.as_deref(), self.cursor.as_deref()),
            parse_flag("active", self.active.as_deref()),
            OneLine::parse_optional("q", self.q.as_deref(), 200),
            self.role.as_deref().map(str::parse::<Role>).transpose(),
            self.bar_raiser
                .as_deref()
                .map(str::parse::<BarRaiserStatus>)
                .transpose(),
        )
            .all_valid()?;
        let filter = UserFilter {
            role,
            bar_raiser,
            active,
            query: query.map(OneLine::into_string),
        };
        Ok((filter, page))
    }
}

/// `GET /users`: the directory, for any signed-in user.
pub async fn list_users(
    state: web::Data<AppState>,
    _user: CurrentUser,
    query: web::Query<ListUsersQuery>,
) -> Result<HttpResponse, ApiError> {
    let (filter, page) = query.into_inner().parse()?;
    let rows = state
        .db
        .run(move |c| Ok(users::list(c, &filter, page.after, page.fetch())?))
        .await?;
    Ok(HttpResponse::Ok().json(List::from_rows(rows, page, |u| u.id, UserView::from)))
}

/// `GET /users/{id}`
pub async fn get_user(
    state: web::Data<AppState>,
    _user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let user = state.db.run(move |c| Ok(users::find(c, id)?)).await?;
    Ok(HttpResponse::Ok().json(UserView::from(user.ok_or(ApiError::NotFound)?)))
}

#[derive(Debug, Deserialize)]
pub struct CreateUserRequest {
    email: String,
    name: String,
    password: String,
    role: String,
    manager_id: Option<i64>,
    department: Option<String>,
}

/// `POST /users` (admin).
pub async fn create_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require_admin()?;
    let body = body.into_inner();
    let (email, name, password, role, department) = (
        Email::parse("email", &body.email),
        PersonName::parse("name", &body.name),
        NewPassword::parse("password", body.password),
        body.role.parse::<Role>(),
        OneLine::parse_optional("department", body.department.as_deref(), DEPARTMENT_MAX),
    )
        .all_valid()?;
    let account = NewAccount {
        email,
        name,
        role,
        manager_id: body.manager_id,
        department: department.map(OneLine::into_string),
    };
    let hash = state.passwords.hash(password.expose().to_owned()).await?;
    let public_url = state.public_url.clone();
    let created = state
        .db
        .write(move |c| people::create_account(c, &account, &hash, &public_url))
        .await?;
    tracing::info!(user.id = created.id, by = user.0.id, "user created");
    Ok(HttpResponse::Created().json(UserView::from(created)))
}

#[derive(Debug, Deserialize)]
pub struct UpdateUserRequest {
    name: Option<String>,
    role: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    manager_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "double_option")]
    department: Option<Option<String>>,
    active: Option<bool>,
}

/// `PATCH /users/{id}` (admin): name, role, manager, department, active.
pub async fn update_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: Json<UpdateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require_admin()?;
    let id = id.into_inner();
    let body = body.into_inner();
    let (name, role, department) = (
        body.name
            .as_deref()
            .map(|n| PersonName::parse("name", n))
            .transpose(),
        body.role.as_deref().map(str::parse::<Role>).transpose(),
        body.department
            .map(|d| {
                OneLine::parse_optional("department", d.as_deref(), DEPARTMENT_MAX)
                    .map(|d| d.map(OneLine::into_string))
            })
            .transpose(),
    )
        .all_valid()?;
    if id == user.0.id && (role.is_some_and(|r| r != Role::Admin) || body.active == Some(false)) {
        return Err(ApiError::conflict(
            "self_lockout",
            "Admins cannot demote or deactivate themselves; ask another admin.",
        ));
    }
    let manager_id = body.manager_id;
    let active = body.active;
    let public_url = state.public_url.clone();
    let actor = user.0.id;

    let updated = state
        .db
        .write(move |c| {
            let current = users::find(c, id)?.ok_or(ApiError::NotFound)?;
            if let Some(Some(manager_id)) = manager_id {
                people::require_user(c, "manager_id", manager_id)?;
                people::check_no_cycle(c, &current, manager_id)?;
            }
            let role_changed = role.is_some_and(|r| r != current.role);
            let deactivated = active == Some(false) && current.active;
            let manager_changed = manager_id.is_some_and(|m| m != current.manager_id);
            let org_changed = role_changed
                || manager_changed
                || active.is_some_and(|a| a != current.active)
                || department
                    .as_ref()
                    .is_some_and(|d| *d != current.department);
            let changes = UserChanges {
                name: name.map(|n| n.as_ref().to_owned()),
                role: role.map(|r| r.as_str().to_owned()),
                manager_id,
                department,
                active,
                // A role change revokes the tokens issued under the old role; a
                // deactivation revokes every token for good (reactivating the
                // account does not bring them back).
                token_version: (role_changed || deactivated).then_some(current.token_version + 1),
                ..Default::default()
            };
            let updated = users::update(c, id, changes)?;
            if org_changed {
                // Same transaction: loops that turn red are flagged and their recruiters mailed.
                independence::reevaluate_after_change(
                    c,
                    id,
                    manager_changed,
                    Some(actor),
                    &public_url,
                )?;
            }
            Ok(updated)
        })
        .await?;
    tracing::info!(user.id = id, by = user.0.id, "user updated");
    Ok(HttpResponse::Ok().json(UserView::from(updated)))
}

#[derive(Debug, Deserialize)]
pub struct SetBarRaiserRequest {
    status: String,
}

/// `PUT /users/{id}/bar-raiser` (admin).
pub async fn set_bar_raiser(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: Json<SetBarRaiserRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require_admin()?;
    let id = id.into_inner();
    let status: BarRaiserStatus = body.status.parse()?;
    let public_url = state.public_url.clone();
    let actor = user.0.id;
    let updated = state
        .db
        .write(move |c| {
            let current = users::find(c, id)?.ok_or(ApiError::NotFound)?;
            let changes = UserChanges {
                bar_raiser: Some(status.as_str().to_owned()),
                ..Default::default()
            };
            let updated = users::update(c, id, changes)?;
            if current.bar_raiser != status {
                independence::reevaluate_after_change(c, id, false, Some(actor), &public_url)?;
            }
            Ok(updated)
        })
        .await?;
    tracing::info!(user.id = id, by = user.0.id, status = %status, "bar raiser status set");
    Ok(HttpResponse::Ok().json(UserView::from(updated)))
}
