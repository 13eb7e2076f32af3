use actix_web::{HttpResponse, web};

use super::json::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{List, Page, parse_flag, utc};
use crate::auth::CurrentUser;
use crate::db::competencies::{self, Competency, CompetencyChanges, NewCompetency};
use crate::db::now;
use crate::domain::{Anchors, CompetencyKey, LongText, OneLine, Questions};
use crate::error::{AllValid, ApiError};
use crate::state::AppState;

/// The rating anchors, keyed by rating: 1 = strong concern … 4 = strong evidence.
#[derive(Debug, Serialize, Deserialize)]
pub struct AnchorsDto {
    #[serde(rename = "1")]
    one: String,
    #[serde(rename = "2")]
    two: String,
    #[serde(rename = "3")]
    three: String,
    #[serde(rename = "4")]
    four: String,
}

impl AnchorsDto {
    fn parse(&self) -> Result<Anchors, crate::domain::DomainError> {
        Anchors::parse([&self.one, &self.two, &self.three, &self.four])
    }
}

#[derive(Debug, Serialize)]
pub struct CompetencyView {
    id: i64,
    key: String,
    name: String,
    description: String,
    anchors: AnchorsDto,
    questions: Vec<String>,
    active: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<Competency> for CompetencyView {
    fn from(c: Competency) -> Self {
        let questions = c.questions();
        Self {
            id: c.id,
            key: c.key,
            name: c.name,
            description: c.description,
            anchors: AnchorsDto {
                one: c.anchor_1,
                two: c.anchor_2,
                three: c.anchor_3,
                four: c.anchor_4,
            },
            questions,
            active: c.active,
            created_at: utc(c.created_at),
            updated_at: utc(c.updated_at),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ListCompetenciesQuery {
    active: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

/// `GET /competencies` (`?active=true|false`; both by default, so retired
/// competencies of old loops stay readable).
pub async fn list_competencies(
    state: web::Data<AppState>,
    _user: CurrentUser,
    query: web::Query<ListCompetenciesQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let page = Page::parse(query.limit.as_deref(), query.cursor.as_deref())?;
    let active = parse_flag("active", query.active.as_deref())?;
    let rows = state
        .db
        .run(move |c| Ok(competencies::list(c, active, page.after, page.fetch())?))
        .await?;
    Ok(HttpResponse::Ok().json(List::from_rows(rows, page, |r| r.id, CompetencyView::from)))
}

/// `GET /competencies/{id}`
pub async fn get_competency(
    state: web::Data<AppState>,
    _user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = state
        .db
        .run(move |c| Ok(competencies::find(c, id)?))
        .await?;
    Ok(HttpResponse::Ok().json(CompetencyView::from(row)))
}

const NAME_MAX: usize = 200;
const DESCRIPTION_MAX: usize = 4000;

#[derive(Debug, Deserialize)]
pub struct CreateCompetencyRequest {
    key: String,
    name: String,
    description: String,
    anchors: AnchorsDto,
    questions: Vec<String>,
}

/// `POST /competencies` (admin).
pub async fn create_competency(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateCompetencyRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require_admin()?;
    let body = body.into_inner();
    let (key, name, description, anchors, questions) = (
        CompetencyKey::parse(&body.key),
        OneLine::parse("name", &body.name, NAME_MAX),
        LongText::parse("description", &body.description, DESCRIPTION_MAX),
        body.anchors.parse(),
        Questions::parse(&body.questions),
    )
        .all_valid()?;
    let created = state
        .db
        .write(move |c| {
            let [a1, a2, a3, a4] = anchors.texts();
            let at = now();
            let new = NewCompetency {
                key: key.as_ref(),
                name: name.as_ref(),
                description: description.as_ref(),
                anchor_1: a1,
                anchor_2: a2,
                anchor_3: a3,
                anchor_4: a4,
                questions: competencies::questions_json(questions.as_slice()),
                active: true,
                created_at: at,
                updated_at: at,
            };
            competencies::insert(c, &new).map_err(|e| match ApiError::from(e) {
                ApiError::Conflict { .. } => {
                    ApiError::conflict("key_taken", "A competency with this key already exists.")
                }
                other => other,
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(CompetencyView::from(created)))
}

#[derive(Debug, Deserialize)]
pub struct UpdateCompetencyRequest {
    name: Option<String>,
    description: Option<String>,
    anchors: Option<AnchorsDto>,
    questions: Option<Vec<String>>,
    /// `false` retires the competency: it stays on the loops that use it.
    active: Option<bool>,
}

/// `PATCH /competencies/{id}` (admin): edit, retire (`active: false`) or restore.
pub async fn update_competency(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: Json<UpdateCompetencyRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require_admin()?;
    let id = id.into_inner();
    let body = body.into_inner();
    let (name, description, anchors, questions) = (
        body.name
            .as_deref()
            .map(|n| OneLine::parse("name", n, NAME_MAX))
            .transpose(),
        body.description
            .as_deref()
            .map(|d| LongText::parse("description", d, DESCRIPTION_MAX))
            .transpose(),
        body.anchors.as_ref().map(AnchorsDto::parse).transpose(),
        body.questions.as_deref().map(Questions::parse).transpose(),
    )
        .all_valid()?;
    let [a1, a2, a3, a4] = match anchors {
        Some(a) => a.texts().clone().map(Some),
        None => [None, None, None, None],
    };
    let changes = CompetencyChanges {
        name: name.map(OneLine::into_string),
        description: description.map(LongText::into_string),
        anchor_1: a1,
        anchor_2: a2,
        anchor_3: a3,
        anchor_4: a4,
        questions: questions.map(|q| competencies::questions_json(q.as_slice())),
        active: body.active,
        updated_at: None,
    };
    let updated = state
        .db
        .write(move |c| Ok(competencies::update(c, id, changes)?))
        .await?;
    Ok(HttpResponse::Ok().json(CompetencyView::from(updated)))
}
