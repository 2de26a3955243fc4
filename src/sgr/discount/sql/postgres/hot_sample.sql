-- A few sessions in customer_id order, for the web page's customer picker; bounded by the caller's LIMIT.
SELECT customer_id, cart_value, profit_margin, inventory_status FROM sessions ORDER BY customer_id LIMIT %s;
