# shellcheck shell=bash
# Phase of src/bench/run.sh. The table. "vs pgbench" = the service's requests/s divided by pgbench's
# transactions/s for the same mix of clicks (one request is one click; pgbench sends each click as
# its own statement).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
cost() { awk -v on="$1" -v off="$2" 'BEGIN { printf "%.0f%%", (off - on) * 100 / off }'; }  # throughput lost with them on
best_hot=1
for c in 8 16 "$CONNS"; do [ "${RPS[pg-hot-$c]}" -gt "${RPS[pg-hot-$best_hot]}" ] && best_hot=$c; done
row() { # label key [vs pgbench]
  printf "%-44s %8s %9s %9s %11s  %s\n" "$1" "${RPS[$2]}" "${P50[$2]}" "${P99[$2]}" "${BAD[$2]}" "${3:-}"
}
echo
echo "machine: $machine"
echo "         $pg_version; $java_version"
echo "run:     $DURATION s per workload (pgbench hot $HOT_DURATION s per client count), service warm-up $WARMUP s,"
echo "         service pool ${LIKES_DB_POOL_SIZE:-8} connections, JVM options: $JAVA_OPTS"
echo
printf "%-44s %8s %9s %9s %11s  %s\n" workload req/s "p50 ms" "p99 ms" non-2xx "vs pgbench"
row "pgbench uniform like/unlike ($CONNS clients)" pg-uniform
row "service uniform like/unlike ($CONNS conns)" svc-uniform "$(ratio "${RPS[svc-uniform]}" "${RPS[pg-uniform]}")"
for c in 1 8 16 "$CONNS"; do row "pgbench hot item ($c client$([ "$c" = 1 ] || echo s))" "pg-hot-$c"; done
row "service hot item ($CONNS conns)" svc-hot \
  "$(ratio "${RPS[svc-hot]}" "${RPS[pg-hot-$CONNS]}") ($CONNS) / $(ratio "${RPS[svc-hot]}" "${RPS[pg-hot-$best_hot]}") (best: $best_hot)"
row "service uniform, a token per user ($CONNS conns)" svc-uniform-users \
  "$(ratio "${RPS[svc-uniform-users]}" "${RPS[pg-uniform]}"); costs $(cost "${RPS[svc-uniform-users]}" "${RPS[svc-uniform-noauth]}") vs no auth"
row "service uniform, authentication off ($CONNS conns)" svc-uniform-noauth \
  "backend token costs $(cost "${RPS[svc-uniform]}" "${RPS[svc-uniform-noauth]}")"
row "service hot item, authentication off ($CONNS conns)" svc-hot-noauth \
  "backend token costs $(cost "${RPS[svc-hot]}" "${RPS[svc-hot-noauth]}")"
row "service uniform, toggle limits off ($CONNS conns)" svc-uniform-nolimits \
  "limits cost $(cost "${RPS[svc-uniform]}" "${RPS[svc-uniform-nolimits]}")"
row "service hot item, toggle limits off ($CONNS conns)" svc-hot-nolimits \
  "limits cost $(cost "${RPS[svc-hot]}" "${RPS[svc-hot-nolimits]}")"
row "service uniform, events off (A; $CONNS conns)" svc-uniform-eventsoff
row "service uniform, events on (B; $CONNS conns)" svc-uniform-events \
  "outbox costs $(cost "${RPS[svc-uniform-events]}" "${RPS[svc-uniform-eventsoff]}")"
row "service hot item, events off (A; $CONNS conns)" svc-hot-eventsoff
row "service hot item, events on (B; $CONNS conns)" svc-hot-events \
  "outbox costs $(cost "${RPS[svc-hot-events]}" "${RPS[svc-hot-eventsoff]}"); $(ratio "${RPS[svc-hot-events]}" "${RPS[pg-hot-$CONNS]}") pgbench ($CONNS)"
row "service batch GET 50 ids (8 conns, alone)" svc-r-batch
row "service rankings pages (8 conns, alone)" svc-r-rank
row "service batch GET 50 ids (8 conns, + writes)" svc-rw-batch
row "service rankings pages (8 conns, + writes)" svc-rw-rank
row "service writes during reads ($CONNS conns)" svc-rw-write
row "standby: batch GET 50 ids (8 conns, alone)" svc-r-batch-sb "$(ratio "${RPS[svc-r-batch-sb]}" "${RPS[svc-r-batch]}") of primary"
row "standby: rankings pages (8 conns, alone)" svc-r-rank-sb "$(ratio "${RPS[svc-r-rank-sb]}" "${RPS[svc-r-rank]}") of primary"
row "standby: batch GET 50 ids (8 conns, + writes)" svc-rw-batch-sb "$(ratio "${RPS[svc-rw-batch-sb]}" "${RPS[svc-rw-batch]}") of primary"
row "standby: rankings pages (8 conns, + writes)" svc-rw-rank-sb "$(ratio "${RPS[svc-rw-rank-sb]}" "${RPS[svc-rw-rank]}") of primary"
row "standby: writes during reads ($CONNS conns)" svc-rw-write-sb
for window in all hour day week; do row "service rankings $window (4 conns, + 32 writers)" "svc-tw-$window"; done
row "service a user's likes (4 conns, + 32 writers)" svc-tw-user
row "service writes during window reads (32 conns)" svc-tw-write
row "service writes during lifecycle jobs (32 conns)" lc-write "target p99 <= 50 ms: $(awk -v p="${P99[lc-write]}" 'BEGIN { print (p <= 50 ? "held" : "NOT held") }')"
row "service who liked (4 conns, + 32 writers)" lc-likers "target p99 <= 20 ms: $(awk -v p="${P99[lc-likers]}" 'BEGIN { print (p <= 20 ? "held" : "NOT held") }')"
row "pgbench uniform, with the who-liked index" pg-uniform-index
row "pgbench uniform, without it" pg-uniform-noindex "index costs $(cost "${RPS[pg-uniform-index]}" "${RPS[pg-uniform-noindex]}")"
echo
echo "service peak RSS $peak_rss_mb MB (VmHWM $hwm_mb MB), start to ready $ready_s s; seed $seed_s s (+ VACUUM ANALYZE $vacuum_s s)"
echo "seeded: $seeded_likes likes on 1,000,000 items, $seeded_buckets buckets; items in the hour $hour_items, day $day_items, week $week_items"
echo "lifecycle: erased a user's 10,000 likes in $erase_s s, removed an item's 100,000 likes in $remove_s s, under 32 writers; who-liked index rebuilt in $index_s s"
echo "tokens: a token per user ($USERS_WITH_TOKENS users, $CLICKS_PER_TOKEN clicks each): verified in full $users_verified, reused $users_cached"
echo "JVM (first service, all main workloads): $gc_pauses GC pauses, longest $gc_max_ms ms; longest safepoint $sp_max_ms ms"
[ -z "$JAVA25" ] || echo "start to ready on $(basename "$(dirname "$(dirname "$JAVA25")")"): $ready25_s s without the AOT cache, with it:$aot_ready s"
echo "events: hot item $hot_events_changes likes acknowledged, relay published $published_during events in the same $DURATION s;" \
  "commit to consumer p50 $e2e_p50 ms, p99 $e2e_p99 ms ($consumed events, $consumed_dup duplicates);" \
  "relay round lag max since the service started $relay_lag_max s; oldest event in the outbox at most $outbox_age_max s; left at the end $outbox_left"
echo "standby: public reads answered by it $standby_reads, by the primary $primary_reads; its lag at the end $standby_lag s"
echo "exactness: $exact (counters differing from their rows: $wrong_counts, items with rows but no counter: $missing_counters;" \
  "window counts differing from their buckets: $wrong_windows, buckets differing from their rows: $wrong_buckets;" \
  "$hot_report)"
