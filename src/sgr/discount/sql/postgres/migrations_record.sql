INSERT INTO sgr_discount_migrations (name) VALUES (%s);
