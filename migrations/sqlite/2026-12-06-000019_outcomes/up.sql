-- Outcomes after hire (see the PostgreSQL migration of the same name).
CREATE TABLE outcomes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    loop_id BIGINT NOT NULL REFERENCES interview_loops (id),
    kind TEXT NOT NULL CHECK (kind IN ('performance_rating', 'still_employed', 'regretted_attrition')),
    value DOUBLE NOT NULL,
    observed_at DATE NOT NULL,
    recorded_by_id BIGINT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX outcomes_loop ON outcomes (loop_id, kind, observed_at, id);
