-- pgbench on Citus (deploy/citus/drill.sh): like.sql with like events on, as the service sends it
-- then (ClickStatement.ON_SHARD_GROUP_RECORDED): the same like, and its event in the group's outbox
-- in the same transaction (V11__citus_events.sql). Against like.sql, what events cost a click on the
-- cluster (the relay's work, which a running service adds, is not in it: the outbox only grows).
\set item random(1, 100000)
\set user random(1, 1000000)
SELECT * FROM likes_click_recorded(:item::varchar, true, ARRAY[:item]::varchar[], ARRAY[:user]::varchar[], now());
