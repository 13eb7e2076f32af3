use serde::Serialize;

use crate::error::{ApiError, FieldIssue};

/// `limit` (default 50, 1..=200) and an opaque `cursor`, parsed from the query string.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: i64,
    pub after: Option<i64>,
}

impl Page {
    pub const DEFAULT_LIMIT: i64 = 50;
    pub const MAX_LIMIT: i64 = 200;

    pub fn parse(limit: Option<&str>, cursor: Option<&str>) -> Result<Self, ApiError> {
        let mut issues = Vec::new();
        let limit = match limit {
            None => Self::DEFAULT_LIMIT,
            Some(raw) => match raw.parse::<i64>() {
                Ok(n) if (1..=Self::MAX_LIMIT).contains(&n) => n,
                _ => {
                    issues.push(FieldIssue::new(
                        "limit",
                        "must be a whole number from 1 to 200",
                    ));
                    Self::DEFAULT_LIMIT
                }
            },
        };
        let after = match cursor {
            None | Some("") => None,
            Some(raw) => match raw.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    issues.push(FieldIssue::new(
                        "cursor",
                        "is not a cursor this service issued",
                    ));
                    None
                }
            },
        };
        if issues.is_empty() {
            Ok(Self { limit, after })
        } else {
            Err(ApiError::Validation(issues))
        }
    }

    /// How many rows to fetch: one more than the page, to know if another follows.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }
}

/// An optional `true`/`false` query parameter.
pub fn parse_flag(field: &str, raw: Option<&str>) -> Result<Option<bool>, ApiError> {
    match raw {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(_) => Err(ApiError::field(field, "must be true or false")),
    }
}

/// `{ "items": [...], "next_cursor": ... }`
#[derive(Debug, Serialize)]
pub struct List<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> List<T> {
    /// Builds a page from `page.fetch()` rows ordered by id.
    pub fn from_rows<R>(
        mut rows: Vec<R>,
        page: Page,
        id: impl Fn(&R) -> i64,
        view: impl FnMut(R) -> T,
    ) -> Self {
        let more = rows.len() as i64 > page.limit;
        rows.truncate(page.limit as usize);
        let next_cursor = if more {
            rows.last().map(|r| id(r).to_string())
        } else {
            None
        };
        Self {
            items: rows.into_iter().map(view).collect(),
            next_cursor,
        }
    }
}
