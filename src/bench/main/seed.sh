# shellcheck shell=bash
# Phase of src/bench/run.sh. Seed: items "1".."1000000" get 1 to 19 likes each (10,000,000 rows, 10 on average) from
# distinct users "1".."1000000" (about 10 likes each), dated evenly over the last 8 days; then
# the trending-window buckets and every count, derived from the rows as the service's statements
# would have made them, so the data starts exact. The aging job moves the windows on from there;
# one transaction, so that it sees the buckets only together with their counts.
echo "== seeding 1,000,000 items with 10,000,000 likes over 8 days"
t0=$(now_ns)
sql -v items=1000000 -f "$BENCH/seed.sql" || fail "seed"
seed_s=$(secs_since "$t0")
t0=$(now_ns)
sql -c "VACUUM ANALYZE likes, like_counts, like_buckets" || fail "vacuum"
vacuum_s=$(secs_since "$t0")
read -r seeded_likes seeded_buckets hour_items day_items week_items < <(sql -At -F ' ' -c "
  SELECT (SELECT count(*) FROM likes), (SELECT count(*) FROM like_buckets),
         count(*) FILTER (WHERE likes_hour > 0), count(*) FILTER (WHERE likes_day > 0),
         count(*) FILTER (WHERE likes_week > 0) FROM like_counts")
echo "   seeded in $seed_s s, VACUUM ANALYZE $vacuum_s s: $seeded_likes likes, $seeded_buckets buckets;" \
  "items in the hour $hour_items, day $day_items, week $week_items"
