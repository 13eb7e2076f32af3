//! `/admin/people/import`: people from a CSV file. **Check** rehearses the
//! whole import and shows every problem with its line, or what it would do
//! (the loops it would turn red included); **Import** applies it, all rows
//! or none. Without JavaScript the file is pasted (up to 64 KiB, about a
//! thousand people); with it, a chosen file is sent as it is (up to 4 MiB).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::Admin;
use super::person::red_loops;
use crate::domain::LineProblem;
use crate::error::ServiceError;
use crate::http::MAX_BODY_BYTES;
use crate::services::people::{self, IMPORT_COLUMNS, ImportOutcome};
use crate::state::AppState;
use crate::urls;

use super::super::form::Form;
use super::super::page::{PageError, redirect_with, render_status};
use super::super::session::{FlashKind, Viewer};

/// The largest file a page sends as it is (`text/csv`, with JavaScript).
const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::ADMIN_PEOPLE_IMPORT, web::get().to(show))
        .route(urls::ADMIN_PEOPLE_IMPORT, web::post().to(import));
}

enum Shown {
    Nothing,
    Problems(Vec<LineProblem>),
    Rehearsed(ImportOutcome),
}

fn page(viewer: &Viewer, pasted: &str, shown: &Shown) -> Markup {
    let example = "name,email,role,manager_email,department\n\
                   Ana Ruiz,ana@example.com,member,sam@example.com,Payments\n\
                   Sam Ortiz,sam@example.com,member,,Payments";
    html! {
        p { a href=(urls::ADMIN_PEOPLE) { "← People" } }
        h1 { "Import people" }
        p {
            "A CSV file with the header line " code { (IMPORT_COLUMNS.join(",")) } ". "
            "Managers may come after their reports, or already be here. "
            "People already here (by email) are updated; new people are mailed an invitation. "
            "Every row is checked before anything is written, and the import is all rows or none."
        }
        @match shown {
            Shown::Problems(problems) => {
                section.card #import-problems aria-labelledby="problems-h" {
                    h2 #problems-h { "Nothing was imported" }
                    p.flash.error role="alert" {
                        "The file has " (problems.len()) " problem" @if problems.len() != 1 { "s" } ". Fix them and check again."
                    }
                    div.table-wrap tabindex="0" role="region" aria-label="Problems by line" {
                        table {
                            thead { tr { th scope="col" { "Line" } th scope="col" { "Column" } th scope="col" { "Problem" } } }
                            tbody { @for p in problems {
                                tr { td { (p.line) } td { (p.column.as_deref().unwrap_or("—")) } td { (p.message) } }
                            } }
                        }
                    }
                }
            }
            Shown::Rehearsed(o) => {
                section.card #import-preview aria-labelledby="preview-h" {
                    h2 #preview-h { "The file is ready" }
                    p {
                        (o.rows) " rows: " strong { (o.created) } " people to add and invite, "
                        strong { (o.updated) } " to update, " (o.unchanged) " unchanged."
                    }
                    @if o.turned_red.is_empty() {
                        p { span.badge.ok { "no loop turns red" } " No open loop would fail a rule." }
                    } @else {
                        p { span.badge.bad { (o.turned_red.len()) " open loop" @if o.turned_red.len() != 1 { "s" } " would turn red" } }
                        (red_loops(&o.turned_red))
                    }
                    p.hint { "Nothing is saved yet: Import applies it." }
                }
            }
            Shown::Nothing => {}
        }
        section.card aria-labelledby="file-h" {
            h2 #file-h { "The file" }
            form #import-form method="post" action=(urls::ADMIN_PEOPLE_IMPORT) {
                input type="hidden" name="csrf_token" value=(viewer.csrf);
                div data-import-file hidden {
                    label for="import-file" { "Choose a CSV file" }
                    input #import-file type="file" accept=".csv,text/csv";
                    p.hint #import-file-state aria-live="polite" {}
                }
                label for="import-csv" { "Or paste it here" }
                textarea #import-csv name="csv" rows="10" spellcheck="false" placeholder=(example) { (pasted) }
                div.actions {
                    button.secondary #import-check type="submit" name="intent" value="check" { "Check" }
                    button #import-apply type="submit" name="intent" value="import" { "Import" }
                }
            }
        }
    }
}

fn respond(viewer: &Viewer, status: StatusCode, pasted: &str, shown: &Shown) -> HttpResponse {
    render_status(
        &viewer.web,
        viewer,
        status,
        "Import people",
        page(viewer, pasted, shown),
    )
}

/// `GET /admin/people/import`
async fn show(Admin(viewer): Admin) -> Result<HttpResponse, PageError> {
    Ok(respond(&viewer, StatusCode::OK, "", &Shown::Nothing))
}

#[derive(serde::Deserialize)]
struct Intent {
    intent: Option<String>,
}

/// `POST /admin/people/import`: a pasted file (a form) or a chosen one
/// (`text/csv`, its intent in the query).
async fn import(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    req: HttpRequest,
    query: web::Query<Intent>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let is_csv = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv"));
    let limit = if is_csv {
        MAX_FILE_BYTES
    } else {
        MAX_BODY_BYTES
    };
    let body = match payload.to_bytes_limited(limit).await {
        Ok(Ok(body)) => body,
        Ok(Err(_)) => return Err(PageError::internal("the request body could not be read")),
        Err(_) => {
            return Err(PageError::Refused {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                reason: "The file is larger than 4 MiB; split it, or send it to the API.".into(),
            });
        }
    };
    let (file, intent, pasted) = if is_csv {
        (
            body.to_vec(),
            query.intent.clone().unwrap_or_default(),
            String::new(),
        )
    } else {
        let form = Form::parse(&body);
        let csv = form.raw("csv").to_owned();
        (csv.clone().into_bytes(), form.raw("intent").to_owned(), csv)
    };
    let applying = intent == "import";
    let outcome = people::import(
        &state.db,
        &state.passwords,
        &state.links,
        &viewer.user,
        file,
        !applying,
    )
    .await;
    match outcome {
        Ok(o) if applying => {
            let mut text = format!(
                "Imported {} rows: {} people added and invited, {} updated, {} unchanged.",
                o.rows, o.created, o.updated, o.unchanged
            );
            if !o.turned_red.is_empty() {
                text.push_str(&format!(
                    " {} open loops turned red; their recruiters are told.",
                    o.turned_red.len()
                ));
            }
            Ok(redirect_with(
                &viewer.web,
                urls::ADMIN_PEOPLE,
                FlashKind::Done,
                &text,
            ))
        }
        Ok(o) => Ok(respond(
            &viewer,
            StatusCode::OK,
            &pasted,
            &Shown::Rehearsed(o),
        )),
        Err(ServiceError::FileRejected(problems)) => Ok(respond(
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            &pasted,
            &Shown::Problems(problems),
        )),
        Err(e) => Err(e.into()),
    }
}
