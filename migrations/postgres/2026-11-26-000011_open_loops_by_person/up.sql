-- A person's open loops in one part (recruiter, hiring manager, bar raiser),
-- flagged first: found in the index, without reading every loop they ever had
-- a part in (the home page asks for them on every visit).
DROP INDEX interview_loops_recruiter_id;
DROP INDEX interview_loops_hiring_manager_id;
DROP INDEX interview_loops_bar_raiser_id;
CREATE INDEX interview_loops_recruiter_status
    ON interview_loops (recruiter_id, status, flagged_at, id);
CREATE INDEX interview_loops_hiring_manager_status
    ON interview_loops (hiring_manager_id, status, flagged_at, id);
CREATE INDEX interview_loops_bar_raiser_status
    ON interview_loops (bar_raiser_id, status, flagged_at, id);
