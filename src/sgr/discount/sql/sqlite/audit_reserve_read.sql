-- The highest audit id ever used or reserved (AUTOINCREMENT keeps it in sqlite_sequence).
SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit'), 0),
           coalesce((SELECT max(id) FROM audit), 0));
