-- One's interviews, soonest first, paged by seeking.
CREATE INDEX interviews_interviewer_starts ON interviews (interviewer_id, starts_at, id);
