DROP INDEX feedback_submitted_at;
DROP INDEX loop_events_kind_at;
DROP TABLE commitments;
DROP TABLE debrief_notes;
DROP TABLE debrief_votes;
DROP TABLE debrief_reads;
DROP TABLE debriefs;
