ALTER TABLE interviews DROP COLUMN last_reminded_at;
ALTER TABLE interviews DROP COLUMN reminders_sent;
DROP TABLE feedback_ratings;
DROP TABLE feedback;
