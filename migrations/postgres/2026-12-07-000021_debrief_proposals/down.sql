DROP TABLE debrief_proposals;
