-- Replicas starting together queue here (a transaction-scoped advisory lock, released at COMMIT), so two
-- never run the same migration, or create the migrations table, at once. The key is an arbitrary constant.
SELECT pg_advisory_xact_lock(7309118420190337);
