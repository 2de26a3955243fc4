SELECT id, ts, customer_id, message, route, inputs, reasoning, decision, cap_percent, cap_rules, clamps,
       clamp_count, backend, fallback_used, latency_s
FROM audit WHERE (%(customer_id)s::text IS NULL OR customer_id = %(customer_id)s) ORDER BY id DESC LIMIT %(limit)s;
