-- Cold store (DuckDB): history generated from a seed with hash() so the rows do not depend on
-- thread scheduling (random() with setseed is only reproducible single-threaded).
-- Rows are written in id order so zone maps keep scans over id ranges short. $1 = users, $2 = seed.
CREATE TABLE history AS
SELECT
    printf('C%07d', i) AS customer_id,
    round(50 + (hash(i, $2, 'ltv') % 1000000) / 1000000.0 * 9950, 2) AS lifetime_value,
    round((hash(i, $2, 'churn') % 1000000) / 1000000.0, 3) AS churn_probability,
    CAST(hash(i, $2, 'days') % 366 AS INTEGER) AS days_since_last_order
FROM range(1, $1 + 1) AS t(i)
ORDER BY i;
