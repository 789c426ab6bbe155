-- An order id can be placed again after the inventory service forgot its first order, and its sequence
-- restarts at 1: keyed on (order_id, sequence) the second placement's rows replaced the first's. The
-- placement (the placing event's id, from the change id orderId/placement/sequence) joins the key.
-- Rows written before this read '': one placement per order id until then, as far as anyone can tell.
-- No DEFAULT clause: ClickHouse refuses to add a column with a default expression to the sorting key in
-- the same ALTER (BAD_ARGUMENTS, 26.x); a String column's implicit default is '' all the same.
ALTER TABLE order_status_changes
    ADD COLUMN placement String,
    MODIFY ORDER BY (order_id, sequence, placement);
