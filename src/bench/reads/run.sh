#!/usr/bin/env bash
# Public reads from memory against reads from the database, in one run (docs/performance.md,
# "Reads from memory"):
#
#   src/bench/reads/run.sh        about 8 minutes (2 of them seeding); prints the measures, held or NOT held
#
# A private PostgreSQL with 1,000,000 items and 10,000,000 likes (src/bench/seed.sql), and the
# packaged service as the pod runs it, authentication on (writes carry a backend's token). Once with
# counts and ranking pages kept in memory off (LIKES_READ_CACHE_MAX_ITEMS=0, LIKES_READ_RANKINGS_REFRESH=0s),
# then on (the defaults), each for READS_SECONDS:
#   - feed reads, 50 ids each (wrk/batch_popular.lua: nine pages in ten of the 10,000 most read items),
#     alone at 64 connections, then at 16 connections while 64 connections like and unlike
#     (wrk/uniform.lua);
#   - ranking first pages (wrk/rankings_first.lua), the same way.
# Then, with memory on: the framework's floor (a static GET, wrk/static.lua), and each read's rate as
# a fraction of it; staleness across two replicas (Staleness.java: a like on one, its count read on
# the other, while 32 connections write); a read flood of 2,000 connections against one replica,
# polling readiness and liking once a second meanwhile.
#
# Environment (optional): BENCH_APP_JAR, READS_SECONDS (15), READS_DB_PORT / READS_HTTP_PORT (15451 /
# 18101; the second replica takes the next port), BENCH_KEEP=1. Needs root (PostgreSQL runs as postgres).
set -euo pipefail
cd "$(dirname "$0")/../../.."
S=${READS_SECONDS:-15}
DB_PORT=${READS_DB_PORT:-15451}
PORT_A=${READS_HTTP_PORT:-18101}
PORT_B=$(( PORT_A + 1 ))
url=http://127.0.0.1:$PORT_A
work=$(mktemp -d /tmp/likes-reads.XXXXXX)
# shellcheck source=deploy/private-postgres.sh
. deploy/private-postgres.sh
# shellcheck source=src/bench/lib/common.sh
. src/bench/lib/common.sh

bench_begin

javac -d "$work/classes" src/bench/reads/Staleness.java
private_postgres_start "$work" "$DB_PORT" -c max_connections=200 -c shared_buffers=256MB >/dev/null
sql() { "$PG_BIN/psql" -h 127.0.0.1 -p "$DB_PORT" -U likes -d likes -X -q -v ON_ERROR_STOP=1 "$@"; }

start_replica a "$PORT_A" "$DB_PORT"   # creates the schema
echo "== seeding 1,000,000 items with 10,000,000 likes"
sql -v items=1000000 -f src/bench/seed.sql
sql -c "VACUUM ANALYZE likes, like_counts, like_buckets"
TOKEN=$(deploy/dev-token.sh bench-backend likes:act-for-users)  # the writers' (reads carry none)

OFF=(LIKES_READ_CACHE_MAX_ITEMS=0 LIKES_READ_RANKINGS_REFRESH=0s)
for mode in off on; do
  stop_replica a
  if [ "$mode" = off ]; then start_replica a "$PORT_A" "$DB_PORT" "${OFF[@]}"; else start_replica a "$PORT_A" "$DB_PORT"; fi
  echo "== memory $mode"
  wrk_start "warm-$mode" 2 64 5 batch_popular "$url" && wrk_wait
  wrk_run "batch-$mode" 2 64 "$S" batch_popular "$url"
  wrk_run "rankings-$mode" 2 64 "$S" rankings_first "$url"
  for reads in batch rankings; do
    script=$([ "$reads" = batch ] && echo batch_popular || echo rankings_first)
    wrk_start "writes-$reads-$mode" 2 64 "$S" uniform "$url" TOKEN="$TOKEN"
    wrk_start "$reads-writes-$mode" 1 16 "$S" "$script" "$url"
    wrk_wait
    wrk_result "writes-$reads-$mode"
    wrk_result "$reads-writes-$mode"
  done
done
wrk_run floor 2 64 "$S" static "$url"

echo "== staleness across two replicas, while 32 connections write on the first"
start_replica b "$PORT_B" "$DB_PORT"
wrk_start staleness-writes 1 32 60 uniform "$url" TOKEN="$TOKEN"
java -cp "$work/classes" Staleness "$url" "http://127.0.0.1:$PORT_B" "$TOKEN" 200 | tee "$work/staleness.out"
kill "${bg_pids[@]}" 2>/dev/null || true
bg_pids=()
read -r stale_p50 stale_p99 stale_max stale_missed < <(awk '$1 == "bench-staleness" {
  for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } print v["p50_ms"], v["p99_ms"], v["max_ms"], v["missed"] }' "$work/staleness.out")

echo "== a read flood of 2,000 connections against one replica, readiness and a like once a second"
wrk_start flood 4 2000 "$S" batch_popular "$url"
ready_ok=0; ready_n=0; like_ok=0; like_n=0; ready_codes=""; like_codes=""
sleep 1  # the flood's connections are open
for n in $(seq 1 $(( S - 2 ))); do
  # Kubernetes' readiness probe waits a second by default (timeoutSeconds: 1); 000: no answer in 2 s.
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$(( PORT_A + 1000 ))/q/health/ready" || true)
  ready_n=$(( ready_n + 1 )); ready_codes="$ready_codes $code"; [ "$code" = 200 ] && ready_ok=$(( ready_ok + 1 ))
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X PUT -H "Authorization: Bearer $TOKEN" \
    "$url/v1/items/flooded/likes/flood-user-$n" || true)
  like_n=$(( like_n + 1 )); like_codes="$like_codes $code"; [ "$code" = 200 ] && like_ok=$(( like_ok + 1 ))
  sleep 1
done
echo "   readiness answered:$ready_codes"
echo "   likes answered:$like_codes"
wrk_wait
wrk_result flood
shed=$(curl -s "http://127.0.0.1:$(( PORT_A + 1000 ))/q/metrics" | awk '$1 == "likes_reads_shed_total" { printf "%.0f", $2 }')
hits=$(curl -s "http://127.0.0.1:$(( PORT_A + 1000 ))/q/metrics" | awk '$1 ~ /^likes_read_cache_hits_total\{of="counts"/ { printf "%.0f", $2 }')
misses=$(curl -s "http://127.0.0.1:$(( PORT_A + 1000 ))/q/metrics" | awk '$1 ~ /^likes_read_cache_misses_total\{of="counts"/ { printf "%.0f", $2 }')

x() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", a * 100 / b }'; }
held() { if awk "BEGIN { exit !($1) }"; then echo held; else echo "NOT held"; fi; }
echo
echo "reads from memory, $S s each (wrk; one replica, PostgreSQL and the load on the same 2 cores)"
printf "%-34s %10s %9s %10s %9s %7s\n" workload "off req/s" "p99 ms" "on req/s" "p99 ms" ratio
for k in batch batch-writes rankings rankings-writes; do
  printf "%-34s %10s %9s %10s %9s %6sx\n" "$k" "${RPS[$k-off]}" "${P99[$k-off]}" "${RPS[$k-on]}" "${P99[$k-on]}" "$(x "${RPS[$k-on]}" "${RPS[$k-off]}")"
done
echo "writes beside the reads (req/s, off/on): batch ${RPS[writes-batch-off]}/${RPS[writes-batch-on]}, rankings ${RPS[writes-rankings-off]}/${RPS[writes-rankings-on]}"
echo "floor (static GET /like-button.js): ${RPS[floor]} req/s; with memory on, feed reads $(pct "${RPS[batch-on]}" "${RPS[floor]}") of it, ranking pages $(pct "${RPS[rankings-on]}" "${RPS[floor]}")"
echo "counts in memory at the end: $hits hits, $misses misses"
echo "flood: ${RPS[flood]} req/s, non-2xx ${BAD[flood]} (shed $shed); readiness $ready_ok/$ready_n polls 200, likes $like_ok/$like_n 200"
echo
echo "targets:"
echo "  feed reads alone >= 5x from memory: $(x "${RPS[batch-on]}" "${RPS[batch-off]}")x  $(held "${RPS[batch-on]} >= 5 * ${RPS[batch-off]}")"
echo "  feed reads under writes >= 5x: $(x "${RPS[batch-writes-on]}" "${RPS[batch-writes-off]}")x  $(held "${RPS[batch-writes-on]} >= 5 * ${RPS[batch-writes-off]}"); p99 <= 20 ms: ${P99[batch-writes-on]}  $(held "${P99[batch-writes-on]} <= 20")"
echo "  ranking pages alone >= 5x: $(x "${RPS[rankings-on]}" "${RPS[rankings-off]}")x  $(held "${RPS[rankings-on]} >= 5 * ${RPS[rankings-off]}")"
echo "  ranking pages under writes >= 5x: $(x "${RPS[rankings-writes-on]}" "${RPS[rankings-writes-off]}")x  $(held "${RPS[rankings-writes-on]} >= 5 * ${RPS[rankings-writes-off]}"); p99 <= 20 ms: ${P99[rankings-writes-on]}  $(held "${P99[rankings-writes-on]} <= 20")"
echo "  staleness across replicas p99 <= 250 ms: $stale_p99  $(held "$stale_p99 >= 0 && $stale_p99 <= 250"); max <= 1 s: $stale_max  $(held "$stale_max >= 0 && $stale_max <= 1000 && $stale_missed == 0")"
echo "  read flood: readiness 200 at every poll: $ready_ok/$ready_n  $(held "$ready_ok == $ready_n"); likes 200: $like_ok/$like_n  $(held "$like_ok == $like_n")"
