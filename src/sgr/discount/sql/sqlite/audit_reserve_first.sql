INSERT INTO sqlite_sequence (name, seq) VALUES ('audit', ?1);
