-- pgbench on Citus (deploy/citus/drill.sh): a like of a random item "1".."100000" by a random user
-- "1".."1000000", as the service sends one shard group's clicks (ClickStatement.ON_SHARD_GROUP),
-- here a group of one click. With unlike.sql, the same 50/50 mix as src/bench/wrk/uniform.lua.
\set item random(1, 100000)
\set user random(1, 1000000)
SELECT * FROM likes_click_group(:item::varchar, true, ARRAY[:item]::varchar[], ARRAY[:user]::varchar[], now());
