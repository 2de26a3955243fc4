-- After a retried insert found its id taken: is that row this very decision (an earlier attempt that
-- committed before the connection dropped)?
SELECT ts = %(ts)s AND customer_id = %(customer_id)s AND message = %(message)s FROM audit WHERE id = %(id)s;
