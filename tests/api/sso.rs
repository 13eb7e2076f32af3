//! Single sign-on against a real OpenID Provider: node's `oidc-provider`
//! (`tests/support/oidc/provider.mjs`), installed from the npm registry when
//! missing. The HTTP tests walk its development login form with a small
//! cookie-keeping client; the browser test signs in through it in Chromium.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Once;

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, TestDb, TestUser, test_settings};

pub const CLIENT_ID: &str = "barraiser";
pub const CLIENT_SECRET: &str = "a-client-secret-for-the-tests";

fn support_dir() -> &'static str {
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/oidc")
}

/// Installs oidc-provider from the npm registry the first time it is missing.
fn ensure_installed() {
    static CHECK: Once = Once::new();
    CHECK.call_once(|| {
        let present = || {
            std::path::Path::new(support_dir())
                .join("node_modules/oidc-provider/package.json")
                .exists()
        };
        if present() {
            return;
        }
        let ok = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(support_dir())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok && present(),
            "the single sign-on tests need oidc-provider: (cd tests/support/oidc && npm ci)"
        );
    });
}

/// A running OpenID Provider.
pub struct Provider {
    child: Child,
    pub issuer: String,
}

/// How the provider is started.
#[derive(Default)]
pub struct ProviderOptions<'a> {
    /// `(email, verified)` of each account it knows.
    pub accounts: Vec<(&'a str, bool)>,
    /// Its clock runs this many seconds off.
    pub clock_offset_secs: i64,
    /// It publishes other keys than those it signs with.
    pub foreign_keys: bool,
}

impl Provider {
    pub fn start(redirect_uri: &str, options: ProviderOptions<'_>) -> Self {
        ensure_installed();
        let accounts: Vec<Value> = options
            .accounts
            .iter()
            .map(|(email, verified)| json!({"email": email, "verified": verified}))
            .collect();
        let mut cmd = Command::new("node");
        cmd.arg(format!("{}/provider.mjs", support_dir()))
            .args([
                "--port",
                "0",
                "--client-id",
                CLIENT_ID,
                "--client-secret",
                CLIENT_SECRET,
            ])
            .args(["--redirect-uri", redirect_uri])
            .arg("--accounts")
            .arg(Value::from(accounts).to_string())
            .arg("--clock-offset")
            .arg(options.clock_offset_secs.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if options.foreign_keys {
            cmd.arg("--foreign-jwks");
        }
        let mut child = cmd
            .spawn()
            .expect("node runs tests/support/oidc/provider.mjs");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let port: u16 = first
            .trim()
            .strip_prefix("LISTENING ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the OpenID Provider did not start: {first:?}"));
        Provider {
            child,
            issuer: format!("http://127.0.0.1:{port}"),
        }
    }

    pub fn settings(&self) -> barraiser::auth::sso::SsoSettings {
        barraiser::auth::sso::SsoSettings {
            issuer: self.issuer.clone(),
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
        }
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The app with single sign-on through `provider` (its redirect URI on the
/// test settings' public URL), and the people of `people` in it.
fn app_with_provider(options: ProviderOptions<'_>) -> (TestApp, Provider) {
    let db = TestDb::fresh();
    let mut settings = test_settings(&db);
    let redirect = format!("{}/login/oidc/callback", settings.mail.public_url);
    let provider = Provider::start(&redirect, options);
    settings.sso = Some(provider.settings());
    (TestApp::start(db, settings), provider)
}

/// A small client with a cookie jar per host, that follows nothing by itself.
struct Walker {
    agent: ureq::Agent,
    jar: HashMap<String, HashMap<String, String>>,
}

struct Answer {
    status: u16,
    location: String,
    body: String,
}

impl Walker {
    fn new() -> Self {
        Walker {
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .build()
                .into(),
            jar: HashMap::new(),
        }
    }

    fn host(url: &str) -> String {
        url::Url::parse(url).unwrap().authority().to_owned()
    }

    fn cookie_header(&self, url: &str) -> String {
        self.jar
            .get(&Self::host(url))
            .map(|c| {
                c.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default()
    }

    fn keep(&mut self, url: &str, res: &ureq::http::Response<ureq::Body>) {
        let jar = self.jar.entry(Self::host(url)).or_default();
        for v in res.headers().get_all("set-cookie") {
            let text = v.to_str().unwrap_or("");
            let pair = text.split(';').next().unwrap_or("");
            if let Some((k, v)) = pair.split_once('=') {
                if v.is_empty() || text.contains("Max-Age=0") {
                    jar.remove(k.trim());
                } else {
                    jar.insert(k.trim().to_owned(), v.trim().to_owned());
                }
            }
        }
    }

    fn answer(&mut self, url: &str, mut res: ureq::http::Response<ureq::Body>) -> Answer {
        self.keep(url, &res);
        let location = res
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(|l| url::Url::parse(url).unwrap().join(l).unwrap().to_string())
            .unwrap_or_default();
        Answer {
            status: res.status().as_u16(),
            location,
            body: res.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    fn get(&mut self, url: &str) -> Answer {
        let res = self
            .agent
            .get(url)
            .header("Cookie", self.cookie_header(url))
            .call()
            .unwrap();
        self.answer(url, res)
    }

    fn post_form(&mut self, url: &str, fields: &[(String, String)]) -> Answer {
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields.iter())
            .finish();
        let res = self
            .agent
            .post(url)
            .header("Cookie", self.cookie_header(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(body.as_bytes())
            .unwrap();
        self.answer(url, res)
    }
}

/// The action and the hidden fields of the first form of an HTML page.
fn form_of(page: &str, base: &str) -> (String, Vec<(String, String)>) {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let marker = format!("{name}=\"");
        let start = tag.find(&marker)? + marker.len();
        Some(tag[start..start + tag[start..].find('"')?].to_owned())
    };
    let form_start = page.find("<form").expect("a form on the provider's page");
    let form_tag = &page[form_start..form_start + page[form_start..].find('>').unwrap()];
    let action = attr(form_tag, "action").expect("the form's action");
    let mut fields = Vec::new();
    for piece in page[form_start..].split("<input").skip(1) {
        let tag = &piece[..piece.find('>').unwrap_or(piece.len())];
        if tag.contains("type=\"hidden\"")
            && let (Some(n), Some(v)) = (attr(tag, "name"), attr(tag, "value"))
        {
            fields.push((n, v));
        }
    }
    let action = url::Url::parse(base)
        .unwrap()
        .join(&action)
        .unwrap()
        .to_string();
    (action, fields)
}

/// One sign-in as far as the app's callback: the callback's path and query
/// on the app, and the walker holding the app's `sso` cookie. `tamper` may
/// change the authorization request before the provider sees it.
struct Trip {
    walker: Walker,
    callback: String,
}

fn walk_to_callback(app: &TestApp, email: &str, tamper: impl FnOnce(&mut url::Url)) -> Trip {
    let mut walker = Walker::new();
    let begun = walker.get(&app.url("/login/oidc?next=%2Floops"));
    assert_eq!(begun.status, 303, "{}", begun.body);
    let mut authorize = url::Url::parse(&begun.location).unwrap();
    let query: HashMap<String, String> = authorize.query_pairs().into_owned().collect();
    assert_eq!(query["response_type"], "code");
    assert_eq!(query["code_challenge_method"], "S256");
    assert!(query["scope"].split(' ').any(|s| s == "openid"));
    assert!(query["scope"].split(' ').any(|s| s == "email"));
    assert!(!query["state"].is_empty() && !query["nonce"].is_empty());
    tamper(&mut authorize);
    let mut at = authorize.to_string();
    let public = &app.settings.mail.public_url;
    for _ in 0..12 {
        let page = walker.get(&at);
        if page.status == 303 || page.status == 302 {
            if page.location.starts_with(public.as_str()) {
                let callback = page.location[public.len()..].to_owned();
                return Trip { walker, callback };
            }
            at = page.location;
            continue;
        }
        assert_eq!(page.status, 200, "the provider's page: {}", page.body);
        // The development login form, or its consent: send it.
        let (action, mut fields) = form_of(&page.body, &at);
        if page.body.contains("name=\"login\"") {
            fields.push(("login".into(), email.into()));
            fields.push(("password".into(), "any".into()));
        }
        let sent = walker.post_form(&action, &fields);
        assert!(sent.status == 303 || sent.status == 302, "{}", sent.body);
        at = sent.location;
    }
    panic!("the provider never sent the browser back");
}

impl Trip {
    /// The app's answer to the callback.
    fn finish(&mut self, app: &TestApp) -> Answer {
        let url = app.url(&self.callback);
        let cookie = self.walker.cookie_header(&url);
        let res = self
            .walker
            .agent
            .get(&url)
            .header("Cookie", cookie)
            .call()
            .unwrap();
        self.walker.answer(&url, res)
    }
}

#[track_caller]
fn assert_refused(answer: &Answer, code: &str) {
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert!(
        answer.body.contains(&format!("data-code=\"{code}\"")),
        "expected {code}: {}",
        answer.body
    );
    assert!(
        !answer.body.contains("Sign out"),
        "nobody is signed in: {}",
        answer.body
    );
}

/// A person with this email (no session: they sign in through the provider).
fn person(app: &TestApp, email: &str) -> TestUser {
    let res = app.post(
        "/api/v1/users",
        &app.admin_token,
        json!({"email": email, "name": "Kim Park", "password": PASSWORD, "role": "member"}),
    );
    assert_eq!(res.status, 201, "{}", res.body);
    TestUser {
        id: res.body["id"].as_i64().unwrap(),
        email: email.to_owned(),
        token: String::new(),
    }
}

#[test]
fn a_person_signs_in_through_the_provider_and_lands_where_they_set_out() {
    let (app, _provider) = app_with_provider(ProviderOptions {
        accounts: vec![("kim@example.com", true)],
        ..Default::default()
    });
    person(&app, "kim@example.com");
    let login = crate::web_client::WebClient::new(&app).get("/login");
    login.assert_contains("Sign in with single sign-on");
    login.assert_contains("type=\"password\"");

    let mut trip = walk_to_callback(&app, "kim@example.com", |_| {});
    let done = trip.finish(&app);
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location, app.url("/loops"));
    // The same session as a password sign-in: the pages know who it is.
    let loops = trip.walker.get(&app.url("/loops"));
    assert_eq!(loops.status, 200);
    assert!(loops.body.contains("Kim Park"), "{}", loops.body);
    // The trip's cookie is gone with it.
    assert!(
        !trip
            .walker
            .cookie_header(&app.url("/login/oidc"))
            .contains("sso=")
    );
}

#[test]
fn a_callback_with_a_state_not_begun_here_is_refused() {
    let (app, _provider) = app_with_provider(ProviderOptions {
        accounts: vec![("kim@example.com", true)],
        ..Default::default()
    });
    person(&app, "kim@example.com");
    let mut trip = walk_to_callback(&app, "kim@example.com", |_| {});
    let forged = trip.callback.replace("state=", "state=forged");
    trip.callback = forged;
    assert_refused(&trip.finish(&app), "sso_state_unknown");
    // Without the browser's cookie, the right state is no good either.
    let mut trip = walk_to_callback(&app, "kim@example.com", |_| {});
    trip.walker.jar.clear();
    assert_refused(&trip.finish(&app), "sso_other_browser");
}

#[test]
fn a_replayed_code_is_refused() {
    let (app, _provider) = app_with_provider(ProviderOptions {
        accounts: vec![("kim@example.com", true)],
        ..Default::default()
    });
    person(&app, "kim@example.com");
    let mut trip = walk_to_callback(&app, "kim@example.com", |_| {});
    let first = trip.callback.clone();
    assert_eq!(trip.finish(&app).status, 303);
    // The same callback again: its state was taken.
    assert_refused(&trip.finish(&app), "sso_state_unknown");
    // The used code under a fresh trip's state: the provider refuses it.
    let mut fresh = walk_to_callback(&app, "kim@example.com", |_| {});
    let code = |callback: &str| -> String {
        url::Url::parse(&format!("http://x{callback}"))
            .unwrap()
            .query_pairs()
            .find(|(k, _)| k == "code")
            .unwrap()
            .1
            .into_owned()
    };
    fresh.callback = fresh
        .callback
        .replace(&code(&fresh.callback), &code(&first));
    assert_refused(&fresh.finish(&app), "sso_provider_refused");
}

#[test]
fn an_id_token_with_another_nonce_is_refused() {
    let (app, _provider) = app_with_provider(ProviderOptions {
        accounts: vec![("kim@example.com", true)],
        ..Default::default()
    });
    person(&app, "kim@example.com");
    let mut trip = walk_to_callback(&app, "kim@example.com", |url| {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == "nonce" {
                    "a-nonce-of-the-attacker".into()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    });
    assert_refused(&trip.finish(&app), "sso_nonce_mismatch");
}

#[test]
fn an_unverified_email_is_refused() {
    let (app, _provider) = app_with_provider(ProviderOptions {
        accounts: vec![("kim@example.com", false)],
        ..Default::default()
    });
    person(&app, "kim@example.com");
    let mut trip = walk_to_callback(&app, "kim@example.com", |_| {});
    assert_refused(&trip.finish(&app), "sso_email_unverified");
}

#[test]
fn an_inactive_person_and_an_unknown_email_are_told_to_ask_an_admin() {
    let (app, _provider) = app_with_provider(ProviderOptions {
        accounts: vec![("kim@example.com", true), ("new@example.com", true)],
        ..Default::default()
    });
    let kim = person(&app, "kim@example.com");
    let off = app.patch(
        &format!("/api/v1/users/{}", kim.id),
        &app.admin_token,
        json!({"active": false}),
    );
    assert_eq!(off.status, 200, "{}", off.body);
    for email in ["kim@example.com", "new@example.com"] {
        let mut trip = walk_to_callback(&app, email, |_| {});
        let refused = trip.finish(&app);
        assert_refused(&refused, "sso_unknown_person");
        assert!(refused.body.contains("ask an admin"), "{}", refused.body);
    }
    // Nobody was signed up.
    let people = app.get("/api/v1/users?q=new%40example.com", &app.admin_token);
    assert_eq!(people.body["items"], json!([]), "{}", people.body);
}

#[test]
fn an_expired_id_token_is_refused() {
    // The provider's clock is two hours behind: its ID tokens (an hour long)
    // have expired when they are issued.
    let (app, _provider) = app_with_provider(ProviderOptions {
        accounts: vec![("kim@example.com", true)],
        clock_offset_secs: -7200,
        ..Default::default()
    });
    person(&app, "kim@example.com");
    let mut trip = walk_to_callback(&app, "kim@example.com", |_| {});
    assert_refused(&trip.finish(&app), "sso_id_token_expired");
}

#[test]
fn an_id_token_signed_by_another_key_is_refused() {
    let (app, _provider) = app_with_provider(ProviderOptions {
        accounts: vec![("kim@example.com", true)],
        foreign_keys: true,
        ..Default::default()
    });
    person(&app, "kim@example.com");
    let mut trip = walk_to_callback(&app, "kim@example.com", |_| {});
    assert_refused(&trip.finish(&app), "sso_signature_invalid");
}

#[test]
fn with_password_sign_in_off_passwords_are_refused_and_api_keys_still_work() {
    let db = TestDb::fresh();
    let settings = test_settings(&db);
    let redirect = format!("{}/login/oidc/callback", settings.mail.public_url);
    let provider = Provider::start(&redirect, ProviderOptions::default());
    // Set up with passwords on: a person and an API key.
    let app = TestApp::start(db.clone(), settings.clone());
    let kim = person(&app, "kim@example.com");
    let key = app.post(
        "/api/v1/api-keys",
        &app.admin_token,
        json!({"name": "ATS sync", "role": "recruiter"}),
    );
    assert_eq!(key.status, 201, "{}", key.body);
    let token = key.body["token"].as_str().unwrap().to_owned();
    app.stop_sharing_db();

    let mut off = settings;
    off.sso = Some(provider.settings());
    off.password_sign_in = false;
    off.admin_email = None; // the first admin signs in through the provider now
    let app = TestApp::start(db, off);
    app.try_login(&kim.email, PASSWORD)
        .assert_problem(403, "password_sign_in_off");
    let mut web = crate::web_client::WebClient::new(&app);
    let form = web.get("/login");
    form.assert_contains("Sign in with single sign-on");
    assert!(
        !form.text.contains("type=\"password\""),
        "no password field: {}",
        form.text
    );
    // The form is gone; a post made by hand (with a CSRF token of another form) is refused.
    let csrf = web.get("/password/forgot").csrf();
    let posted = web.post(
        "/login",
        &[
            ("csrf_token", &csrf),
            ("email", &kim.email),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(posted.status, 403);
    posted.assert_contains("data-code=\"password_sign_in_off\"");
    // An integration's key still works.
    let listed = app.get("/api/v1/requisitions", &token);
    assert_eq!(listed.status, 200, "{}", listed.body);
}

/// The flow in Chromium: the sign-in page offers single sign-on, the
/// provider's own login form is filled in, and the person lands on the home
/// page, signed in. Our pages are captured with axe; the provider's are its own.
#[test]
fn a_person_signs_in_through_the_provider_in_a_browser_and_lands_on_the_home_page() {
    use crate::browser::{browser_in, capture, click, driver, run, type_into, wait_text};
    use fantoccini::Locator;
    let Some(driver) = driver() else { return };
    // The browser must come back to the real address: listen on a known port.
    let port = crate::smtp::free_port();
    let db = TestDb::fresh();
    let mut settings = test_settings(&db);
    settings.bind = format!("127.0.0.1:{port}");
    settings.mail.public_url = format!("http://127.0.0.1:{port}");
    let provider = Provider::start(
        &format!("http://127.0.0.1:{port}/login/oidc/callback"),
        ProviderOptions {
            accounts: vec![("kim@example.com", true)],
            ..Default::default()
        },
    );
    settings.sso = Some(provider.settings());
    let app = TestApp::start(db, settings);
    person(&app, "kim@example.com");
    run(async {
        let c = browser_in(&driver, "sso").await;
        c.goto(&app.url("/login")).await.unwrap();
        wait_text(&c, "#sso", "Sign in with single sign-on").await;
        capture(&c, "login-sso").await;
        click(&c, Locator::Id("sso")).await;
        // The provider's development login form.
        c.wait()
            .at_most(std::time::Duration::from_secs(10))
            .for_element(Locator::Css("input[name=login]"))
            .await
            .unwrap();
        type_into(&c, Locator::Css("input[name=login]"), "kim@example.com").await;
        type_into(&c, Locator::Css("input[name=password]"), "any").await;
        click(&c, Locator::Css("button[type=submit]")).await;
        wait_text(&c, "header", "Kim Park").await;
        assert_eq!(
            c.current_url().await.unwrap().as_str(),
            app.url("/"),
            "on the home page"
        );
        capture(&c, "home-after-sso").await;
        c.close().await.unwrap();
    });
}
