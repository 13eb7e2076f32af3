DROP INDEX interview_loops_one_open_per_candidate;
ALTER TABLE users DROP COLUMN must_change_password;
ALTER TABLE users DROP COLUMN time_zone;
