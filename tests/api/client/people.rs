//! People: one's own account, and the admin's changes to others.

use barraiser::urls::api;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResponse};

impl TestApp {
    /// `GET /me` with `token`.
    pub fn me(&self, token: &str) -> TestResponse {
        self.get(api::ME, token)
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
