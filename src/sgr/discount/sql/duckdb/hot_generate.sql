-- Hot rows generated in DuckDB (same hash scheme) and streamed into SQLite in batches.
-- $1 = number of users, $2 = seed.
SELECT
    printf('C%07d', i) AS customer_id,
    round(10 + (hash(i, $2, 'cart') % 1000000) / 1000000.0 * 990, 2) AS cart_value,
    round(5 + (hash(i, $2, 'margin') % 1000000) / 1000000.0 * 55, 1) AS profit_margin,
    CASE hash(i, $2, 'inv') % 10 WHEN 0 THEN 'low' WHEN 1 THEN 'low' WHEN 2 THEN 'overstock'
         WHEN 3 THEN 'overstock' ELSE 'normal' END AS inventory_status
FROM range(1, $1 + 1) AS t(i)
ORDER BY i;
