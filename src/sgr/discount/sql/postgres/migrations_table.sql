-- Which named migrations this database has had, so each applies once, in order, whoever starts first.
CREATE TABLE IF NOT EXISTS sgr_discount_migrations (
    name        text PRIMARY KEY,
    applied_at  timestamptz NOT NULL DEFAULT now()
);
