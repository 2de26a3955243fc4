"""The hot store and the audit log on PostgreSQL, so several service replicas share one of each.

Optional: psycopg 3 and psycopg_pool come with the `postgres` extra, and are imported only when a DSN is
configured (`discount.database` or $SGR_DISCOUNT_DATABASE). The cold store stays DuckDB/Parquet on each
machine: it is read-only history, cheap to copy, and fastest local.

    pool.py     connections: one pool per store, DSNs shown without passwords
    migrate.py  named migrations (sql/postgres/migrations/mNNN_*.sql), once each, in order, under a lock
    hot.py      the sessions lookup, and setup-data's COPY load
    audit.py    the shared audit log: ids from a sequence, idempotent retried writes
"""
