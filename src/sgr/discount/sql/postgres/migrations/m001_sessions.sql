-- Hot store: one live session per customer. double precision, like SQLite's REAL, so both stores hold
-- the same numbers and price the same customer the same way.
CREATE TABLE sessions (
    customer_id      text PRIMARY KEY,
    cart_value       double precision NOT NULL CHECK (cart_value >= 0),
    profit_margin    double precision NOT NULL CHECK (profit_margin >= 0 AND profit_margin <= 100),
    inventory_status text NOT NULL CHECK (inventory_status IN ('overstock', 'normal', 'low'))
);
