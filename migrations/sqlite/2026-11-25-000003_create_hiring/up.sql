CREATE TABLE requisitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    hiring_manager_id BIGINT NOT NULL REFERENCES users (id),
    recruiter_id BIGINT NOT NULL REFERENCES users (id),
    min_panel_size BIGINT NOT NULL DEFAULT 4,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX requisitions_recruiter_id ON requisitions (recruiter_id);

CREATE TABLE requisition_competencies (
    requisition_id BIGINT NOT NULL REFERENCES requisitions (id) ON DELETE CASCADE,
    competency_id BIGINT NOT NULL REFERENCES competencies (id),
    PRIMARY KEY (requisition_id, competency_id)
);

CREATE TABLE candidates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    referred_by_id BIGINT REFERENCES users (id),
    created_by_id BIGINT NOT NULL REFERENCES users (id),
    erased_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE interview_loops (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
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
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX interview_loops_recruiter_id ON interview_loops (recruiter_id);
CREATE INDEX interview_loops_hiring_manager_id ON interview_loops (hiring_manager_id);
CREATE INDEX interview_loops_bar_raiser_id ON interview_loops (bar_raiser_id);
CREATE INDEX interview_loops_candidate_id ON interview_loops (candidate_id);

CREATE TABLE interviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    loop_id BIGINT NOT NULL REFERENCES interview_loops (id) ON DELETE CASCADE,
    interviewer_id BIGINT NOT NULL REFERENCES users (id),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    feedback_due_at TIMESTAMP NOT NULL,
    sequence BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX interviews_loop_id ON interviews (loop_id);
CREATE INDEX interviews_interviewer_id ON interviews (interviewer_id);

CREATE TABLE interview_competencies (
    interview_id BIGINT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    competency_id BIGINT NOT NULL REFERENCES competencies (id),
    PRIMARY KEY (interview_id, competency_id)
);

CREATE TABLE loop_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
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
