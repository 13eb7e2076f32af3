//! Diesel table definitions, shared by both backends.
//!
//! Written by hand (not generated) because the two migration trees differ only
//! in DDL dialect; `schema.sql` at the top level is the readable contract and
//! `tests/api/schema.rs` keeps all three from drifting apart.

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        role -> Text,
        manager_id -> Nullable<BigInt>,
        department -> Nullable<Text>,
        bar_raiser -> Text,
        active -> Bool,
        token_version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    competencies (id) {
        id -> BigInt,
        key -> Text,
        name -> Text,
        description -> Text,
        anchor_1 -> Text,
        anchor_2 -> Text,
        anchor_3 -> Text,
        anchor_4 -> Text,
        questions -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    app_secrets (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        email -> Text,
        failed_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(users, competencies, app_secrets, login_failures);
