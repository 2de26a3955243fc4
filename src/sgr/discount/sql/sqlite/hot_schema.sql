-- Hot store (SQLite): one live session per customer.
CREATE TABLE sessions (
    customer_id      TEXT PRIMARY KEY,
    cart_value       REAL NOT NULL CHECK (cart_value >= 0),
    profit_margin    REAL NOT NULL CHECK (profit_margin >= 0 AND profit_margin <= 100),
    inventory_status TEXT NOT NULL CHECK (inventory_status IN ('overstock', 'normal', 'low'))
) WITHOUT ROWID;
