-- The loop's independence report as last evaluated (JSON), rewritten in the
-- transaction of every change that can affect it; NULL until first written
-- (a read then evaluates it afresh).
ALTER TABLE interview_loops ADD COLUMN independence_report TEXT;
