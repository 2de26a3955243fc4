COPY sessions (customer_id, cart_value, profit_margin, inventory_status) FROM STDIN (FORMAT csv, HEADER true);
