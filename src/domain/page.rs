//! One page of a list: `limit` (default 50, 1..=200) and an opaque cursor
//! (the last id of the previous page).

use super::{DomainError, all_ok};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: i64,
    pub after: Option<i64>,
}

impl Default for Page {
    fn default() -> Self {
        Self {
            limit: Self::DEFAULT_LIMIT,
            after: None,
        }
    }
}

impl Page {
    pub const DEFAULT_LIMIT: i64 = 50;
    pub const MAX_LIMIT: i64 = 200;

    pub fn parse(limit: Option<&str>, cursor: Option<&str>) -> Result<Self, DomainError> {
        let limit = match limit {
            None => Ok(Self::DEFAULT_LIMIT),
            Some(raw) => match raw.parse::<i64>() {
                Ok(n) if (1..=Self::MAX_LIMIT).contains(&n) => Ok(n),
                _ => Err(DomainError::invalid(
                    "limit",
                    "must be a whole number from 1 to 200",
                )),
            },
        };
        let after = match cursor {
            None | Some("") => Ok(None),
            Some(raw) => match raw.parse::<i64>() {
                Ok(id) if id > 0 => Ok(Some(id)),
                _ => Err(DomainError::invalid(
                    "cursor",
                    "is not a cursor this service issued",
                )),
            },
        };
        match (limit, after) {
            (Ok(limit), Ok(after)) => Ok(Self { limit, after }),
            (limit, after) => {
                let problems = limit.err().into_iter().chain(after.err()).map(Err::<(), _>);
                Err(all_ok(problems)
                    .err()
                    .unwrap_or(DomainError::InvalidFields(Vec::new())))
            }
        }
    }

    /// How many rows to fetch: one more than the page, to know if another follows.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }

    /// Cuts `rows` (fetched with [`fetch`](Self::fetch), ordered by `key`) to
    /// the page, with the cursor of the next page if there is one.
    pub fn cut<R>(&self, mut rows: Vec<R>, key: impl Fn(&R) -> i64) -> Listing<R> {
        let more = rows.len() as i64 > self.limit;
        rows.truncate(self.limit as usize);
        let next = if more { rows.last().map(&key) } else { None };
        Listing { items: rows, next }
    }
}

/// A page of results and the cursor of the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing<T> {
    pub items: Vec<T>,
    pub next: Option<i64>,
}

impl<T> Listing<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Listing<U> {
        Listing {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }
}

/// An optional `true`/`false` flag.
pub fn parse_flag(field: &str, raw: Option<&str>) -> Result<Option<bool>, DomainError> {
    match raw {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(_) => Err(DomainError::invalid(field, "must be true or false")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_reports_both_bad_parameters_and_cuts_with_a_cursor() {
        let err = Page::parse(Some("0"), Some("x")).unwrap_err();
        assert_eq!(err.into_field_problems().unwrap().len(), 2);
        let page = Page::parse(Some("2"), None).unwrap();
        let listing = page.cut(vec![1, 2, 3], |r| *r);
        assert_eq!(
            listing,
            Listing {
                items: vec![1, 2],
                next: Some(2)
            }
        );
        assert_eq!(page.cut(vec![1, 2], |r| *r).next, None);
    }
}
