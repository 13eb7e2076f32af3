-- The home page's parts, each in the page's own order (flagged loops first,
-- then by id) and holding only the loops that part shows: the page of 50 is
-- read from the front of the index whatever how many loops a person holds a
-- part in. The WHERE clauses are written exactly as the queries write them
-- (`db::loops::agenda_loops`), which is how the planners know they apply.
-- `flagged_at` comes last so that PostgreSQL reads the ids from the index
-- alone (it cannot take `flagged_at IS NULL` from an expression column).
CREATE INDEX interview_loops_bar_raiser_leading
    ON interview_loops (bar_raiser_id, (flagged_at IS NULL), id, flagged_at)
    WHERE status IN ('scheduled', 'in_debrief');
CREATE INDEX interview_loops_hiring_manager_deciding
    ON interview_loops (hiring_manager_id, (flagged_at IS NULL), id, flagged_at)
    WHERE status = 'awaiting_decision';
CREATE INDEX interview_loops_recruiter_open
    ON interview_loops (recruiter_id, (flagged_at IS NULL), id, flagged_at)
    WHERE status IN ('draft', 'scheduled', 'in_debrief', 'awaiting_decision');
