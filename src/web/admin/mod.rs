//! `/admin/…`: the admin workspace, guarded as one area. Every handler takes
//! an [`Admin`] instead of a `Viewer`: anyone else gets the 404 page, as the
//! API answers what a person may not see.

mod api_keys;
mod audit;
mod competencies;
mod home;
mod import;
mod org;
mod outbox;
mod people;
mod person;
mod webhooks;

pub(super) use home::needs_admin;

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use super::page::PageError;
use super::session::Viewer;

/// The admin pages.
pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.configure(home::routes)
        .configure(people::routes)
        .configure(import::routes)
        .configure(person::routes)
        .configure(outbox::routes)
        .configure(api_keys::routes)
        .configure(webhooks::routes)
        .configure(audit::routes)
        .configure(org::routes)
        .configure(competencies::routes);
}

/// A code in words (`in_training` → `in training`), as the admin pages show them.
fn words(code: &str) -> String {
    code.replace('_', " ")
}

/// A signed-in admin (anyone else: the 404 page).
pub struct Admin(pub Viewer);

impl FromRequest for Admin {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let viewer = Viewer::from_request(req, payload);
        Box::pin(async move {
            let viewer = viewer.await?;
            if viewer.user.is_admin() {
                Ok(Admin(viewer))
            } else {
                Err(PageError::NotFound)
            }
        })
    }
}
