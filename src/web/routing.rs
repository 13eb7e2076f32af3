//! The pages' route table: each page family lists its routes here, and the
//! table is registered as scopes by first segment (`crate::http::scopes`).

use actix_web::{Route, web};

use crate::http::scopes::{self, Entry};

/// Routes by path, in the order they were listed, the methods of a path
/// together.
#[derive(Default)]
pub struct Routes {
    paths: Vec<(String, Vec<Route>)>,
}

impl Routes {
    /// `route` (a method and its handler) at `path`.
    pub fn route(&mut self, path: &str, route: Route) -> &mut Self {
        match self.paths.iter_mut().find(|(p, _)| p == path) {
            Some((_, routes)) => routes.push(route),
            None => self.paths.push((path.to_owned(), vec![route])),
        }
        self
    }

    /// The routes `f` lists.
    pub fn configure(&mut self, f: impl FnOnce(&mut Routes)) -> &mut Self {
        f(self);
        self
    }

    /// Registers the table. A method a path does not answer falls to the
    /// application's default service (a 404 page), as a path no route
    /// answers does.
    pub fn register(self, cfg: &mut web::ServiceConfig) {
        let entries = self
            .paths
            .into_iter()
            .map(|(path, routes)| {
                Entry::new(path, move |within| {
                    routes
                        .into_iter()
                        .fold(web::resource(within), |resource, route| {
                            resource.route(route)
                        })
                        .default_service(web::to(super::fallback))
                })
            })
            .collect();
        scopes::register(cfg, 1, entries);
    }
}
