SELECT a.id, a.ts, a.customer_id, a.message, a.route, a.inputs, a.reasoning, a.decision, a.cap_percent,
       a.cap_rules, a.clamps, a.clamp_count, a.backend, a.fallback_used, a.latency_s
FROM offer_codes AS o JOIN audit AS a ON a.id = o.audit_id WHERE o.lookup = %s;
