DROP TABLE signal_requests;
