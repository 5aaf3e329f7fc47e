-- pgbench on Citus (deploy/citus/drill.sh): like.sql with the toggle limits on, as the service sends a
-- batch of one click: its allowance taken first on its user's shard group (ShardGroupClicks.TAKE; 10
-- changes per item and 120 in all per minute, as production sets them), then the like. Against
-- like.sql alone, what the limits cost a click on the cluster.
\set item random(1, 100000)
\set user random(1, 1000000)
SELECT * FROM likes_limit_group(:user::varchar, ARRAY[:user]::varchar[], ARRAY[:item]::varchar[], now(), 10, 120);
SELECT * FROM likes_click_group(:item::varchar, true, ARRAY[:item]::varchar[], ARRAY[:user]::varchar[], now());
