//! `/admin/competencies`: the library of leadership principles — add one with
//! its four rating anchors and its questions, edit one, retire or restore one.
//! A retired competency stays readable on the feedback that used it and
//! cannot be put on new loops.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::Admin;
use crate::domain::{
    Anchors, CompetencyId, CompetencyKey, FieldProblem, LongText, OneLine, Page, Questions,
};
use crate::error::{AllValid, ServiceError};
use crate::services::competencies::{
    self, Competency, DESCRIPTION_MAX, NAME_MAX, NewRubric, RubricEdit,
};
use crate::state::AppState;
use crate::urls;

use super::super::form::Form;
use super::super::page::{PageError, field_errors, redirect_with, render_status};
use super::super::session::{FlashKind, Viewer};

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::ADMIN_COMPETENCIES, web::get().to(list))
        .route(urls::ADMIN_COMPETENCIES, web::post().to(add))
        .route(urls::ADMIN_COMPETENCY, web::get().to(show))
        .route(urls::ADMIN_COMPETENCY, web::post().to(edit));
}

const RATINGS: [&str; 4] = [
    "1 — strong concern",
    "2 — concern",
    "3 — evidence",
    "4 — strong evidence",
];

/// What the form holds: a competency's texts, or what was entered.
#[derive(Default)]
struct Texts {
    key: String,
    name: String,
    description: String,
    anchors: [String; 4],
    questions: String,
}

impl Texts {
    fn of(c: &Competency) -> Self {
        Self {
            key: c.key.clone(),
            name: c.name.clone(),
            description: c.description.clone(),
            anchors: [
                c.anchor_1.clone(),
                c.anchor_2.clone(),
                c.anchor_3.clone(),
                c.anchor_4.clone(),
            ],
            questions: c.questions().join("\n"),
        }
    }

    fn from_form(form: &Form) -> Self {
        Self {
            key: form.raw("key").to_owned(),
            name: form.raw("name").to_owned(),
            description: form.raw("description").to_owned(),
            anchors: [1, 2, 3, 4].map(|i| form.raw(&format!("anchor_{i}")).to_owned()),
            questions: form.raw("questions").to_owned(),
        }
    }

    /// The texts parsed: name, description, anchors, questions (one a line).
    fn parse(&self) -> Result<(OneLine, LongText, Anchors, Questions), ServiceError> {
        let questions: Vec<String> = self
            .questions
            .lines()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_owned)
            .collect();
        (
            OneLine::parse("name", &self.name, NAME_MAX),
            LongText::parse("description", &self.description, DESCRIPTION_MAX),
            Anchors::parse([
                &self.anchors[0],
                &self.anchors[1],
                &self.anchors[2],
                &self.anchors[3],
            ]),
            Questions::parse(&questions),
        )
            .all_valid()
    }
}

/// The fields of a competency; `key` only when adding (a key never changes).
fn fields(texts: &Texts, problems: &[FieldProblem], adding: bool) -> Markup {
    html! {
        @if adding {
            label for="c-key" { "Key" }
            input #c-key type="text" name="key" required value=(texts.key) aria-describedby="c-key-hint key-error";
            p.hint #c-key-hint { "Lower case letters, digits and underscores, e.g. " code { "earn_trust" } "; it never changes." }
            (field_errors(problems, "key"))
        }
        label for="c-name" { "Name" }
        input #c-name type="text" name="name" required maxlength=(NAME_MAX) value=(texts.name) aria-describedby="name-error";
        (field_errors(problems, "name"))
        label for="c-description" { "Description" }
        textarea #c-description name="description" rows="3" required aria-describedby="description-error" { (texts.description) }
        (field_errors(problems, "description"))
        fieldset {
            legend { "What each rating means" }
            @for (i, rating) in RATINGS.iter().enumerate() {
                @let field = format!("anchors.{}", i + 1);
                label for=(format!("c-anchor-{}", i + 1)) { (rating) }
                textarea id=(format!("c-anchor-{}", i + 1)) name=(format!("anchor_{}", i + 1)) rows="2" required
                    aria-describedby=(format!("{}-error", super::super::page::dom_id(&field))) { (texts.anchors[i]) }
                (field_errors(problems, &field))
            }
        }
        label for="c-questions" { "Behavioural questions, one a line" }
        textarea #c-questions name="questions" rows="5" required aria-describedby="questions-error" { (texts.questions) }
        (field_errors(problems, "questions"))
    }
}

fn list_page(
    viewer: &Viewer,
    library: &[Competency],
    texts: &Texts,
    problems: &[FieldProblem],
) -> Markup {
    html! {
        h1 { "Competencies" }
        p { "The leadership principles interviewers rate, each with its anchors and questions. A retired one stays on the feedback that used it and cannot be put on new loops." }
        div.two {
            section.card aria-labelledby="library-h" {
                h2 #library-h { "The library" }
                ul.plain #library {
                    @for c in library {
                        li {
                            a href=(urls::admin_competency(CompetencyId(c.id))) { (c.name) }
                            " " code { (c.key) }
                            @if !c.active { " " span.badge.warn { "retired" } }
                        }
                    }
                }
            }
            section.card aria-labelledby="add-h" {
                h2 #add-h { "Add a competency" }
                form method="post" action=(urls::ADMIN_COMPETENCIES) {
                    input type="hidden" name="csrf_token" value=(viewer.csrf);
                    (fields(texts, problems, true))
                    div.actions { button #add-competency type="submit" { "Add" } }
                }
            }
        }
    }
}

fn edit_page(viewer: &Viewer, c: &Competency, texts: &Texts, problems: &[FieldProblem]) -> Markup {
    let action = urls::admin_competency(CompetencyId(c.id));
    html! {
        p { a href=(urls::ADMIN_COMPETENCIES) { "← Competencies" } }
        h1 { (c.name) }
        p.muted { code { (c.key) } @if !c.active { " " span.badge.warn { "retired" } } }
        div.two {
            section.card aria-labelledby="edit-h" {
                h2 #edit-h { "Edit" }
                form method="post" action=(action) {
                    input type="hidden" name="csrf_token" value=(viewer.csrf);
                    input type="hidden" name="intent" value="save";
                    (fields(texts, problems, false))
                    div.actions { button #save-competency type="submit" { "Save" } }
                }
            }
            section.card aria-labelledby="state-h" {
                h2 #state-h { @if c.active { "Retire" } @else { "Restore" } }
                form method="post" action=(action) {
                    input type="hidden" name="csrf_token" value=(viewer.csrf);
                    @if c.active {
                        p.hint { "Loops that already assess it keep it; new loops cannot." }
                        input type="hidden" name="intent" value="retire";
                        button.danger #retire type="submit" { "Retire " (c.name) }
                    } @else {
                        input type="hidden" name="intent" value="restore";
                        button #restore type="submit" { "Restore " (c.name) }
                    }
                }
            }
        }
    }
}

async fn library(state: &AppState) -> Result<Vec<Competency>, ServiceError> {
    let mut all = competencies::list(
        &state.db,
        None,
        Page {
            limit: Page::MAX_LIMIT,
            after: None,
        },
    )
    .await?
    .items;
    all.sort_by(|a, b| b.active.cmp(&a.active).then(a.name.cmp(&b.name)));
    Ok(all)
}

fn status_of(problems: &[FieldProblem]) -> StatusCode {
    if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// `GET /admin/competencies`
async fn list(state: web::Data<AppState>, Admin(viewer): Admin) -> Result<HttpResponse, PageError> {
    let all = library(&state).await?;
    let body = list_page(&viewer, &all, &Texts::default(), &[]);
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::OK,
        "Competencies",
        body,
    ))
}

/// `POST /admin/competencies`: a new competency.
async fn add(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = Form::parse(&body);
    let texts = Texts::from_form(&form);
    let parsed = (
        CompetencyKey::parse(&texts.key).map_err(ServiceError::from),
        texts.parse(),
    )
        .all_valid();
    let created = match parsed {
        Ok((key, (name, description, anchors, questions))) => {
            let new = NewRubric {
                key,
                name,
                description,
                anchors,
                questions,
            };
            competencies::create(&state.db, &viewer.user, new).await
        }
        Err(e) => Err(e),
    };
    let problems = match created {
        Ok(c) => {
            return Ok(redirect_with(
                &viewer.web,
                &urls::admin_competency(CompetencyId(c.id)),
                FlashKind::Done,
                &format!("{} is in the library.", c.name),
            ));
        }
        Err(ServiceError::Invalid(problems)) => problems,
        Err(ServiceError::Conflict { detail, .. }) => vec![FieldProblem {
            field: "key".into(),
            message: detail,
        }],
        Err(e) => return Err(e.into()),
    };
    let all = library(&state).await?;
    let page = list_page(&viewer, &all, &texts, &problems);
    Ok(render_status(
        &viewer.web,
        &viewer,
        status_of(&problems),
        "Competencies",
        page,
    ))
}

/// `GET /admin/competencies/{id}`
async fn show(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    id: web::Path<CompetencyId>,
) -> Result<HttpResponse, PageError> {
    let c = competencies::get(&state.db, id.into_inner()).await?;
    let page = edit_page(&viewer, &c, &Texts::of(&c), &[]);
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::OK,
        &c.name.clone(),
        page,
    ))
}

/// `POST /admin/competencies/{id}`: `intent=save` edits, `retire`, `restore`.
async fn edit(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    id: web::Path<CompetencyId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    let texts = Texts::from_form(&form);
    let edit = match form.raw("intent") {
        "retire" => Ok(RubricEdit {
            active: Some(false),
            ..Default::default()
        }),
        "restore" => Ok(RubricEdit {
            active: Some(true),
            ..Default::default()
        }),
        _ => texts
            .parse()
            .map(|(name, description, anchors, questions)| RubricEdit {
                name: Some(name),
                description: Some(description),
                anchors: Some(anchors),
                questions: Some(questions),
                active: None,
            }),
    };
    let result = match edit {
        Ok(edit) => {
            crate::services::hiring::competencies::update_competency(
                &state.db,
                &state.links,
                &viewer.user,
                id,
                edit,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(c) => {
            let text = match form.raw("intent") {
                "retire" => format!("{} is retired: new loops cannot use it.", c.name),
                "restore" => format!("{} is back in the library.", c.name),
                _ => format!("{} is saved.", c.name),
            };
            Ok(redirect_with(
                &viewer.web,
                &urls::admin_competency(id),
                FlashKind::Done,
                &text,
            ))
        }
        Err(ServiceError::Invalid(problems)) => {
            let c = competencies::get(&state.db, id).await?;
            let page = edit_page(&viewer, &c, &texts, &problems);
            Ok(render_status(
                &viewer.web,
                &viewer,
                status_of(&problems),
                &c.name.clone(),
                page,
            ))
        }
        Err(e) => Err(e.into()),
    }
}
