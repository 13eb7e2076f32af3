-- More signal (see the PostgreSQL migration of the same name).
CREATE TABLE signal_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    loop_id BIGINT NOT NULL REFERENCES interview_loops (id),
    requested_by_id BIGINT NOT NULL REFERENCES users (id),
    requested_as TEXT NOT NULL CHECK (requested_as IN ('bar_raiser', 'hiring_manager')),
    competency_ids TEXT NOT NULL,
    rationale TEXT NOT NULL,
    last_interview_id BIGINT NOT NULL,
    previous_recommendation TEXT CHECK (previous_recommendation IN ('hire', 'no_hire')),
    previous_rationale TEXT,
    previous_closed_at TIMESTAMP,
    requested_at TIMESTAMP NOT NULL,
    reopened_at TIMESTAMP
);
CREATE INDEX signal_requests_loop ON signal_requests (loop_id, id);
