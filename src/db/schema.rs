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

diesel::table! {
    outbox (id) {
        id -> BigInt,
        kind -> Text,
        recipients -> Text,
        cc -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        calendar -> Nullable<Text>,
        calendar_method -> Nullable<Text>,
        status -> Text,
        attempts -> BigInt,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        give_up_at -> Timestamp,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    users,
    competencies,
    app_secrets,
    login_failures,
    outbox
);
