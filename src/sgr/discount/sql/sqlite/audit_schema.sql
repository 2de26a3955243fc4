-- Audit log (its own SQLite file, so rebuilding the stores never erases it).
CREATE TABLE IF NOT EXISTS audit (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    ts               TEXT NOT NULL,
    customer_id      TEXT NOT NULL,
    message          TEXT NOT NULL,
    route            TEXT NOT NULL,
    inputs           TEXT NOT NULL,
    reasoning        TEXT NOT NULL,
    decision         TEXT NOT NULL,
    cap_percent      REAL,
    cap_rules        TEXT NOT NULL,
    clamps           TEXT NOT NULL,
    clamp_count      INTEGER NOT NULL,
    backend          TEXT NOT NULL,
    fallback_used    INTEGER NOT NULL,
    latency_s        REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_customer ON audit (customer_id, id);
-- Offer codes by sha256 of the code (a lookup never compares secret text); one per audited decision.
CREATE TABLE IF NOT EXISTS offer_codes (
    lookup           TEXT PRIMARY KEY,
    audit_id         INTEGER NOT NULL UNIQUE REFERENCES audit (id)
);
