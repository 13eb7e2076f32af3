DROP INDEX interviews_awaiting_feedback;
ALTER TABLE interviews DROP COLUMN awaiting_feedback;
