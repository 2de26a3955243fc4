INSERT INTO sessions (customer_id, cart_value, profit_margin, inventory_status) VALUES (?, ?, ?, ?);
