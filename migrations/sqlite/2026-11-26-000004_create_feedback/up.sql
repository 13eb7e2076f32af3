-- One interviewer's feedback on one interview: a draft until submitted, then immutable.
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    interview_id BIGINT NOT NULL UNIQUE REFERENCES interviews (id) ON DELETE CASCADE,
    vote TEXT CHECK (vote IN ('strong_hire', 'hire', 'no_hire', 'strong_no_hire')),
    summary TEXT,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
    submitted_at TIMESTAMP,
    timing TEXT CHECK (timing IN ('on_time', 'late', 'late_after_debrief')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- A rating (1 = strong concern ... 4 = strong evidence) and its evidence, per assigned competency.
CREATE TABLE feedback_ratings (
    feedback_id BIGINT NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
    competency_id BIGINT NOT NULL REFERENCES competencies (id),
    rating BIGINT CHECK (rating BETWEEN 1 AND 4),
    evidence TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (feedback_id, competency_id)
);

-- Overdue-feedback reminders sent for an interview, and when the last one went out.
ALTER TABLE interviews ADD COLUMN reminders_sent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE interviews ADD COLUMN last_reminded_at TIMESTAMP;
