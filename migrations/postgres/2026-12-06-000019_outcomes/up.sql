-- What became of a hire: outcomes recorded later by the loop's recruiter or
-- an admin (by hand or from a CSV file), for the predictive validity of the
-- interviews. A performance rating is 1 to 5; still employed and regretted
-- attrition are 1 (yes) or 0 (no).
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
