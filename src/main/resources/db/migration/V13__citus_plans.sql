-- The shard-group functions plan each statement for its own arguments (a custom plan) rather than
-- reusing one cached generic plan (docs/citus.md, "Memory"). On a Citus worker a cached plan of a
-- statement inside them grows with every execution (Citus 13.2: a worker backend reached 975 MB and
-- the kernel's OOM killer took it during the drill; the plan of the counter's upsert alone held
-- 104 MB after some 5,000 calls), and the coordinator keeps its connections to the workers, so those
-- backends live long. With custom plans the memory stays flat (45 to 48 MB over 20 s of calls, where
-- it had grown from 91 to 541 MB) and the calls ran faster, not slower (pgbench, 4 clients: 331 and
-- 374 tps against 264 and 313). A function's setting holds for everything it calls (likes_take,
-- likes_give, likes_record_events). On plain PostgreSQL these functions run only in the tests.
ALTER FUNCTION likes_click_group(varchar, boolean, varchar[], varchar[], timestamptz) SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION likes_click_recorded(varchar, boolean, varchar[], varchar[], timestamptz) SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION likes_age_group(varchar, varchar[], smallint, timestamptz) SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION likes_hot_rebase_group(varchar, varchar[], bigint, integer) SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION likes_lifecycle_group(varchar, text, varchar, varchar[], integer, timestamptz, boolean) SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION likes_limit_group(varchar, varchar[], varchar[], timestamptz, integer, integer) SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION likes_limit_refund(varchar, varchar[], varchar[], timestamptz) SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION likes_import_group(varchar, varchar[], varchar[], timestamptz[], timestamptz) SET plan_cache_mode = force_custom_plan;
