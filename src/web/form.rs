//! A submitted form as name/value pairs (names are the API's JSON field names;
//! a list field such as `competency_ids` repeats its name).

use actix_web::web::Bytes;

#[derive(Debug, Default)]
pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn parse(body: &Bytes) -> Self {
        Self(
            url::form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`, trimmed; `None` when absent or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The value of `name` as it was typed (not trimmed), or "".
    pub fn raw(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every name the form carries (repeated names repeat).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    /// The form without the panel row `interviews[n]`; later rows move up one.
    pub fn renumbered_without(&self, n: usize) -> Self {
        let mut out = Vec::with_capacity(self.0.len());
        for (k, v) in &self.0 {
            let row = k
                .strip_prefix("interviews[")
                .and_then(|rest| rest.split_once(']'))
                .and_then(|(i, tail)| i.parse::<usize>().ok().map(|i| (i, tail)));
            match row {
                Some((i, _)) if i == n => {}
                Some((i, tail)) if i > n => {
                    out.push((format!("interviews[{}]{tail}", i - 1), v.clone()))
                }
                _ => out.push((k.clone(), v.clone())),
            }
        }
        Self(out)
    }

    /// The form with `name` holding only `value`.
    pub fn set(&mut self, name: &str, value: &str) {
        self.0.retain(|(k, _)| k != name);
        self.0.push((name.to_owned(), value.to_owned()));
    }

    /// Whether the form carries `name` at all (even blank).
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// An id field: `None` when blank; a value that is not a positive number is
    /// reported as an id no record has.
    pub fn id(&self, name: &str) -> Result<Option<i64>, crate::domain::FieldProblem> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v.parse::<i64>().ok().filter(|n| *n > 0).map(Some).ok_or(
                crate::domain::FieldProblem {
                    field: name.into(),
                    message: "is not one of the choices".into(),
                },
            ),
        }
    }
}

/// A `next=` target after sign-in: a path on this site only (no scheme, no
/// host, no `//` or `\` that a browser would read as another host); anything
/// else is the home page.
pub fn safe_next(raw: Option<&str>) -> String {
    match raw {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.chars().any(|c| c.is_control() || c.is_whitespace())
                && !p.starts_with(crate::urls::LOGIN)
                && !p.starts_with(crate::urls::LOGOUT) =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// The page a form was posted from, when the browser says and it is on this
/// site (same host as the request): its path and query, to go back to.
pub fn same_site_referer(req: &actix_web::HttpRequest) -> Option<String> {
    let referer = req
        .headers()
        .get(actix_web::http::header::REFERER)?
        .to_str()
        .ok()?;
    let url = url::Url::parse(referer).ok()?;
    let host = req.connection_info().host().to_owned();
    let authority = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str()?),
        None => url.host_str()?.to_owned(),
    };
    if authority != host {
        return None;
    }
    let back = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    (safe_next(Some(&back)) == back).then_some(back)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_followed_after_sign_in() {
        for ok in ["/", "/interviews/7", "/loops?status=draft"] {
            assert_eq!(safe_next(Some(ok)), ok);
        }
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            "/\t/evil.example",
            "evil.example",
            "/login?next=//evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn repeated_names_are_lists_and_blank_values_are_absent() {
        let f = Form::parse(&Bytes::from_static(
            b"competency_ids=1&competency_ids=3&name=+Ada+&empty=&id=x",
        ));
        assert_eq!(f.all("competency_ids"), ["1", "3"]);
        assert_eq!(f.get("name"), Some("Ada"));
        assert_eq!(f.raw("name"), " Ada ");
        assert_eq!(f.get("empty"), None);
        assert!(f.id("id").is_err());
        assert_eq!(f.id("missing"), Ok(None));
    }
}
