use serde::Serialize;

use crate::domain::Listing;

/// A page as JSON: `{ "items": [...], "next_cursor": ... }`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct List<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> List<T> {
    pub fn of<R>(listing: Listing<R>, view: impl FnMut(R) -> T) -> Self {
        Self {
            items: listing.items.into_iter().map(view).collect(),
            next_cursor: listing.next.map(|n| n.to_string()),
        }
    }
}
