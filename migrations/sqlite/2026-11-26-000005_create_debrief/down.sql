DROP TABLE commitments;
DROP TABLE debrief_notes;
DROP TABLE debrief_votes;
DROP TABLE debrief_reads;
DROP TABLE debriefs;
