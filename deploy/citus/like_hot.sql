-- pgbench on Citus: likes of ONE hot item ("3000001"; the service's is "hot-citus") by random users
-- drawn from a billion, each as a call of its own, as the service sends one click alone.
\set user random(1, 1000000000)
SELECT * FROM likes_click_group('3000001', true, ARRAY['3000001']::varchar[], ARRAY[:user]::varchar[], now());
