//! Who is looking at a page: the signed-in person behind the `session` cookie
//! (the key of a browser session kept in the database, HttpOnly; it is not an
//! API token, and the Bearer API never reads the cookie), the CSRF token their
//! forms carry, and the flash message left by the action before.

use std::future::Future;
use std::pin::Pin;

use actix_csrf_middleware::{CsrfMiddlewareConfig, CsrfToken};
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};

use super::error::PageError;
use crate::auth::{self, Caller};
use crate::db::users::User;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "session";
const FLASH_COOKIE: &str = "flash";

/// How the pages' cookies are set, from the public URL.
#[derive(Clone)]
pub struct WebSettings {
    /// `Secure` on every cookie when the service is reached over TLS.
    pub secure_cookies: bool,
    pub csrf: CsrfMiddlewareConfig,
}

impl std::fmt::Debug for WebSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebSettings")
            .field("secure_cookies", &self.secure_cookies)
            .finish_non_exhaustive()
    }
}

impl WebSettings {
    /// The CSRF secret is derived from the token secret (and differs from it).
    pub fn new(public_url: &str, token_secret: &[u8]) -> Self {
        use sha2::{Digest, Sha256};
        let secure_cookies = public_url.starts_with("https://");
        let mut hasher = Sha256::new();
        hasher.update(b"barraiser csrf\0");
        hasher.update(token_secret);
        let secret = hasher.finalize();
        let mut csrf = CsrfMiddlewareConfig::double_submit_cookie(&secret)
            .with_secure(secure_cookies)
            .with_max_body_bytes(crate::http::MAX_BODY_BYTES)
            .with_skip_for(
                [
                    "/api/", "/static/", "/docs", "/healthz", "/readyz", "/metrics",
                ]
                .map(String::from)
                .to_vec(),
            );
        csrf.session_id_cookie_name = SESSION_COOKIE.into();
        Self {
            secure_cookies,
            csrf,
        }
    }

    /// The session cookie for a new sign-in, holding the session's key.
    pub fn session_cookie(&self, key: String) -> Cookie<'static> {
        Cookie::build(SESSION_COOKIE, key)
            .path("/")
            .http_only(true)
            // Lax, not Strict: an interviewer following the link in their
            // invitation arrives signed in. Forms are guarded by CSRF tokens.
            .same_site(SameSite::Lax)
            .secure(self.secure_cookies)
            .max_age(CookieDuration::seconds(auth::SESSION_LIFETIME_SECS))
            .finish()
    }

    /// A one-time message for the next page.
    pub fn flash_cookie(&self, kind: FlashKind, text: &str) -> Cookie<'static> {
        let value: String =
            url::form_urlencoded::byte_serialize(format!("{}:{text}", kind.as_str()).as_bytes())
                .collect();
        Cookie::build(FLASH_COOKIE, value)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure_cookies)
            .max_age(CookieDuration::seconds(120))
            .finish()
    }

    pub fn clear_flash_cookie(&self) -> Cookie<'static> {
        let mut c = Cookie::build(FLASH_COOKIE, "")
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure_cookies)
            .finish();
        c.make_removal();
        c
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashKind {
    Done,
    Problem,
}

impl FlashKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Problem => "problem",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Flash {
    pub kind: FlashKind,
    pub text: String,
}

fn read_flash(req: &HttpRequest) -> Option<Flash> {
    let raw = req.cookie(FLASH_COOKIE)?;
    let decoded: String = url::form_urlencoded::parse(format!("f={}", raw.value()).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())?;
    let (kind, text) = decoded.split_once(':')?;
    let kind = match kind {
        "done" => FlashKind::Done,
        "problem" => FlashKind::Problem,
        _ => return None,
    };
    // Only short, plain text: a forged cookie cannot turn into anything else.
    let text: String = text.chars().filter(|c| !c.is_control()).take(300).collect();
    Some(Flash { kind, text })
}

/// The signed-in person viewing a page.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    /// Their browser session, for services that load the user in the trip
    /// of their work, and for signing out.
    pub caller: Caller,
    /// The CSRF token their forms carry.
    pub csrf: String,
    /// The message the previous action left, shown once.
    pub flash: Option<Flash>,
    /// The path of this request, for the navigation.
    pub path: String,
    /// How this service sets cookies (for the responses to this viewer).
    pub web: web::Data<WebSettings>,
}

/// A request without a valid session: where to sign in and come back.
pub fn sign_in_target(req: &HttpRequest) -> String {
    let here = if req.method() == actix_web::http::Method::GET {
        match req.query_string() {
            "" => req.path().to_owned(),
            q => format!("{}?{q}", req.path()),
        }
    } else {
        // After a POST, coming back to the page it came from is what a person expects.
        req.headers()
            .get(header::REFERER)
            .and_then(|r| r.to_str().ok())
            .and_then(|r| url::Url::parse(r).ok())
            .map_or_else(|| "/".to_owned(), |u| u.path().to_owned())
    };
    crate::urls::login_then(&here)
}

/// A request that carries a session cookie, before its session is checked:
/// the pages people open most (home, a loop, a debrief room) check it in
/// the same trip to the database as their own reads, and become a
/// [`Viewer`] with the account that trip loaded.
#[derive(Debug)]
pub struct Visitor {
    pub caller: Caller,
    csrf: String,
    flash: Option<Flash>,
    path: String,
    web: web::Data<WebSettings>,
    sign_in: PageError,
}

impl Visitor {
    /// The viewer, from `signed_in`: the account and the work loaded with
    /// it, or a session that ended (`InvalidToken`: off to sign in).
    pub fn viewer<T>(
        self,
        signed_in: Result<(User, T), crate::error::ServiceError>,
    ) -> Result<(Viewer, T), PageError> {
        match signed_in {
            Ok((user, work)) => Ok((
                Viewer {
                    user,
                    caller: self.caller,
                    csrf: self.csrf,
                    flash: self.flash,
                    path: self.path,
                    web: self.web,
                },
                work,
            )),
            Err(crate::error::ServiceError::InvalidToken) => Err(self.sign_in),
            Err(e) => Err(e.into()),
        }
    }
}

impl FromRequest for Visitor {
    type Error = PageError;
    type Future = std::future::Ready<Result<Self, PageError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(visitor(req))
    }
}

fn visitor(req: &HttpRequest) -> Result<Visitor, PageError> {
    let sign_in = PageError::SignIn {
        target: sign_in_target(req),
        htmx: req.headers().contains_key("HX-Request"),
    };
    let Some(caller) = req
        .cookie(SESSION_COOKIE)
        .and_then(|c| Caller::of_session_cookie(c.value()))
    else {
        return Err(sign_in);
    };
    let web = req
        .app_data::<web::Data<WebSettings>>()
        .cloned()
        .ok_or_else(|| PageError::internal("web settings missing"))?;
    Ok(Visitor {
        caller,
        csrf: csrf_token(req)?,
        flash: read_flash(req),
        path: req.path().to_owned(),
        web,
        sign_in,
    })
}

impl FromRequest for Viewer {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let visitor = visitor(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| PageError::internal("application state missing"))?;
            let visitor = visitor?;
            let user = visitor.caller.user(&state.db).await;
            Ok(visitor.viewer(user.map(|u| (u, ())))?.0)
        })
    }
}

/// `303 See Other` to `location`, carrying the browser session `key` just
/// started for the person: the session cookie, and the CSRF token bound to
/// it. The caller may add cookies (a flash) before finishing the response.
pub fn start_session(
    req: &HttpRequest,
    settings: &WebSettings,
    key: auth::SessionKey,
    location: &str,
) -> Result<actix_web::HttpResponseBuilder, PageError> {
    use actix_csrf_middleware::CsrfRequestExt;
    let key = key.into_string();
    let mut response = actix_web::HttpResponse::SeeOther();
    response
        .insert_header((header::LOCATION, location))
        .cookie(settings.session_cookie(key.clone()));
    req.rotate_csrf_after_login(&key, &mut response)
        .map_err(|e| PageError::internal(&e.to_string()))?;
    Ok(response)
}

/// The CSRF token of a request (the sign-in form's, before anyone is signed in).
pub fn csrf_token(req: &HttpRequest) -> Result<String, PageError> {
    req.extensions()
        .get::<CsrfToken>()
        .map(|t| t.0.clone())
        .ok_or_else(|| PageError::internal("CSRF middleware missing"))
}
