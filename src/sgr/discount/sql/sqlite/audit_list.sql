SELECT id, ts, customer_id, message, route, inputs, reasoning, decision, cap_percent, cap_rules, clamps,
       clamp_count, backend, fallback_used, latency_s
FROM audit WHERE (?1 IS NULL OR customer_id = ?1) ORDER BY id DESC LIMIT ?2;
