SELECT name FROM sgr_discount_migrations;
