-- barraiser: the readable schema (PostgreSQL dialect).
--
-- The migrations under migrations/postgres and migrations/sqlite are what runs;
-- this file is the contract reviewers read. tests/api/schema.rs migrates a fresh
-- database of the backend under test and fails when any table, column, type
-- class or nullability here differs from it. All timestamps are UTC.

-- People: reporting lines form a forest (manager_id); users are deactivated, never deleted.
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,                -- stored lower-cased: unique case-insensitively
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,               -- argon2id PHC string
    role TEXT NOT NULL,                        -- admin | recruiter | member
    manager_id BIGINT REFERENCES users (id),
    department TEXT,
    bar_raiser TEXT NOT NULL DEFAULT 'none',   -- none | in_training | certified | inactive
    active BOOLEAN NOT NULL DEFAULT TRUE,
    token_version BIGINT NOT NULL DEFAULT 0,   -- bumped on password/role change: revokes tokens
    time_zone TEXT,                            -- IANA name; proposed by the browser at first sign-in
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE, -- a generated first-admin password
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    machine BOOLEAN NOT NULL DEFAULT FALSE,     -- an API key's own account: never signs in, never offered as a person
    -- what the people pickers match: lower(name) || ' ' || email || ' ' || lower(department)
    search_text TEXT GENERATED ALWAYS AS (lower(name) || ' ' || email || ' ' || lower(coalesce(department, ''))) STORED
);

-- The leadership-principle rubric library; retired competencies keep active = false.
CREATE TABLE competencies (
    id BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    anchor_1 TEXT NOT NULL,                    -- rating 1: strong concern
    anchor_2 TEXT NOT NULL,                    -- rating 2: concern
    anchor_3 TEXT NOT NULL,                    -- rating 3: evidence
    anchor_4 TEXT NOT NULL,                    -- rating 4: strong evidence
    questions TEXT NOT NULL,                   -- JSON array of strings
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Values generated once and shared by every instance (the JWT signing key).
CREATE TABLE app_secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- Failed sign-ins, for the per-account throttle (rows older than the window are purged).
CREATE TABLE login_failures (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);

-- The transactional outbox: written in the same transaction as the change that
-- causes the mail; a background worker delivers it (pending -> sent | failed).
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,                        -- account_created, interview_assigned, feedback_reminder, ...
    recipients TEXT NOT NULL,                  -- JSON array of addresses (To)
    cc TEXT NOT NULL,                          -- JSON array of addresses (Cc)
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    calendar TEXT,                             -- iCalendar attachment, if any
    calendar_method TEXT,                      -- REQUEST | CANCEL
    status TEXT NOT NULL DEFAULT 'pending',    -- pending | sent | failed
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,        -- due time; a claim pushes it one lease ahead
    last_error TEXT,
    give_up_at TIMESTAMP NOT NULL,             -- transient failures stop retrying after this
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);


-- A role to fill: its hiring manager, recruiter, required competencies and minimum panel size.
CREATE TABLE requisitions (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    hiring_manager_id BIGINT NOT NULL REFERENCES users (id),
    recruiter_id BIGINT NOT NULL REFERENCES users (id),
    min_panel_size BIGINT NOT NULL DEFAULT 4,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The competencies a requisition requires.
CREATE TABLE requisition_competencies (
    requisition_id BIGINT NOT NULL REFERENCES requisitions (id) ON DELETE CASCADE,
    competency_id BIGINT NOT NULL REFERENCES competencies (id),
    PRIMARY KEY (requisition_id, competency_id)
);

-- Candidates; erasure (GDPR) replaces name and email and sets erased_at, loops stay.
CREATE TABLE candidates (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    referred_by_id BIGINT REFERENCES users (id),
    created_by_id BIGINT NOT NULL REFERENCES users (id),
    erased_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- One candidate for one requisition: draft -> scheduled -> in_debrief -> awaiting_decision -> decided, or cancelled.
-- independence_ok caches the last report; flagged_at is set when it turned red after scheduling.
CREATE TABLE interview_loops (
    id BIGSERIAL PRIMARY KEY,
    requisition_id BIGINT NOT NULL REFERENCES requisitions (id),
    candidate_id BIGINT NOT NULL REFERENCES candidates (id),
    hiring_manager_id BIGINT NOT NULL REFERENCES users (id),
    recruiter_id BIGINT NOT NULL REFERENCES users (id),
    bar_raiser_id BIGINT NOT NULL REFERENCES users (id),
    feedback_window_hours BIGINT NOT NULL DEFAULT 24,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'in_debrief', 'awaiting_decision', 'decided', 'cancelled')),
    independence_ok BOOLEAN NOT NULL,
    flagged_at TIMESTAMP,
    cancel_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    independence_report TEXT                   -- the report as last evaluated (JSON), kept current by every change
);

-- One interview of a loop; sequence grows when it moves (iCalendar SEQUENCE).
CREATE TABLE interviews (
    id BIGSERIAL PRIMARY KEY,
    loop_id BIGINT NOT NULL REFERENCES interview_loops (id) ON DELETE CASCADE,
    interviewer_id BIGINT NOT NULL REFERENCES users (id),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    feedback_due_at TIMESTAMP NOT NULL,
    sequence BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    -- Overdue-feedback reminders sent, and when the last one went out.
    reminders_sent BIGINT NOT NULL DEFAULT 0,
    last_reminded_at TIMESTAMP,
    -- Feedback still awaited: the loop is scheduled or in debrief and this
    -- interview's feedback is not submitted. Kept by the storage layer with
    -- every status change, new interview and submission; indexed for the
    -- feedback-due lists.
    awaiting_feedback BOOLEAN NOT NULL DEFAULT FALSE
);

-- The competencies an interviewer assesses in one interview.
CREATE TABLE interview_competencies (
    interview_id BIGINT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    competency_id BIGINT NOT NULL REFERENCES competencies (id),
    PRIMARY KEY (interview_id, competency_id)
);

-- The append-only, hash-chained audit log of a loop: hash = SHA-256(prev_hash, content).
CREATE TABLE loop_events (
    id BIGSERIAL PRIMARY KEY,
    loop_id BIGINT NOT NULL REFERENCES interview_loops (id),
    seq BIGINT NOT NULL,
    actor_id BIGINT REFERENCES users (id),
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (loop_id, seq)
);

-- One row, moved by triggers on every change of a person's or candidate's
-- name, a role's title, a competency or a role's competencies (and on their
-- deletion): the service keeps a loop's names and competency library while
-- this and the loop's trail stand still.
CREATE TABLE names_version (
    id INTEGER PRIMARY KEY,                    -- always 1
    version BIGINT NOT NULL
);

-- The insights pages' figures for their preset periods, kept by the worker.
CREATE TABLE insight_snapshots (
    name TEXT PRIMARY KEY NOT NULL,            -- process:30, calibration:365, ...
    period_from TIMESTAMP NOT NULL,
    period_to TIMESTAMP NOT NULL,
    computed_at TIMESTAMP NOT NULL,
    body TEXT NOT NULL                         -- the figures as the API answers them (JSON)
);

-- The organisation's audit trail: one tamper-evident chain, beside the loops',
-- of every change to people, roles, bar raiser status, reporting lines, the
-- competency library and the outbox. Only inserted, never updated.
CREATE TABLE org_events (
    id BIGSERIAL PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE,
    actor_id BIGINT REFERENCES users (id),     -- NULL: the service itself (the first admin)
    kind TEXT NOT NULL,                        -- person_added, person_changed, bar_raiser_set, people_imported, competency_added, competency_changed, mail_retried
    subject_type TEXT NOT NULL CHECK (subject_type IN ('user', 'competency', 'message', 'webhook', 'organisation')),
    subject_id BIGINT,
    data TEXT NOT NULL,                        -- JSON: what changed, from and to
    at TIMESTAMP NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL                         -- SHA-256(prev_hash, seq, actor, kind, subject, at, data)
);

-- One interviewer's feedback on one interview: a draft until submitted, then immutable.
CREATE TABLE feedback (
    id BIGSERIAL PRIMARY KEY,
    interview_id BIGINT NOT NULL UNIQUE REFERENCES interviews (id) ON DELETE CASCADE,
    vote TEXT CHECK (vote IN ('strong_hire', 'hire', 'no_hire', 'strong_no_hire')),
    summary TEXT,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
    submitted_at TIMESTAMP,
    timing TEXT CHECK (timing IN ('on_time', 'late', 'late_after_debrief')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- A rating (1 = strong concern ... 4 = strong evidence) and its evidence, per assigned competency.
CREATE TABLE feedback_ratings (
    feedback_id BIGINT NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
    competency_id BIGINT NOT NULL REFERENCES competencies (id),
    rating BIGINT CHECK (rating BETWEEN 1 AND 4),
    evidence TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (feedback_id, competency_id)
);

-- A loop's debrief: opened by its bar raiser, closed with a recommendation, decided by its hiring manager.
CREATE TABLE debriefs (
    loop_id BIGINT NOT NULL PRIMARY KEY REFERENCES interview_loops (id),
    opened_by_id BIGINT NOT NULL REFERENCES users (id),
    opened_at TIMESTAMP NOT NULL,
    override_reason TEXT,
    missing_interview_ids TEXT NOT NULL DEFAULT '[]',
    recommendation TEXT CHECK (recommendation IN ('hire', 'no_hire')),
    veto BOOLEAN NOT NULL DEFAULT FALSE,
    rationale TEXT,
    closed_at TIMESTAMP,
    decision TEXT CHECK (decision IN ('hire', 'no_hire')),
    decision_rationale TEXT,
    decided_by_id BIGINT REFERENCES users (id),
    decided_at TIMESTAMP,
    composite_at_decision TEXT,
    agrees_with_composite BOOLEAN
);

-- Panel members' read receipts of the packet.
CREATE TABLE debrief_reads (
    loop_id BIGINT NOT NULL REFERENCES interview_loops (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    read_at TIMESTAMP NOT NULL,
    PRIMARY KEY (loop_id, user_id)
);

-- Final votes: every change is a new row; the latest one counts.
CREATE TABLE debrief_votes (
    id BIGSERIAL PRIMARY KEY,
    loop_id BIGINT NOT NULL REFERENCES interview_loops (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    vote TEXT NOT NULL CHECK (vote IN ('strong_hire', 'hire', 'no_hire', 'strong_no_hire')),
    reason TEXT,
    cast_at TIMESTAMP NOT NULL
);
-- API keys: each acts as its own machine account with the key's role; only
-- the SHA-256 of the key and a prefix to recognise it are kept.
CREATE TABLE api_keys (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL UNIQUE REFERENCES users (id),
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,                      -- brk_ and the key's first 8 characters
    key_hash TEXT NOT NULL UNIQUE,             -- SHA-256 of the key, hex
    created_by_id BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,                    -- recorded at most once a minute
    revoked_at TIMESTAMP
);

-- Webhooks: endpoints registered by an admin. The secret (whsec_ and base64)
-- signs every delivery; events is a space-separated list of event types.
CREATE TABLE webhooks (
    id BIGSERIAL PRIMARY KEY,
    url TEXT NOT NULL,                         -- https, resolving to public addresses
    description TEXT,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,      -- a paused endpoint is sent nothing (what was pending waits)
    created_by_id BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- One event for one endpoint: written in the transaction of the change,
-- delivered at least once by the worker with the same message_id (webhook-id).
CREATE TABLE webhook_deliveries (
    id BIGSERIAL PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    message_id TEXT NOT NULL,                  -- msg_ and 32 hex digits, the same on every retry
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,                     -- the body, {type, timestamp, data}, byte for byte
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_response_code INTEGER,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (webhook_id, id);
-- Every attempt at a delivery: when, the answer's code (none on a timeout or
-- a refused address), how long it took.
CREATE TABLE webhook_attempts (
    id BIGSERIAL PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at TIMESTAMP NOT NULL,
    response_code INTEGER,
    duration_ms BIGINT NOT NULL,
    error TEXT
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id, id);

-- Single sign-on begun and not yet finished: taken (deleted) by the callback,
-- so a state is good once; ten minutes at most.
CREATE TABLE sso_logins (
    state_hash TEXT PRIMARY KEY,               -- SHA-256 of the state sent to the provider
    browser_hash TEXT NOT NULL,                -- SHA-256 of the key in the browser's cookie
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next TEXT NOT NULL,                        -- where the browser goes once signed in
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX sso_logins_created ON sso_logins (created_at);

-- What became of a hire, recorded later by the loop's recruiter or an admin:
-- a performance rating (1 to 5), still employed or regretted attrition (1 or 0).
-- A loop counts in the validity report with its latest performance rating.
CREATE TABLE outcomes (
    id BIGSERIAL PRIMARY KEY,
    loop_id BIGINT NOT NULL REFERENCES interview_loops (id),
    kind TEXT NOT NULL CHECK (kind IN ('performance_rating', 'still_employed', 'regretted_attrition')),
    value DOUBLE PRECISION NOT NULL,
    observed_at DATE NOT NULL,
    recorded_by_id BIGINT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX outcomes_loop ON outcomes (loop_id, kind, observed_at, id);

-- "More signal": the bar raiser closed the debrief, or the hiring manager
-- decided, asking for more evidence on named competencies; the loop went back
-- to scheduled for a follow-up interview (any interview with an id above
-- last_interview_id), and the debrief reopens when its feedback is in. A hiring
-- manager's request keeps the bar raiser's close it set aside (previous_*).
CREATE TABLE signal_requests (
    id BIGSERIAL PRIMARY KEY,
    loop_id BIGINT NOT NULL REFERENCES interview_loops (id),
    requested_by_id BIGINT NOT NULL REFERENCES users (id),
    requested_as TEXT NOT NULL,                 -- bar_raiser | hiring_manager
    competency_ids TEXT NOT NULL,               -- JSON array of competency ids
    rationale TEXT NOT NULL,
    last_interview_id BIGINT NOT NULL,
    previous_recommendation TEXT,               -- hire | no_hire (a hiring manager's request)
    previous_rationale TEXT,
    previous_closed_at TIMESTAMP,
    requested_at TIMESTAMP NOT NULL,
    reopened_at TIMESTAMP                       -- when the debrief reopened on the follow-up
);
CREATE INDEX signal_requests_loop ON signal_requests (loop_id, id);

-- The debrief proposed for a scheduled loop: the first hour in the bar
-- raiser's working hours (Monday to Friday, 09:00 to 17:00 in their zone) two
-- hours or more after the last interview ends; mailed with an .ics to the bar
-- raiser, the hiring manager and the panel, and moved (sequence + 1) when the
-- last interview moves.
CREATE TABLE debrief_proposals (
    loop_id BIGINT PRIMARY KEY REFERENCES interview_loops (id),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    sequence BIGINT NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL
);

CREATE INDEX users_search_prefix ON users (search_text text_pattern_ops);
CREATE INDEX users_search_trigrams ON users USING gin (search_text gin_trgm_ops); -- CREATE EXTENSION pg_trgm
CREATE INDEX debrief_votes_loop_id ON debrief_votes (loop_id);

-- The bar raiser's notes, optionally about one competency.
CREATE TABLE debrief_notes (
    id BIGSERIAL PRIMARY KEY,
    loop_id BIGINT NOT NULL REFERENCES interview_loops (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    competency_id BIGINT REFERENCES competencies (id),
    text TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX debrief_notes_loop_id ON debrief_notes (loop_id);

-- Disagree and commit: a panel member commits to the decision, with an optional dissent.
CREATE TABLE commitments (
    loop_id BIGINT NOT NULL REFERENCES interview_loops (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    dissent TEXT,
    committed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (loop_id, user_id)
);

-- The analytics count events of a kind in a period, and feedback by submission time.
CREATE INDEX loop_events_kind_at ON loop_events (kind, at);
CREATE INDEX org_events_subject ON org_events (subject_type, subject_id, seq);
CREATE INDEX org_events_kind ON org_events (kind, seq);
CREATE INDEX feedback_submitted_at ON feedback (submitted_at);
-- One's interviews, soonest first, paged by seeking.
CREATE INDEX interviews_interviewer_starts ON interviews (interviewer_id, starts_at, id);
CREATE INDEX interviews_awaiting_feedback ON interviews (interviewer_id, awaiting_feedback, starts_at, id);
-- A person's open loops by part, flagged first (the home page).
CREATE INDEX interview_loops_recruiter_status ON interview_loops (recruiter_id, status, flagged_at, id);
CREATE INDEX interview_loops_hiring_manager_status ON interview_loops (hiring_manager_id, status, flagged_at, id);
CREATE INDEX interview_loops_bar_raiser_status ON interview_loops (bar_raiser_id, status, flagged_at, id);
-- The home page's parts in the page's order (flagged first, then by id), each
-- holding only the statuses its part shows; the queries state the same WHERE.
CREATE INDEX interview_loops_bar_raiser_leading ON interview_loops (bar_raiser_id, (flagged_at IS NULL), id, flagged_at)
    WHERE status IN ('scheduled', 'in_debrief');
CREATE INDEX interview_loops_hiring_manager_deciding ON interview_loops (hiring_manager_id, (flagged_at IS NULL), id, flagged_at)
    WHERE status = 'awaiting_decision';
CREATE INDEX interview_loops_recruiter_open ON interview_loops (recruiter_id, (flagged_at IS NULL), id, flagged_at)
    WHERE status IN ('draft', 'scheduled', 'in_debrief', 'awaiting_decision');
-- The people a bar raiser can be chosen from (the suggestions' read).
CREATE INDEX users_certified_active ON users (id) WHERE bar_raiser = 'certified' AND active = TRUE;
-- One open loop per candidate and requisition.
CREATE UNIQUE INDEX interview_loops_one_open_per_candidate
    ON interview_loops (candidate_id, requisition_id)
    WHERE status NOT IN ('decided', 'cancelled');

-- Single-use links to set a password (invitation 72 h, reset 1 h); only token hashes are kept.
CREATE TABLE account_links (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL,                     -- invitation | reset
    token_hash TEXT NOT NULL UNIQUE,           -- SHA-256 of the token, hex
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX account_links_user_created ON account_links (user_id, created_at);

-- Signed-in sessions: a browser's (the cookie holds the key) or an API
-- token's (its `sid` claim holds the key). Deleting a row ends the session.
CREATE TABLE sessions (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    key_hash TEXT NOT NULL UNIQUE,             -- SHA-256 of the key, hex
    kind TEXT NOT NULL,                        -- browser | api
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
