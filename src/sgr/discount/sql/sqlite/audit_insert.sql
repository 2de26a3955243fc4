INSERT INTO audit (id, ts, customer_id, message, route, inputs, reasoning, decision, cap_percent, cap_rules,
                   clamps, clamp_count, backend, fallback_used, latency_s)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
