SELECT customer_id, lifetime_value, churn_probability, days_since_last_order FROM history WHERE customer_id = ?;
