//! A browser without a browser: a cookie jar over plain HTTP, for the
//! detailed page tests (CSRF, cookies, redirects, refusals). The broad flows
//! run in a real browser (`browser.rs`).

use std::collections::BTreeMap;
use std::time::Duration;

use ureq::http::HeaderMap;

use crate::helpers::{PASSWORD, TestApp};

pub struct WebClient<'a> {
    app: &'a TestApp,
    agent: ureq::Agent,
    pub cookies: BTreeMap<String, String>,
}

#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Page {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn location(&self) -> &str {
        self.header("location").unwrap_or("")
    }

    /// Every `Set-Cookie` header.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }

    /// The first CSRF token the page renders into a form.
    #[track_caller]
    pub fn csrf(&self) -> String {
        let marker = r#"name="csrf_token" value=""#;
        let start = self
            .text
            .find(marker)
            .unwrap_or_else(|| panic!("no CSRF field in the page: {}", self.text))
            + marker.len();
        let end = self.text[start..].find('"').unwrap() + start;
        self.text[start..end].to_owned()
    }

    #[track_caller]
    pub fn assert_contains(&self, needle: &str) {
        assert!(
            self.text.contains(needle),
            "expected {needle:?} in the page (status {}):\n{}",
            self.status,
            self.text
        );
    }
}

impl<'a> WebClient<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .timeout_global(Some(Duration::from_secs(60)))
                .build()
                .into(),
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, headers: &HeaderMap) {
        for v in headers.get_all("set-cookie") {
            let Ok(v) = v.to_str() else { continue };
            let pair = v.split(';').next().unwrap_or("");
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            let expired = v.contains("Max-Age=0") || value.is_empty();
            if expired {
                self.cookies.remove(name.trim());
            } else {
                self.cookies.insert(name.trim().into(), value.trim().into());
            }
        }
    }

    fn finish(&mut self, response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Page {
        let mut response = response.expect("the request completes");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        self.keep_cookies(&headers);
        Page {
            status,
            headers,
            text,
        }
    }

    pub fn get(&mut self, path: &str) -> Page {
        self.get_with(path, &[])
    }

    pub fn get_with(&mut self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut req = self
            .agent
            .get(self.app.url(path))
            .header("Accept", "text/html")
            .header("Cookie", self.cookie_header());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.call();
        self.finish(res)
    }

    /// A form submission, as a browser sends it.
    pub fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.post_with(path, fields, &[])
    }

    pub fn post_with(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields.iter())
            .finish();
        let mut req = self
            .agent
            .post(self.app.url(path))
            .header("Accept", "text/html")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Cookie", self.cookie_header());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send(body.as_bytes());
        self.finish(res)
    }

    /// A body as a script sends it: `content_type`, the CSRF token in its
    /// header (no form field).
    pub fn post_body(&mut self, path: &str, content_type: &str, body: &[u8], csrf: &str) -> Page {
        let res = self
            .agent
            .post(self.app.url(path))
            .header("Accept", "text/html")
            .header("Content-Type", content_type)
            .header("X-CSRF-Token", csrf)
            .header("Cookie", self.cookie_header())
            .send(body);
        self.finish(res)
    }

    /// Signs in through the form (with a browser-proposed time zone); asserts
    /// the redirect and answers where it points.
    #[track_caller]
    pub fn sign_in_as(&mut self, email: &str, time_zone: &str) -> String {
        let form = self.get(barraiser::urls::LOGIN);
        assert_eq!(form.status, 200, "{}", form.text);
        let csrf = form.csrf();
        let res = self.post(
            "/login",
            &[
                ("csrf_token", &csrf),
                ("email", email),
                ("password", PASSWORD),
                ("time_zone", time_zone),
                ("next", "/"),
            ],
        );
        assert_eq!(res.status, 303, "sign-in failed: {}", res.text);
        res.location().to_owned()
    }

    /// Signs in and answers the CSRF token the pages now carry.
    #[track_caller]
    pub fn signed_in(app: &'a TestApp, email: &str) -> (Self, String) {
        let mut client = Self::new(app);
        client.sign_in_as(email, "Europe/Berlin");
        let home = client.get("/");
        assert_eq!(home.status, 200, "{}", home.text);
        let csrf = home.csrf();
        (client, csrf)
    }
}
