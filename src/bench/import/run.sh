#!/usr/bin/env bash
# The import and the hot ranking, measured (docs/performance.md, "Import and the hot ranking"):
#
#   src/bench/import/run.sh     about 8 minutes; prints the import rates, the hot ranking's page rates
#                               and what the hot score costs a click
#
# Against a private PostgreSQL (synchronous_commit on):
#   1. a CSV export of IMPORT_LIKES likes (1,000,000: 100,000 items, 200,000 users, times over the last
#      30 days), imported by deploy/import.sh into the empty database: its report, and likes per minute;
#   2. the database emptied, the benchmark's seed (src/bench/seed.sql, IMPORT_SEED_ITEMS items, about
#      10 likes each), then a second export of as many likes imported beside them: the rate into a full
#      database;
#   3. the packaged service on that data, ranking pages (wrk/rankings.lua, 20 items a page, 50 pages
#      deep) of window=hot against window=all and day, read from the database (the first pages' memory
#      off), for RANK_SECONDS each;
#   4. pgbench on the like statement (pgbench/like.sql) and the same without the hot score
#      (pgbench/without/like_without_hot.sql), 8 clients, PGBENCH_SECONDS each, 3 rounds, alternating
#      (the counters that statement creates have no hot score: this database is thrown away).
#
# Environment (optional): BENCH_APP_JAR, IMPORT_LIKES (1000000), IMPORT_SEED_ITEMS (1000000),
# RANK_SECONDS (15), PGBENCH_SECONDS (15), IMPORT_DB_PORT / IMPORT_HTTP_PORT (15471 / 18121),
# BENCH_KEEP=1. Needs root (PostgreSQL runs as postgres).
set -euo pipefail
cd "$(dirname "$0")/../../.."
LIKES=${IMPORT_LIKES:-1000000}
SEED_ITEMS=${IMPORT_SEED_ITEMS:-1000000}
RANK_S=${RANK_SECONDS:-15}
PG_S=${PGBENCH_SECONDS:-15}
DB_PORT=${IMPORT_DB_PORT:-15471}
PORT=${IMPORT_HTTP_PORT:-18121}
url=http://127.0.0.1:$PORT
work=$(mktemp -d /tmp/likes-import.XXXXXX)
chmod 755 "$work"
# shellcheck source=deploy/private-postgres.sh
. deploy/private-postgres.sh
# shellcheck source=src/bench/lib/common.sh
. src/bench/lib/common.sh

bench_begin
private_postgres_start "$work" "$DB_PORT" -c max_connections=100 -c shared_buffers=512MB -c max_wal_size=4GB >/dev/null
declare -A TPS
psql_() { "$PG_BIN/psql" -h 127.0.0.1 -p "$DB_PORT" -U likes -d likes -v ON_ERROR_STOP=1 -qAt "$@"; }

# export PREFIX FILE: a Django-style CSV export of LIKES distinct likes (src/bench/import/Export.java)
export_likes() { java src/bench/import/Export.java "$1" "$LIKES" "$2"; }

# import NAME FILE: runs the command, keeps its output, prints its report and sets RATE (likes per minute)
import_file() {
  local name=$1 file=$2 report
  LIKES_DB_HOST=127.0.0.1 LIKES_DB_PORT=$DB_PORT APP_JAR=$JAR deploy/import.sh --csv "$file" --name "$name" >"$work/import-$name.out" 2>&1 \
    || { echo "import $name failed:" >&2; tail -5 "$work/import-$name.out" >&2; exit 1; }
  report=$(grep -E '^import .*: read |^drift check:' "$work/import-$name.out")
  sed 's/^/   /' <<<"$report"
  local seconds loaded
  seconds=$(grep -oP '\) in \K[0-9.]+(?= s )' <<<"$report")
  loaded=$(grep -oP 'loaded \K[0-9,]+' <<<"$report" | tr -d ,)
  RATE=$(awk -v n="$loaded" -v s="$seconds" 'BEGIN { printf "%.0f", n / s * 60 }')
}

echo "== 1. import $LIKES likes into an empty database"
export_likes a "$work/a.csv"
import_file empty "$work/a.csv"
EMPTY_RATE=$RATE

echo "== 2. seed $SEED_ITEMS items, then import $LIKES more likes beside them"
psql_ -c "TRUNCATE likes, like_counts, like_buckets, like_imports, like_import_batches, like_import_items"
psql_ -v items="$SEED_ITEMS" -f src/bench/seed.sql
psql_ -c "VACUUM ANALYZE"
held=$(psql_ -c "SELECT count(*) FROM likes")
export_likes b "$work/b.csv"
import_file full "$work/b.csv"
FULL_RATE=$RATE

echo "== 3. ranking pages from the database, $RANK_S s each (2 threads, 16 connections)"
psql_ -c "VACUUM ANALYZE" -c "CHECKPOINT"
start_replica a "$PORT" "$DB_PORT" LIKES_AUTH_ENABLED=false LIKES_READ_RANKINGS_REFRESH=0s
wrk_start warm 2 16 5 rankings "$url" && wrk_wait
for window in all day hot; do
  wrk_run "rank-$window" 2 16 "$RANK_S" rankings "$url" WINDOW=$window
done
stop_replica a

echo "== 4. pgbench: the like statement with and without the hot score, 8 clients, ${PG_S} s each, 3 rounds"
psql_ -c "CHECKPOINT"
for round in 1 2 3; do
  for script in like without/like_without_hot; do
    key="$(basename "$script")-$round"
    "$PG_BIN/pgbench" -h 127.0.0.1 -p "$DB_PORT" -U likes -n -M prepared -c 8 -j 2 -T "$PG_S" \
      -f "src/bench/pgbench/$script.sql" likes >"$work/pgbench-$key.out" 2>&1 || { tail -5 "$work/pgbench-$key.out" >&2; exit 1; }
    TPS[$key]=$(awk '/^tps = / { printf "%.0f", $3 }' "$work/pgbench-$key.out")
    echo "   $key: ${TPS[$key]} tps"
  done
done

echo
echo "import into an empty database: $EMPTY_RATE likes/min (target >= 1,000,000: $( [ "$EMPTY_RATE" -ge 1000000 ] && echo held || echo NOT held))"
echo "import beside $held likes: $FULL_RATE likes/min"
echo "ranking pages from the database (req/s, p99 ms): all ${RPS[rank-all]} / ${P99[rank-all]}, day ${RPS[rank-day]} / ${P99[rank-day]}, hot ${RPS[rank-hot]} / ${P99[rank-hot]}"
awk -v a="${TPS[like-1]} ${TPS[like-2]} ${TPS[like-3]}" -v b="${TPS[like_without_hot-1]} ${TPS[like_without_hot-2]} ${TPS[like_without_hot-3]}" \
  'BEGIN { split(a, x); split(b, y); w = (x[1] + x[2] + x[3]) / 3; o = (y[1] + y[2] + y[3]) / 3
           printf "a like with the hot score: %d tps, without: %d tps (mean of 3 each): the hot score costs %.1f%% of the statement\n", w, o, (1 - w / o) * 100 }'
