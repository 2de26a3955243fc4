-- The id is always reserved first, so a write retried after a lost connection finds its own row
-- (DO NOTHING, no row returned) instead of writing the decision twice.
INSERT INTO audit (id, ts, customer_id, message, route, inputs, reasoning, decision, cap_percent, cap_rules,
                   clamps, clamp_count, backend, fallback_used, latency_s)
VALUES (%(id)s, %(ts)s, %(customer_id)s, %(message)s, %(route)s, %(inputs)s, %(reasoning)s, %(decision)s,
        %(cap_percent)s, %(cap_rules)s, %(clamps)s, %(clamp_count)s, %(backend)s, %(fallback_used)s,
        %(latency_s)s)
ON CONFLICT (id) DO NOTHING
RETURNING id;
