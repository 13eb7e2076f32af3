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
        time_zone -> Nullable<Text>,
        must_change_password -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        machine -> Bool,
    }
}

diesel::table! {
    api_keys (id) {
        id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        prefix -> Text,
        key_hash -> Text,
        created_by_id -> BigInt,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
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
    account_links (id) {
        id -> BigInt,
        user_id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
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

diesel::table! {
    requisitions (id) {
        id -> BigInt,
        title -> Text,
        hiring_manager_id -> BigInt,
        recruiter_id -> BigInt,
        min_panel_size -> BigInt,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    requisition_competencies (requisition_id, competency_id) {
        requisition_id -> BigInt,
        competency_id -> BigInt,
    }
}

diesel::table! {
    candidates (id) {
        id -> BigInt,
        name -> Text,
        email -> Text,
        referred_by_id -> Nullable<BigInt>,
        created_by_id -> BigInt,
        erased_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    interview_loops (id) {
        id -> BigInt,
        requisition_id -> BigInt,
        candidate_id -> BigInt,
        hiring_manager_id -> BigInt,
        recruiter_id -> BigInt,
        bar_raiser_id -> BigInt,
        feedback_window_hours -> BigInt,
        status -> Text,
        independence_ok -> Bool,
        flagged_at -> Nullable<Timestamp>,
        cancel_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        independence_report -> Nullable<Text>,
    }
}

diesel::table! {
    interviews (id) {
        id -> BigInt,
        loop_id -> BigInt,
        interviewer_id -> BigInt,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        feedback_due_at -> Timestamp,
        sequence -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        reminders_sent -> BigInt,
        last_reminded_at -> Nullable<Timestamp>,
        awaiting_feedback -> Bool,
    }
}

diesel::table! {
    feedback (id) {
        id -> BigInt,
        interview_id -> BigInt,
        vote -> Nullable<Text>,
        summary -> Nullable<Text>,
        status -> Text,
        submitted_at -> Nullable<Timestamp>,
        timing -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    feedback_ratings (feedback_id, competency_id) {
        feedback_id -> BigInt,
        competency_id -> BigInt,
        rating -> Nullable<BigInt>,
        evidence -> Text,
    }
}

diesel::table! {
    interview_competencies (interview_id, competency_id) {
        interview_id -> BigInt,
        competency_id -> BigInt,
    }
}

diesel::table! {
    loop_events (id) {
        id -> BigInt,
        loop_id -> BigInt,
        seq -> BigInt,
        actor_id -> Nullable<BigInt>,
        kind -> Text,
        data -> Text,
        at -> Timestamp,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    /// One row: moved by triggers with every change of a name or a title
    /// (see `db::names_cache`).
    names_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    insight_snapshots (name) {
        name -> Text,
        period_from -> Timestamp,
        period_to -> Timestamp,
        computed_at -> Timestamp,
        body -> Text,
    }
}

diesel::table! {
    org_events (id) {
        id -> BigInt,
        seq -> BigInt,
        actor_id -> Nullable<BigInt>,
        kind -> Text,
        subject_type -> Text,
        subject_id -> Nullable<BigInt>,
        data -> Text,
        at -> Timestamp,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    debriefs (loop_id) {
        loop_id -> BigInt,
        opened_by_id -> BigInt,
        opened_at -> Timestamp,
        override_reason -> Nullable<Text>,
        missing_interview_ids -> Text,
        recommendation -> Nullable<Text>,
        veto -> Bool,
        rationale -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        decision -> Nullable<Text>,
        decision_rationale -> Nullable<Text>,
        decided_by_id -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        composite_at_decision -> Nullable<Text>,
        agrees_with_composite -> Nullable<Bool>,
    }
}

diesel::table! {
    debrief_reads (loop_id, user_id) {
        loop_id -> BigInt,
        user_id -> BigInt,
        read_at -> Timestamp,
    }
}

diesel::table! {
    debrief_votes (id) {
        id -> BigInt,
        loop_id -> BigInt,
        user_id -> BigInt,
        vote -> Text,
        reason -> Nullable<Text>,
        cast_at -> Timestamp,
    }
}

diesel::table! {
    debrief_notes (id) {
        id -> BigInt,
        loop_id -> BigInt,
        author_id -> BigInt,
        competency_id -> Nullable<BigInt>,
        text -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    commitments (loop_id, user_id) {
        loop_id -> BigInt,
        user_id -> BigInt,
        dissent -> Nullable<Text>,
        committed_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        user_id -> BigInt,
        key_hash -> Text,
        kind -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::table! {
    webhooks (id) {
        id -> BigInt,
        url -> Text,
        description -> Nullable<Text>,
        events -> Text,
        secret -> Text,
        active -> Bool,
        created_by_id -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> BigInt,
        webhook_id -> BigInt,
        message_id -> Text,
        event_type -> Text,
        payload -> Text,
        status -> Text,
        attempts -> BigInt,
        next_attempt_at -> Timestamp,
        last_response_code -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> BigInt,
        delivery_id -> BigInt,
        attempted_at -> Timestamp,
        response_code -> Nullable<Integer>,
        duration_ms -> BigInt,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    sso_logins (state_hash) {
        state_hash -> Text,
        browser_hash -> Text,
        nonce -> Text,
        pkce_verifier -> Text,
        next -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outcomes (id) {
        id -> BigInt,
        loop_id -> BigInt,
        kind -> Text,
        value -> Double,
        observed_at -> Date,
        recorded_by_id -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    signal_requests (id) {
        id -> BigInt,
        loop_id -> BigInt,
        requested_by_id -> BigInt,
        requested_as -> Text,
        competency_ids -> Text,
        rationale -> Text,
        last_interview_id -> BigInt,
        previous_recommendation -> Nullable<Text>,
        previous_rationale -> Nullable<Text>,
        previous_closed_at -> Nullable<Timestamp>,
        requested_at -> Timestamp,
        reopened_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    debrief_proposals (loop_id) {
        loop_id -> BigInt,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        sequence -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(api_keys -> users (user_id));
diesel::joinable!(outcomes -> interview_loops (loop_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::joinable!(interviews -> interview_loops (loop_id));
diesel::joinable!(interview_loops -> candidates (candidate_id));
diesel::joinable!(interview_loops -> requisitions (requisition_id));
diesel::joinable!(feedback -> interviews (interview_id));
diesel::joinable!(feedback_ratings -> feedback (feedback_id));
diesel::joinable!(interview_competencies -> interviews (interview_id));
diesel::joinable!(requisition_competencies -> requisitions (requisition_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_keys,
    outcomes,
    signal_requests,
    debrief_proposals,
    sso_logins,
    webhooks,
    webhook_deliveries,
    webhook_attempts,
    commitments,
    debrief_notes,
    debrief_reads,
    debrief_votes,
    debriefs,
    feedback,
    feedback_ratings,
    users,
    competencies,
    app_secrets,
    account_links,
    login_failures,
    outbox,
    requisitions,
    requisition_competencies,
    candidates,
    interview_loops,
    interviews,
    interview_competencies,
    insight_snapshots,
    loop_events,
    names_version,
    org_events,
    sessions,
);
