DROP INDEX interview_loops_recruiter_status;
DROP INDEX interview_loops_hiring_manager_status;
DROP INDEX interview_loops_bar_raiser_status;
CREATE INDEX interview_loops_recruiter_id ON interview_loops (recruiter_id);
CREATE INDEX interview_loops_hiring_manager_id ON interview_loops (hiring_manager_id);
CREATE INDEX interview_loops_bar_raiser_id ON interview_loops (bar_raiser_id);
