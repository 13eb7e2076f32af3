-- The debrief proposed (see the PostgreSQL migration of the same name).
CREATE TABLE debrief_proposals (
    loop_id BIGINT PRIMARY KEY REFERENCES interview_loops (id),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    sequence BIGINT NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL
);
