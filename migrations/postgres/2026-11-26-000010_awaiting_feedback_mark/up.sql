-- Whether the interview's feedback is still awaited: its loop is scheduled or
-- in debrief and no feedback of it is submitted. The storage layer keeps it in
-- the transaction of every change of a loop's status, of every new interview
-- and of every submission; the feedback-due lists read it through the index
-- below instead of scanning every past interview of a person.
ALTER TABLE interviews ADD COLUMN awaiting_feedback BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE interviews SET awaiting_feedback = (
    (SELECT l.status FROM interview_loops l WHERE l.id = interviews.loop_id)
        IN ('scheduled', 'in_debrief')
    AND NOT EXISTS (
        SELECT 1 FROM feedback f
        WHERE f.interview_id = interviews.id AND f.status = 'submitted'
    )
);

CREATE INDEX interviews_awaiting_feedback
    ON interviews (interviewer_id, awaiting_feedback, starts_at, id);
