-- The debrief proposed for a scheduled loop: the first hour in the bar
-- raiser's working hours, two hours or more after the last interview ends.
-- Mailed with an .ics (same UID, higher SEQUENCE when it moves) to the bar
-- raiser, the hiring manager and the panel.
CREATE TABLE debrief_proposals (
    loop_id BIGINT PRIMARY KEY REFERENCES interview_loops (id),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    sequence BIGINT NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL
);
