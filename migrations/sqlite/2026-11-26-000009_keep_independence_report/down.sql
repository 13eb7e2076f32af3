ALTER TABLE interview_loops DROP COLUMN independence_report;
