-- setup-data: empty the table inside the loading transaction, so readers see the old rows or the new ones.
TRUNCATE sessions;
