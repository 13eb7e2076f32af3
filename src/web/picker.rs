//! People pickers. A picker is a text box: with JavaScript it searches as you
//! type and offers a list to choose from with the keyboard or the pointer (the
//! WAI-ARIA combobox pattern, in `app.js`); without it, what was typed is
//! resolved when the form is sent — one person is chosen, several are listed
//! as choices beside the box. Either way the form carries the chosen id in
//! `{field}`, the text in `{field}.q` and the chosen person's label in
//! `{field}.label` (so a text that differs from it was typed since).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::form::Form;
use super::page::{PageError, dom_id, fragment};
use super::session::Viewer;
use crate::domain::FieldProblem;
use crate::error::ServiceError;
use crate::services::people::picker::{self, Found, Pick, PickKind};
use crate::state::AppState;
use crate::urls;

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::PEOPLE_SEARCH, web::get().to(search));
}

#[derive(serde::Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    kind: Option<String>,
}

/// The most characters of a search.
const QUERY_MAX: usize = 200;

/// `GET /people/search?q=&kind=`: the options of a picker's list (recruiters
/// and admins).
async fn search(
    state: web::Data<AppState>,
    viewer: Viewer,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, PageError> {
    let kind = PickKind::parse(query.kind.as_deref());
    let q: String = query
        .q
        .as_deref()
        .unwrap_or("")
        .chars()
        .take(QUERY_MAX)
        .collect();
    let found = picker::search(&state.db, &viewer.user, kind, q).await?;
    Ok(fragment(StatusCode::OK, options(&found)))
}

/// What the list says about a person beside their name.
fn detail(p: &Pick) -> String {
    let mut out = p.email.clone();
    if let Some(d) = &p.department {
        out.push_str(" · ");
        out.push_str(d);
    }
    if let Some(load) = p.load {
        out.push_str(&format!(
            " · {load} open loop{}",
            if load == 1 { "" } else { "s" }
        ));
    }
    out
}

fn options(found: &[Pick]) -> Markup {
    html! {
        @for p in found {
            li role="option" aria-selected="false" data-id=(p.id) data-label=(p.label()) {
                strong { (p.name) } " " span.muted { (detail(p)) }
            }
        }
    }
}

/// A text typed into a picker since its person was chosen.
#[derive(Debug, Clone)]
pub struct Typed {
    pub field: String,
    pub kind: PickKind,
    pub q: String,
}

/// The picker `field` as sent: `Some` when its text was typed since its
/// person was chosen (to be resolved). A form without the text box (an
/// older page, a script) carries the id alone, which stands.
pub fn typed(form: &mut Form, field: &str, kind: PickKind) -> Option<Typed> {
    let q_name = format!("{field}.q");
    if !form.has(&q_name) {
        return None;
    }
    let q = form.raw(&q_name).trim().to_owned();
    if q.is_empty() {
        form.set(field, "");
        return None;
    }
    if q == form.raw(&format!("{field}.label")).trim() {
        return None;
    }
    Some(Typed {
        field: field.to_owned(),
        kind,
        q,
    })
}

/// A picker whose text named nobody or several people.
#[derive(Debug, Clone)]
pub struct Unsettled {
    pub kind: PickKind,
    pub q: String,
    pub matches: Vec<Pick>,
}

/// Resolves the texts typed into the form's pickers in one call: a person
/// found is set as the field's id; otherwise the field is emptied and
/// what to show beside it is returned.
pub async fn settle(
    state: &AppState,
    viewer: &Viewer,
    form: &mut Form,
    typed: Vec<Typed>,
) -> Result<HashMap<String, Unsettled>, ServiceError> {
    let mut open = HashMap::new();
    if typed.is_empty() {
        return Ok(open);
    }
    let asks = typed.iter().map(|t| (t.kind, t.q.clone())).collect();
    let found = picker::resolve(&state.db, &viewer.user, asks).await?;
    for (t, f) in typed.into_iter().zip(found) {
        match f {
            Found::One(p) => {
                form.set(&t.field, &p.id.to_string());
                form.set(&format!("{}.label", t.field), &p.label());
                form.set(&format!("{}.q", t.field), &p.label());
            }
            Found::Many(matches) => {
                form.set(&t.field, "");
                open.insert(
                    t.field,
                    Unsettled {
                        kind: t.kind,
                        q: t.q,
                        matches,
                    },
                );
            }
            Found::Nobody => {
                form.set(&t.field, "");
                open.insert(
                    t.field,
                    Unsettled {
                        kind: t.kind,
                        q: t.q,
                        matches: Vec::new(),
                    },
                );
            }
        }
    }
    Ok(open)
}

/// The problem an unsettled picker reports when the form is saved.
pub fn problem(field: &str, u: &Unsettled) -> FieldProblem {
    let who = match u.kind {
        PickKind::BarRaiser => "certified bar raiser",
        PickKind::Anyone => "active person",
    };
    let message = match u.matches.len() {
        0 => format!("no {who} matches “{}”", u.q),
        n => format!("{n} people match “{}”: choose one", u.q),
    };
    FieldProblem {
        field: field.to_owned(),
        message,
    }
}

/// The person a picker holds: their id and how the text box shows them.
pub fn chosen(p: &Pick) -> (i64, String) {
    (p.id, p.label())
}

/// What a form sent back holds in the picker `field` (its id and label).
pub fn chosen_in(form: &Form, field: &str) -> Option<(i64, String)> {
    let id = form.id(field).ok().flatten()?;
    Some((id, form.raw(&format!("{field}.label")).to_owned()))
}

/// The picker for `field`, labelled `label`; `chosen` is its person,
/// `open` what its typed text found when it was not one person.
pub fn picker(
    field: &str,
    label: &str,
    kind: PickKind,
    chosen: Option<(i64, String)>,
    open: Option<&Unsettled>,
    hint: &str,
) -> Markup {
    let id = dom_id(field);
    let text = match (open, &chosen) {
        (Some(u), _) => u.q.clone(),
        (None, Some((_, label))) => label.clone(),
        (None, None) => String::new(),
    };
    html! {
        div.picker data-picker=(kind.as_str()) data-search=(urls::PEOPLE_SEARCH) {
            label for=(id) { (label) }
            p.hint #(format!("{id}-hint")) { (hint) }
            div.picker-box {
                @if open.is_none() {
                    input type="hidden" name=(field) value=(chosen.as_ref().map_or(String::new(), |(id, _)| id.to_string())) data-pick-id;
                }
                input type="hidden" name=(format!("{field}.label")) value=(text) data-pick-label;
                input #(id) type="text" name=(format!("{field}.q")) value=(text) autocomplete="off"
                    spellcheck="false" aria-describedby=(format!("{id}-hint {id}-error"));
                button.secondary type="submit" name="action" value="refresh" data-pick-find { "Find" }
                ul.picker-list role="listbox" id=(format!("{id}-list")) aria-label=(format!("People matching, for {label}")) hidden {}
                span.sr-only aria-live="polite" data-pick-status {}
            }
            @if let Some(u) = open {
                @if u.matches.is_empty() {
                    p.field-error { "Nobody matches “" (u.q) "”. Try part of the name, the email or the department." }
                } @else {
                    fieldset.picker-matches {
                        legend { "Who do you mean by “" (u.q) "”?" }
                        @for p in &u.matches {
                            label.inline {
                                input type="radio" name=(field) value=(p.id);
                                strong { (p.name) } " " span.muted { (detail(p)) }
                            }
                        }
                    }
                }
            }
        }
    }
}
