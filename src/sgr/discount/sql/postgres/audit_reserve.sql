-- A fresh audit id; sequences are outside transactions, so no two sessions ever get the same one.
SELECT nextval(pg_get_serial_sequence('audit', 'id'));
