# shellcheck shell=bash
# Phase of src/bench/run.sh. Lifecycle at scale (docs/lifecycle.md): a user with 10,000 likes is
# erased, then an item with 100,000 likes removed, while 32 connections write and 4 read who liked
# random items; each job is timed from its call to its "done". Their likes are seeded 10 days old
# (all-time counts only, no buckets), the user's over 10,000 seeded items. Then what the who-liked
# index costs the writes: pgbench's uniform mix with it and, right after, without it.
echo "== lifecycle: erase a user with 10,000 likes, then remove an item with 100,000 likes, under 32 writers, $LIFECYCLE_SECONDS s"
sql <<'SQL' || fail "seeding the lifecycle's user and item"
BEGIN;
INSERT INTO likes (item_id, user_id, created_at)
SELECT (i * 97 % 1000000 + 1)::text, 'erased-user', now() - interval '10 days' FROM generate_series(1, 10000) i;
UPDATE like_counts SET likes = likes + 1
WHERE item_id IN (SELECT (i * 97 % 1000000 + 1)::text FROM generate_series(1, 10000) i);
INSERT INTO likes (item_id, user_id, created_at)
SELECT 'removed-item', 'remover-' || i, now() - interval '10 days' FROM generate_series(1, 100000) i;
INSERT INTO like_counts (item_id, likes) VALUES ('removed-item', 100000);
COMMIT;
SQL
job_seconds() { # method path: a lifecycle call, then its job polled until done; prints the seconds it took
  local t0 id
  t0=$(now_ns)
  id=$(curl -sf -X "$1" -H "Authorization: Bearer $TOKEN" "$url$2" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
  [ -n "$id" ] || fail "no job from $1 $2"
  until curl -sf -H "Authorization: Bearer $TOKEN" "$url/v1/lifecycle/jobs/$id" | grep -q '"state":"done"'; do
    [ $(( $(now_ns) - t0 )) -lt $(( LIFECYCLE_SECONDS * 1000000000 )) ] || fail "job $1 $2 not done within $LIFECYCLE_SECONDS s"
    sleep 0.1
  done
  secs_since "$t0"
}
quiet_start
wrk_start lc-write 2 32 "$LIFECYCLE_SECONDS" uniform "$url"
wrk_start lc-likers 1 4 "$LIFECYCLE_SECONDS" likers "$url"
sleep 2
erase_s=$(job_seconds DELETE /v1/users/erased-user/likes)
remove_s=$(job_seconds DELETE /v1/items/removed-item)
wrk_wait || fail "wrk exited with an error"
wrk_result lc-write
wrk_result lc-likers
read -r erased_left removed_left < <(sql -At -F ' ' -c "
  SELECT (SELECT count(*) FROM likes WHERE user_id = 'erased-user'),
         (SELECT count(*) FROM likes WHERE item_id = 'removed-item') + (SELECT count(*) FROM like_counts WHERE item_id = 'removed-item')")
[ "$erased_left" = 0 ] && [ "$removed_left" = 0 ] || exact=FAIL
echo "   erased 10,000 likes in $erase_s s, removed 100,000 likes in $remove_s s (left: $erased_left likes of the user, $removed_left rows of the item)"
echo "== pgbench uniform like/unlike with and without the who-liked index, $CONNS clients, $DURATION s each"
pgbench_run pg-uniform-index "$CONNS" "$DURATION" -f "$BENCH/pgbench/like.sql@1" -f "$BENCH/pgbench/unlike.sql@1"
sql -c "DROP INDEX likes_by_item" || fail "dropping likes_by_item"
pgbench_run pg-uniform-noindex "$CONNS" "$DURATION" -f "$BENCH/pgbench/like.sql@1" -f "$BENCH/pgbench/unlike.sql@1"
t0=$(now_ns)
sql -c "CREATE INDEX likes_by_item ON likes (item_id, created_at DESC, user_id)" || fail "creating likes_by_item again"
index_s=$(secs_since "$t0")
