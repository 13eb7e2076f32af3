-- A loop's debrief: opened by its bar raiser, closed with a recommendation, decided by its hiring manager.
CREATE TABLE debriefs (
    loop_id BIGINT NOT NULL PRIMARY KEY REFERENCES interview_loops (id),
    opened_by_id BIGINT NOT NULL REFERENCES users (id),
    opened_at TIMESTAMP NOT NULL,
    override_reason TEXT,
    missing_interview_ids TEXT NOT NULL DEFAULT '[]',
    recommendation TEXT CHECK (recommendation IN ('hire', 'no_hire')),
    veto BOOLEAN NOT NULL DEFAULT FALSE,
    rationale TEXT,
    closed_at TIMESTAMP,
    decision TEXT CHECK (decision IN ('hire', 'no_hire')),
    decision_rationale TEXT,
    decided_by_id BIGINT REFERENCES users (id),
    decided_at TIMESTAMP,
    composite_at_decision TEXT,
    agrees_with_composite BOOLEAN
);

-- Panel members' read receipts of the packet.
CREATE TABLE debrief_reads (
    loop_id BIGINT NOT NULL REFERENCES interview_loops (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    read_at TIMESTAMP NOT NULL,
    PRIMARY KEY (loop_id, user_id)
);

-- Final votes: every change is a new row; the latest one counts.
CREATE TABLE debrief_votes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    loop_id BIGINT NOT NULL REFERENCES interview_loops (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    vote TEXT NOT NULL CHECK (vote IN ('strong_hire', 'hire', 'no_hire', 'strong_no_hire')),
    reason TEXT,
    cast_at TIMESTAMP NOT NULL
);
CREATE INDEX debrief_votes_loop_id ON debrief_votes (loop_id);

-- The bar raiser's notes, optionally about one competency.
CREATE TABLE debrief_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    loop_id BIGINT NOT NULL REFERENCES interview_loops (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    competency_id BIGINT REFERENCES competencies (id),
    text TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX debrief_notes_loop_id ON debrief_notes (loop_id);

-- Disagree and commit: a panel member commits to the decision, with an optional dissent.
CREATE TABLE commitments (
    loop_id BIGINT NOT NULL REFERENCES interview_loops (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    dissent TEXT,
    committed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (loop_id, user_id)
);

-- The analytics count events of a kind in a period, and debriefs by their dates.
CREATE INDEX loop_events_kind_at ON loop_events (kind, at);
CREATE INDEX feedback_submitted_at ON feedback (submitted_at);
