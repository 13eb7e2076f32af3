DROP TABLE loop_events;
DROP TABLE interview_competencies;
DROP TABLE interviews;
DROP TABLE interview_loops;
DROP TABLE candidates;
DROP TABLE requisition_competencies;
DROP TABLE requisitions;
