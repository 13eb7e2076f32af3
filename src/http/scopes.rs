//! A route table registered as scopes by the first segments of its paths.
//!
//! actix-web tries an application's resources one after the other, and a
//! resource with a `{parameter}` is tried with a regular expression (and a
//! fresh set of captures) each time. With every route at the top level, the
//! loop page (`/loops/{id}`, registered late) was tried against some sixty
//! patterns before its own: a twelfth of the page's work in the profile.
//! Grouped under `/loops`, `/admin`, `/api/v1/loops`…, a request tries a few
//! prefixes (a plain string comparison each) and then only its own group.
//!
//! Within a group the routes without a parameter come first, so that
//! `/loops/new` is never read as a loop id whatever the order in which the
//! routes were listed. A path that no route of its group answers goes to the
//! application's default service, as it did before.

use actix_web::{Resource, web};

/// One route of a table: its full path, and how to make its resource from
/// the path relative to its group.
pub struct Entry {
    path: String,
    make: Box<dyn FnOnce(&str) -> Resource>,
}

impl Entry {
    pub fn new(path: impl Into<String>, make: impl FnOnce(&str) -> Resource + 'static) -> Self {
        Entry {
            path: path.into(),
            make: Box::new(make),
        }
    }
}

/// Where a path goes: the group of its first `depth` segments and its path
/// within it, or the top level (`None`) when it has fewer segments than
/// that or a parameter among them.
fn split(path: &str, depth: usize) -> Option<(&str, &str)> {
    let mut end = 0;
    for _ in 0..depth {
        let rest = &path[end..];
        if !rest.starts_with('/') || rest.len() == 1 {
            return None;
        }
        end += 1 + rest[1..].find('/').unwrap_or(rest.len() - 1);
    }
    let (group, within) = path.split_at(end);
    (!group.contains('{')).then_some((group, within))
}

/// Registers `entries`, grouped under scopes by their first `depth`
/// segments, groups in the order of their first route, routes without a
/// parameter first within a group.
pub fn register(cfg: &mut web::ServiceConfig, depth: usize, entries: Vec<Entry>) {
    enum Slot {
        Top(Entry),
        Group(String, Vec<(String, Entry)>),
    }
    let mut slots: Vec<Slot> = Vec::new();
    for entry in entries {
        let Some((group, within)) = split(&entry.path, depth) else {
            slots.push(Slot::Top(entry));
            continue;
        };
        let (group, within) = (group.to_owned(), within.to_owned());
        let found = slots.iter_mut().find_map(|slot| match slot {
            Slot::Group(name, members) if *name == group => Some(members),
            _ => None,
        });
        match found {
            Some(members) => members.push((within, entry)),
            None => slots.push(Slot::Group(group, vec![(within, entry)])),
        }
    }
    for slot in slots {
        match slot {
            Slot::Top(entry) => {
                cfg.service((entry.make)(&entry.path));
            }
            Slot::Group(group, mut members) => {
                members.sort_by_key(|(within, _)| within.contains('{'));
                let scope = members
                    .into_iter()
                    .fold(web::scope(&group), |scope, (within, entry)| {
                        scope.service((entry.make)(&within))
                    });
                cfg.service(scope);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn a_path_is_grouped_by_its_first_segments_unless_they_hold_a_parameter() {
        assert_eq!(split("/loops/{id}", 1), Some(("/loops", "/{id}")));
        assert_eq!(split("/loops", 1), Some(("/loops", "")));
        assert_eq!(
            split("/admin/people/{id}", 1),
            Some(("/admin", "/people/{id}"))
        );
        assert_eq!(
            split("/api/v1/loops/{id}/debrief", 3),
            Some(("/api/v1/loops", "/{id}/debrief"))
        );
        assert_eq!(split("/api/v1/me", 3), Some(("/api/v1/me", "")));
        assert_eq!(split("/", 1), None);
        assert_eq!(split("/healthz", 3), None);
        assert_eq!(split("/api/v1", 3), None);
        assert_eq!(split("/{hash}/x", 1), None);
    }
}
