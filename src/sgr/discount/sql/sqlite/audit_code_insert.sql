INSERT INTO offer_codes (lookup, audit_id) VALUES (?, ?);
