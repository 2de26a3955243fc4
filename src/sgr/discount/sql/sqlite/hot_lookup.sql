SELECT customer_id, cart_value, profit_margin, inventory_status FROM sessions WHERE customer_id = ?;
