-- Each person's IANA time zone: pages show and accept times in it, mail shows
-- times in the recipient's. NULL until proposed from the browser at first sign-in.
ALTER TABLE users ADD COLUMN time_zone TEXT;

-- Set for the first admin when their password was generated: pages ask them to change it.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

-- One open loop per candidate and requisition (decided and cancelled loops do not count).
CREATE UNIQUE INDEX interview_loops_one_open_per_candidate
    ON interview_loops (candidate_id, requisition_id)
    WHERE status NOT IN ('decided', 'cancelled');
