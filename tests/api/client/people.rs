//! People: one's own account, and the admin's changes to others.

use barraiser::urls::api;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResponse};

impl TestApp {
    /// `GET /me` with `token`.
    pub fn me(&self, token: &str) -> TestResponse {
        self.get(api::ME, token)
    }

    /// `POST /users/import` as the admin: `csv` as `text/csv`.
    pub fn import_people(&self, csv: &str, dry_run: bool) -> TestResponse {
        let path = format!("{}?dry_run={dry_run}", api::USERS_IMPORT);
        self.raw(
            "POST",
            &path,
            Some(&self.admin_token),
            Some(csv.as_bytes()),
            Some("text/csv"),
        )
    }

    /// `GET /users/{id}` with `token`.
    pub fn get_user(&self, token: &str, id: i64) -> TestResponse {
        self.get(&api::user(barraiser::domain::UserId(id)), token)
    }

    /// `PATCH /users/{id}` as the admin.
    pub fn update_user(&self, id: i64, body: Value) -> TestResponse {
        self.patch(
            &api::user(barraiser::domain::UserId(id)),
            &self.admin_token,
            body,
        )
    }

    /// `PUT /users/{id}/bar-raiser` as the admin, to `status`.
    pub fn set_bar_raiser(&self, id: i64, status: &str) -> TestResponse {
        self.put(
            &api::user_bar_raiser(barraiser::domain::UserId(id)),
            &self.admin_token,
            json!({ "status": status }),
        )
    }

    /// Sets a user's bar raiser status to certified (as the admin).
    #[track_caller]
    pub fn certify(&self, user_id: i64) {
        let res = self.set_bar_raiser(user_id, "certified");
        assert_eq!(res.status, 200, "{}", res.body);
    }
}
