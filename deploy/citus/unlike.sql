-- pgbench on Citus: an unlike of a random item by a random user (see like.sql).
\set item random(1, 100000)
\set user random(1, 1000000)
SELECT * FROM likes_click_group(:item::varchar, false, ARRAY[:item]::varchar[], ARRAY[:user]::varchar[], now());
