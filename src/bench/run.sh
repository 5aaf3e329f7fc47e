#!/usr/bin/env bash
# Benchmarks the likes service over HTTP (wrk) against the same SQL sent straight to PostgreSQL
# (pgbench), on one machine, and checks afterwards that no like was lost or counted twice.
#
#   src/bench/run.sh                 prints one table at the end
#
# Steps: a private PostgreSQL (fresh, thrown away on exit) -> the service started against it
# (time from launch to ready) -> 1,000,000 items with 10,000,000 likes seeded over 8 days ->
# EXPLAIN ANALYZE of the read statements -> pgbench: uniform like/unlike mix at 64 clients and
# likes of one hot item at 1/8/16/64 clients -> wrk on the service: batch reads + ranking pages
# alone, the same uniform mix, one hot item, the reads again while the uniform mix runs at 64
# connections, then ranking pages of every window and users' likes pages while it runs at 32 ->
# exactness check (counts, window counts, buckets) -> the service again with the toggle limits off
# (uniform and hot item: what the limits cost) -> a streaming standby (pg_basebackup) and the
# service reading from it (reads alone and under writes: reads/s with and without the standby) ->
# a Kafka broker and the same writes with like events off, then on (what the outbox costs, the
# relay's pace and lag, latency to a consumer) -> the exactness check again.
# The service's peak RSS is sampled every second while wrk runs.
#
# Environment (all optional):
#   BENCH_APP_JAR     the service jar (default target/quarkus-app/quarkus-run.jar, built with
#                     ./mvnw -q package -DskipTests when missing)
#   BENCH_DURATION    seconds per workload (default 20; pgbench hot runs half of it per client count)
#   BENCH_WARMUP      seconds of unmeasured load on the service before the first measurement (10)
#   BENCH_JAVA_OPTS   JVM options for the service (default: as in the container with the
#                     Kubernetes memory limit, 512 MiB: -XX:MaxRAM=512m -XX:MaxRAMPercentage=50
#                     -XX:+UseSerialGC, and MALLOC_ARENA_MAX=2); GC pauses and safepoints are
#                     logged to the work directory
#   BENCH_JAVA25      a JDK 25+ for the AOT cache start (default: the newest under /usr/lib/jvm
#                     whose java says 25 or newer; none: that step is skipped)
#   BENCH_DB_PORT / BENCH_HTTP_PORT / BENCH_KAFKA_PORT   private ports (15433 / 18081 / 19092;
#                     the broker's controller takes the next one)
#   BENCH_KEEP=1      keep the work directory (logs, wrk and pgbench output) instead of deleting it
#   BENCH_SOAK=600    soak instead: that many seconds of mixed load (writes, a hot item, reads) in
#                     60 s rounds, printing RSS, throughput and errors per round, then the exactness
#                     check; no pgbench, no table
#
# Needs root (PostgreSQL runs as the postgres user via runuser) and apt when wrk or PostgreSQL is
# missing. Exits non-zero when the exactness check fails. Ids are numeric strings on both sides:
# items "1".."1000000" are seeded, uniform writes go to "1".."100000" with users "1".."1000000",
# pgbench's hot item is "2000001", wrk's "2000002" (and 2000003 to 2000006 for the later A/B runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH=$PWD/src/bench

DURATION=${BENCH_DURATION:-20}
SOAK=${BENCH_SOAK:-}
HOT_DURATION=$(( DURATION >= 2 ? DURATION / 2 : 1 ))
LIFECYCLE_SECONDS=${BENCH_LIFECYCLE_SECONDS:-40}
WARMUP=${BENCH_WARMUP:-10}
DB_PORT=${BENCH_DB_PORT:-15433}
HTTP_PORT=${BENCH_HTTP_PORT:-18081}
MGMT_PORT=$(( HTTP_PORT + 1000 ))  # the service's health and metrics (its management interface)
JAR=${BENCH_APP_JAR:-target/quarkus-app/quarkus-run.jar}
CONNS=64             # clients (pgbench) and connections (wrk) of the main workloads
HOT_PGBENCH=2000001  # must match pgbench/like_hot.sql
HOT_WRK=2000002      # wrk/hot.lua's default
HOT_WRK_NO_LIMITS=2000003
HOT_WRK_NO_AUTH=2000004
HOT_WRK_EVENTS_OFF=2000005
HOT_WRK_EVENTS=2000006
KAFKA_PORT=${BENCH_KAFKA_PORT:-19092}
USERS_WITH_TOKENS=20000
CLICKS_PER_TOKEN=4
STANDBY_PORT=$(( DB_PORT + 1 ))
url=http://127.0.0.1:$HTTP_PORT
mgmt=http://127.0.0.1:$MGMT_PORT

work=$(mktemp -d /tmp/likes-bench.XXXXXX)
# shellcheck source=deploy/private-postgres.sh
. deploy/private-postgres.sh
PG_BIN=""
svc_pid=""
sampler_pid=""
kafka_pid=""
latency_pid=""
age_pid=""
bg_pids=()

fail() {
  echo "FAIL: $*" >&2
  [ -f "$work/service.log" ] && { echo "-- service log (tail):" >&2; tail -15 "$work/service.log" >&2; }
  [ -f "$work/pg.log" ] && { echo "-- PostgreSQL log (tail):" >&2; tail -15 "$work/pg.log" >&2; }
  exit 1
}

cleanup() {
  set +e
  for pid in "${bg_pids[@]}" $sampler_pid $kafka_pid $latency_pid $age_pid; do kill "$pid" 2>/dev/null; done
  if [ -n "$svc_pid" ] && kill -0 "$svc_pid" 2>/dev/null; then
    kill "$svc_pid"
    for _ in $(seq 100); do kill -0 "$svc_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$svc_pid" 2>/dev/null
  fi
  [ -n "$PG_BIN" ] && [ -f "$work/standby/postmaster.pid" ] \
    && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/standby" -m immediate stop >/dev/null 2>&1
  private_postgres_stop "$work"
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ns() { date +%s%N; }
secs_since() { awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------------------------------------
# Tools, jar, machine
# ---------------------------------------------------------------------------------------------
missing=""
command -v wrk >/dev/null || missing="$missing wrk"
command -v curl >/dev/null || missing="$missing curl"
private_postgres_bin 2>/dev/null || missing="$missing postgresql-$PG_MAJOR"
if [ -n "$missing" ]; then
  echo "== installing$missing"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null \
    || fail "could not install$missing"
fi
private_postgres_bin || fail "no PostgreSQL $PG_MAJOR"

if [ -z "${BENCH_APP_JAR:-}" ] && [ ! -f "$JAR" ]; then
  echo "== building the service"
  ./mvnw -q package -DskipTests || fail "build"
fi
[ -f "$JAR" ] || fail "no service jar at $JAR"
for port in "$DB_PORT" "$HTTP_PORT" "$MGMT_PORT" "$KAFKA_PORT" $(( KAFKA_PORT + 1 )) 18089 19089; do  # the last two: deploy/aot/cache.sh
  ! port_busy "$port" || fail "port $port is already in use (set BENCH_DB_PORT / BENCH_HTTP_PORT)"
done

# Browsers' tokens: one per user for the per-user workload (wrk/uniform_users.lua).
USER_TOKENS=$work/user-tokens
echo "== minting $USERS_WITH_TOKENS user tokens"
java "$BENCH/tokens/MintUserTokens.java" "$USERS_WITH_TOKENS" >"$USER_TOKENS" || fail "minting the user tokens"
export USER_TOKENS CLICKS_PER_TOKEN THREADS=2

# A JDK 25 or newer for the AOT cache (JEP 483, 514: -XX:AOTCacheOutput); the packaging (aot-jar)
# puts every class on the class path, where the cache can hold it. The newest version wins.
JAVA25=${BENCH_JAVA25:-}
if [ -z "$JAVA25" ]; then
  best=0
  for candidate in /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    v=$("$candidate" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ { print $2 }')
    v=${v%%.*}
    if [ "${v:-0}" -ge 25 ] 2>/dev/null && [ "$v" -gt "$best" ]; then best=$v; JAVA25=$candidate; fi
  done
fi

machine="$(nproc) cores, $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
pg_version=$("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL) /PostgreSQL /')
java_version=$(java -version 2>&1 | head -1)

# ---------------------------------------------------------------------------------------------
# Private PostgreSQL. Debian's binaries refuse to run as root, hence runuser. synchronous_commit
# stays on (every acknowledged like is on disk). A large max_wal_size plus quiet_start (below)
# keeps checkpoints out of the runs, so pgbench and the service see the same.
# ---------------------------------------------------------------------------------------------
echo "== starting PostgreSQL ($pg_version) on port $DB_PORT"
private_postgres_start "$work" "$DB_PORT" -c shared_buffers=512MB -c max_connections=200 -c max_wal_size=4GB \
  || fail "starting PostgreSQL"

sql() { "$PG_BIN/psql" -h 127.0.0.1 -p "$DB_PORT" -U likes -d likes -X -q -v ON_ERROR_STOP=1 "$@"; }

# ---------------------------------------------------------------------------------------------
# The service, with authentication on as in production: it trusts the dev key, and wrk's writes
# and users' likes reads carry a token of a backend in likes:act-for-users (wrk/report.lua).
# Ready = /q/health/ready answers 200, polled every 50 ms from launch; by then Flyway has created
# the schema.
# ---------------------------------------------------------------------------------------------
JAVA_OPTS=${BENCH_JAVA_OPTS:--XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC}
JAVA=java
starts=0
start_service() { # [VARIABLE=value...]: the service with these settings on top; waits until ready
  t0=$(now_ns)
  starts=$(( starts + 1 ))
  # shellcheck disable=SC2086  # JAVA_OPTS and JAVA_EXTRA are lists of options
  env LIKES_DB_HOST=127.0.0.1 LIKES_DB_PORT="$DB_PORT" LIKES_HTTP_PORT="$HTTP_PORT" QUARKUS_HTTP_HOST=127.0.0.1 LIKES_SHUTDOWN_DELAY=0s \
    QUARKUS_MANAGEMENT_PORT="$MGMT_PORT" QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
    LIKES_JWT_PUBLIC_KEY_LOCATION="$PWD/deploy/dev-keys/public.pem" LIKES_JWT_ISSUER=likes-dev \
    LIKES_AUTH_INSECURE_TRUST_PUBLISHED_DEV_KEY=true MALLOC_ARENA_MAX=2 "$@" \
    $JAVA $JAVA_OPTS ${JAVA_EXTRA:-} -Xlog:gc,safepoint:file="$work/jvm-$starts.log":uptime,level,tags:filecount=0 -jar "$JAR" >>"$work/service.log" 2>&1 &
  svc_pid=$!
  until curl -sf -o /dev/null --max-time 1 "$mgmt/q/health/ready"; do
    kill -0 "$svc_pid" 2>/dev/null || fail "the service exited during start"
    [ $(( $(now_ns) - t0 )) -lt 60000000000 ] || fail "the service was not ready within 60 s"
    sleep 0.05
  done
}
stop_service() {
  kill "$svc_pid"
  for _ in $(seq 100); do kill -0 "$svc_pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$svc_pid" 2>/dev/null || true
  wait "$svc_pid" 2>/dev/null || true
}

echo "== starting the service ($JAR) on port $HTTP_PORT"
start_service
ready_s=$(secs_since "$t0")
TOKEN=$(deploy/dev-token.sh bench-backend likes:act-for-users) || fail "minting the backend's token"
export TOKEN
echo "   ready after $ready_s s"

# ---------------------------------------------------------------------------------------------
# Seed: items "1".."1000000" get 1 to 19 likes each (10,000,000 rows, 10 on average) from
# distinct users "1".."1000000" (about 10 likes each), dated evenly over the last 8 days; then
# the trending-window buckets and every count, derived from the rows as the service's statements
# would have made them, so the data starts exact. The aging job moves the windows on from there;
# one transaction, so that it sees the buckets only together with their counts.
# ---------------------------------------------------------------------------------------------
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

# ---------------------------------------------------------------------------------------------
# The plans of the service's read statements (explain.sql) on the seeded data, as the pool runs
# them once prepared (generic plans): a first page and a page deep in each ranking, a user's likes,
# an item's likers.
# No statement may scan a whole table.
# ---------------------------------------------------------------------------------------------
echo "== plans of the read statements (EXPLAIN ANALYZE, generic plans)"
explain() { # name args
  sql -c "SET plan_cache_mode = force_generic_plan" -f "$BENCH/explain.sql" \
    -c "EXPLAIN (ANALYZE, COSTS OFF) EXECUTE $1($2)" >"$work/plan-$1-$3.txt" || fail "EXPLAIN $1"
  ! grep -q "Seq Scan on \(like_counts\|likes\|like_buckets\)" "$work/plan-$1-$3.txt" \
    || fail "$1 scans a table: $(cat "$work/plan-$1-$3.txt")"
  printf "   %-13s %-6s %-48s %s\n" "$1" "$3" \
    "$(grep -o '\(Index Only Scan\|Index Scan\) using [a-z_]*' "$work/plan-$1-$3.txt" | head -1)" \
    "$(grep -o 'Execution Time: .*' "$work/plan-$1-$3.txt")"
}
for window in all hour day week; do
  explain "ranking_$window" "-9223372036854775807, '', 21" first
  explain "ranking_$window" "-2, '500000', 21" deep
done
explain user_likes "'4242', '9999-01-01', '', 21" first
explain likers "'42', '9999-01-01', '', 21" first

# Results by workload key: requests/s, p50 and p99 in ms, non-2xx (or failed transactions).
declare -A RPS P50 P99 BAD

# ---------------------------------------------------------------------------------------------
# pgbench: the service's statements (pgbench/*.sql), prepared, one per transaction. p50/p99 come
# from the per-transaction log (-l: latency in µs is the 3rd field; failures have no number).
# ---------------------------------------------------------------------------------------------
# Before every measured run, on both sides: vacuum what the last run left behind and checkpoint,
# so that no run pays for its predecessor's autovacuum or checkpoint.
quiet_start() { sql -c "VACUUM ANALYZE likes, like_counts, like_buckets" -c CHECKPOINT; }

pgbench_run() { # key clients seconds script...
  local key=$1 clients=$2 secs=$3
  shift 3
  quiet_start
  "$PG_BIN/pgbench" -h 127.0.0.1 -p "$DB_PORT" -U likes -n -M prepared \
    -c "$clients" -j $(( clients < 2 ? 1 : 2 )) -T "$secs" -l --log-prefix="$work/txlog-$key" \
    "$@" likes >"$work/pgbench-$key.out" 2>&1 || fail "pgbench $key: $(tail -5 "$work/pgbench-$key.out")"
  RPS[$key]=$(awk '/^tps = / { printf "%.0f", $3 }' "$work/pgbench-$key.out")
  BAD[$key]=$(awk '/^number of failed transactions:/ { print $5 }' "$work/pgbench-$key.out")
  read -r "P50[$key]" "P99[$key]" < <(cat "$work/txlog-$key".* | awk '$3 ~ /^[0-9]+$/ { print $3 }' | sort -n \
    | awk '{ v[NR] = $1 } END { i = int(NR * 0.50); j = int(NR * 0.99); if (i < NR * 0.50) i++; if (j < NR * 0.99) j++;
                                printf "%.2f %.2f\n", v[i] / 1000, v[j] / 1000 }')
  rm -f "$work/txlog-$key".*
  printf "   %-22s %8s tps  p50 %s ms  p99 %s ms\n" "$key" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}"
}

if [ -z "$SOAK" ]; then
  echo "== pgbench uniform like/unlike, $CONNS clients, $DURATION s"
  pgbench_run pg-uniform "$CONNS" "$DURATION" -f "$BENCH/pgbench/like.sql@1" -f "$BENCH/pgbench/unlike.sql@1"
  echo "== pgbench hot item, 1/8/16/$CONNS clients, $HOT_DURATION s each"
  for c in 1 8 16 "$CONNS"; do
    pgbench_run "pg-hot-$c" "$c" "$HOT_DURATION" -f "$BENCH/pgbench/like_hot.sql"
  done
fi

# ---------------------------------------------------------------------------------------------
# wrk on the service. Each script's done() prints one "bench key=value..." line (wrk/report.lua).
# wrk runs from src/bench/wrk so that the scripts find report.lua. A 10 s timeout keeps slow
# answers counted as latency rather than as socket errors.
# ---------------------------------------------------------------------------------------------
wrk_start() { # key threads connections seconds script [window]; runs in the background, pid in bg_pids
  (cd "$BENCH/wrk" && WINDOW=${6:-all} exec wrk -t "$2" -c "$3" -d "$4s" --timeout 10s --latency -s "$5.lua" "$url") \
    >"$work/wrk-$1.out" 2>&1 &
  bg_pids+=($!)
}
wrk_wait() { # waits for every wrk started so far
  for pid in "${bg_pids[@]}"; do wait "$pid" || fail "wrk exited with an error"; done
  bg_pids=()
}
field() { # key name: a value from the "bench k=v ..." line of that wrk run
  awk -v k="$2" '$1 == "bench" { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$work/wrk-$1.out"
}
wrk_result() { # key
  local key=$1 requests duration sock
  requests=$(field "$key" requests)
  [ -n "$requests" ] || fail "no result from wrk $key: $(tail -5 "$work/wrk-$key.out")"
  duration=$(field "$key" duration_us)
  sock=$(field "$key" sockerr)
  RPS[$key]=$(awk -v n="$requests" -v d="$duration" 'BEGIN { printf "%.0f", n / (d / 1e6) }')
  P50[$key]=$(awk -v v="$(field "$key" p50_us)" 'BEGIN { printf "%.2f", v / 1000 }')
  P99[$key]=$(awk -v v="$(field "$key" p99_us)" 'BEGIN { printf "%.2f", v / 1000 }')
  BAD[$key]=$(field "$key" non2xx)
  [ "$sock" = 0 ] || BAD[$key]="${BAD[$key]} +${sock}sock"
  printf "   %-22s %8s req/s  p50 %s ms  p99 %s ms  non-2xx %s\n" "$key" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "${BAD[$key]}"
}

# ---------------------------------------------------------------------------------------------
# Soak (BENCH_SOAK): all workloads at once, round after round. Flat RSS and no errors are the
# point, not speed. Hot-item users repeat from round to round (each wrk starts its counter anew),
# so only the global check applies: every counter equals its rows.
# ---------------------------------------------------------------------------------------------
soak() {
  local rounds=$(( (SOAK + 59) / 60 )) round key errors=0 wrong missing
  echo "== soak: $rounds rounds of 60 s: 32 uniform + 16 hot-item + 8 batch GET + 8 rankings connections"
  printf "%-6s %7s %9s %9s %9s %9s %8s %9s\n" round "RSS MB" writes/s hot/s batch/s ranks/s non-2xx "p99 max"
  for round in $(seq 1 "$rounds"); do
    wrk_start soak-write 1 32 60 uniform
    wrk_start soak-hot 1 16 60 hot
    wrk_start soak-batch 1 8 60 batch
    wrk_start soak-rank 1 8 60 rankings
    wrk_wait
    local bad=0 p99=0
    for key in soak-write soak-hot soak-batch soak-rank; do
      wrk_result "$key" >/dev/null
      bad=$(( bad + $(field "$key" non2xx) + $(field "$key" sockerr) ))
      p99=$(awk -v a="$p99" -v b="${P99[$key]}" 'BEGIN { print (b > a ? b : a) }')
    done
    errors=$(( errors + bad ))
    printf "%-6s %7s %9s %9s %9s %9s %8s %9s\n" "$round" \
      "$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$svc_pid/status")" \
      "${RPS[soak-write]}" "${RPS[soak-hot]}" "${RPS[soak-batch]}" "${RPS[soak-rank]}" "$bad" "$p99"
  done
  read -r wrong missing < <(sql -At -F ' ' <<SQL
SELECT (SELECT count(*) FROM like_counts c
        LEFT JOIN (SELECT item_id, count(*) AS n FROM likes GROUP BY item_id) r USING (item_id)
        WHERE c.likes <> coalesce(r.n, 0)),
       (SELECT count(*) FROM (SELECT DISTINCT item_id FROM likes) r
        WHERE NOT EXISTS (SELECT 1 FROM like_counts c WHERE c.item_id = r.item_id));
SQL
)
  echo "soak: $rounds min, errors $errors, peak RSS $(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$svc_pid/status") MB;" \
    "counters differing from their rows: $wrong, items with rows but no counter: $missing"
  [ "$errors" = 0 ] && [ "$wrong" = 0 ] && [ "$missing" = 0 ]
}

if [ -n "$SOAK" ]; then
  soak
  exit
fi

# RSS of the service, once a second for as long as wrk runs; VmHWM (the kernel's peak) at the end.
( while kill -0 "$svc_pid" 2>/dev/null; do
    awk '/^VmRSS:/ { print $2 }' "/proc/$svc_pid/status" 2>/dev/null || true
    sleep 1
  done ) >"$work/rss-kb" &
sampler_pid=$!

# JIT compilation and pool warm-up, all three paths at once (unmeasured; the hot item is untouched).
echo "== warming the service up, $WARMUP s"
wrk_start warm-write 1 32 "$WARMUP" uniform
wrk_start warm-batch 1 8 "$WARMUP" batch
wrk_start warm-rank 1 8 "$WARMUP" rankings
wrk_wait

echo "== service reads alone: 8 batch GET + 8 rankings connections, $HOT_DURATION s"
quiet_start
wrk_start svc-r-batch 1 8 "$HOT_DURATION" batch
wrk_start svc-r-rank 1 8 "$HOT_DURATION" rankings
wrk_wait
for key in svc-r-batch svc-r-rank; do wrk_result "$key"; done

echo "== service uniform like/unlike, $CONNS connections, $DURATION s"
quiet_start
wrk_start svc-uniform 2 "$CONNS" "$DURATION" uniform
wrk_wait
wrk_result svc-uniform

echo "== service uniform like/unlike, a token per user ($CLICKS_PER_TOKEN clicks each), $CONNS connections, $DURATION s"
tokens_metric() { curl -s "$mgmt/q/metrics" | awk -v o="$1" '$1 == "likes_auth_tokens_total{outcome=\"" o "\"}" { printf "%.0f", $2 }'; }
verified_before=$(tokens_metric verified)
cached_before=$(tokens_metric cached)
quiet_start
wrk_start svc-uniform-users 2 "$CONNS" "$DURATION" uniform_users
wrk_wait
wrk_result svc-uniform-users
users_verified=$(( $(tokens_metric verified) - verified_before ))
users_cached=$(( $(tokens_metric cached) - cached_before ))
echo "   tokens verified in full $users_verified, reused from the cache $users_cached"

echo "== service hot item, $CONNS connections, $DURATION s"
quiet_start
wrk_start svc-hot 2 "$CONNS" "$DURATION" hot
wrk_wait
wrk_result svc-hot

echo "== service reads under writes: $CONNS writing + 8 batch GET + 8 rankings connections, $DURATION s"
quiet_start
wrk_start svc-rw-write 2 "$CONNS" "$DURATION" uniform
wrk_start svc-rw-batch 1 8 "$DURATION" batch
wrk_start svc-rw-rank 1 8 "$DURATION" rankings
wrk_wait
for key in svc-rw-batch svc-rw-rank svc-rw-write; do wrk_result "$key"; done

echo "== rankings of every window and users' likes under writes: 32 writing + 4 connections each, $DURATION s"
quiet_start
wrk_start svc-tw-write 2 32 "$DURATION" uniform
for window in all hour day week; do wrk_start "svc-tw-$window" 1 4 "$DURATION" rankings "$window"; done
wrk_start svc-tw-user 1 4 "$DURATION" userlikes
wrk_wait
for key in svc-tw-all svc-tw-hour svc-tw-day svc-tw-week svc-tw-user svc-tw-write; do wrk_result "$key"; done

kill "$sampler_pid" 2>/dev/null || true
peak_rss_mb=$(sort -n "$work/rss-kb" | tail -1 | awk '{ printf "%.0f", $1 / 1024 }')
hwm_mb=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$svc_pid/status")

# ---------------------------------------------------------------------------------------------
# Exactness. (a) every counter equals its item's rows and no item has rows without a counter;
# (w) every window count equals the buckets that window counts, and every bucket its minute's rows
# (these hold in any snapshot, even while the aging job is half-way through a pass); (b) each of
# wrk's hot items: counter = rows, and acknowledged <= counter <= acknowledged + slack, where
# slack = connections (requests in flight when wrk stopped may land without an answer) + broken
# reads/writes (a request lost with its connection may have landed too).
# ---------------------------------------------------------------------------------------------
check_counts() { # sets wrong_counts missing_counters wrong_windows wrong_buckets
  read -r wrong_counts missing_counters wrong_windows wrong_buckets < <(sql -At -F ' ' <<SQL
SELECT (SELECT count(*) FROM like_counts c
        LEFT JOIN (SELECT item_id, count(*) AS n FROM likes GROUP BY item_id) r USING (item_id)
        WHERE c.likes <> coalesce(r.n, 0)),
       (SELECT count(*) FROM (SELECT DISTINCT item_id FROM likes) r
        WHERE NOT EXISTS (SELECT 1 FROM like_counts c WHERE c.item_id = r.item_id)),
       (SELECT count(*) FROM like_counts c
        LEFT JOIN (SELECT item_id, sum(likes) FILTER (WHERE counted_in = 3) AS hour,
                          sum(likes) FILTER (WHERE counted_in >= 2) AS day, sum(likes) AS week
                   FROM like_buckets GROUP BY item_id) b USING (item_id)
        WHERE (c.likes_hour, c.likes_day, c.likes_week) <> (coalesce(b.hour, 0), coalesce(b.day, 0), coalesce(b.week, 0))),
       (SELECT count(*) FROM like_buckets b
        LEFT JOIN (SELECT item_id, date_trunc('minute', created_at) AS minute, count(*) AS n
                   FROM likes GROUP BY 1, 2) r USING (item_id, minute)
        WHERE b.likes <> coalesce(r.n, 0));
SQL
)
  [ "$wrong_counts" = 0 ] && [ "$missing_counters" = 0 ] && [ "$wrong_windows" = 0 ] && [ "$wrong_buckets" = 0 ]
}
check_hot() { # wrk key, item: sets hot_counter hot_rows hot_acked hot_slack
  read -r hot_counter hot_rows < <(sql -At -F ' ' -c "
    SELECT (SELECT coalesce(max(likes), 0) FROM like_counts WHERE item_id = '$2'),
           (SELECT count(*) FROM likes WHERE item_id = '$2')")
  hot_acked=$(( $(field "$1" requests) - $(field "$1" non2xx) ))
  hot_slack=$(( CONNS + $(field "$1" read_write_err) ))
  [ "$hot_counter" = "$hot_rows" ] && [ "$hot_counter" -ge "$hot_acked" ] && [ "$hot_counter" -le $(( hot_acked + hot_slack )) ]
}
echo "== checking counts"
exact=PASS
check_counts || exact=FAIL
check_hot svc-hot "$HOT_WRK" || exact=FAIL
hot_report="hot item $HOT_WRK: counter $hot_counter, rows $hot_rows, 2xx PUTs $hot_acked, allowed $hot_acked..$(( hot_acked + hot_slack ))"

# ---------------------------------------------------------------------------------------------
# Lifecycle at scale (docs/lifecycle.md): a user with 10,000 likes is erased, then an item with
# 100,000 likes removed, while 32 connections write and 4 read who liked random items; each job is
# timed from its call to its "done". Their likes are seeded 10 days old (all-time counts only, no
# buckets), the user's over 10,000 seeded items. Then what the who-liked index costs the writes:
# pgbench's uniform mix with it and, right after, without it.
# ---------------------------------------------------------------------------------------------
if [ -z "$SOAK" ]; then
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
  wrk_start lc-write 2 32 "$LIFECYCLE_SECONDS" uniform
  wrk_start lc-likers 1 4 "$LIFECYCLE_SECONDS" likers
  sleep 2
  erase_s=$(job_seconds DELETE /v1/users/erased-user/likes)
  remove_s=$(job_seconds DELETE /v1/items/removed-item)
  wrk_wait
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
fi

# ---------------------------------------------------------------------------------------------
# What the toggle limits cost: the same writes with the limits off (a fresh service; its own hot
# item, so that every like is new there too).
# ---------------------------------------------------------------------------------------------
again_with() { # name hot-item label VARIABLE=value...: a fresh service so set, warmed; its uniform and hot item runs
  # (the functions named by before_hot and after_hot, when set, run around the hot item's)
  local name=$1 hot=$2 label=$3
  shift 3
  echo "== the service again with $label: uniform and hot item, $CONNS connections, $DURATION s each"
  stop_service
  start_service "$@"
  wrk_start "warm-$name" 1 32 "$WARMUP" uniform
  wrk_wait
  quiet_start
  wrk_start "svc-uniform-$name" 2 "$CONNS" "$DURATION" uniform
  wrk_wait
  wrk_result "svc-uniform-$name"
  quiet_start
  export HOT_ITEM=$hot
  [ -z "${before_hot:-}" ] || "$before_hot"
  wrk_start "svc-hot-$name" 2 "$CONNS" "$DURATION" hot
  wrk_wait
  [ -z "${after_hot:-}" ] || "$after_hot"
  unset HOT_ITEM
  wrk_result "svc-hot-$name"
  check_hot "svc-hot-$name" "$hot" || exact=FAIL
  hot_report="$hot_report; hot item $hot ($label): counter $hot_counter, rows $hot_rows, 2xx PUTs $hot_acked"
}
again_with nolimits "$HOT_WRK_NO_LIMITS" "the toggle limits off" LIKES_LIMIT_CHANGES_PER_ITEM=0 LIKES_LIMIT_CHANGES_PER_USER=0

# ---------------------------------------------------------------------------------------------
# What authentication costs: the same writes with it off (every request's backend token ignored),
# against the authenticated runs above.
# ---------------------------------------------------------------------------------------------
again_with noauth "$HOT_WRK_NO_AUTH" "authentication off" LIKES_AUTH_ENABLED=false

# ---------------------------------------------------------------------------------------------
# Like events (docs/events.md): a real Kafka broker (src/test/kafka/broker.sh), then the same writes
# with events off and on, back to back (each a fresh, warmed service with its own hot item), so that
# the outbox's cost is not mixed up with run-order effects. Around the hot item's run with events
# on, a consumer (events/EventLatency.java) times each event from its commit to its arrival (its
# slowest bounds how far the relay fell behind), and the outbox's oldest event is sampled twice a
# second; the relay's longest round lag (its timer's max) covers the service's whole life.
# ---------------------------------------------------------------------------------------------
echo "== a Kafka broker on port $KAFKA_PORT (KRaft, one node, src/test/kafka/broker.sh)"
KAFKA_CP=$(bash src/test/kafka/broker.sh classpath) || fail "resolving Kafka's class path"
bash src/test/kafka/broker.sh run "$work/kafka" "$KAFKA_PORT" $(( KAFKA_PORT + 1 )) >"$work/kafka.log" 2>&1 &
kafka_pid=$!
until port_busy "$KAFKA_PORT"; do kill -0 "$kafka_pid" 2>/dev/null || fail "the Kafka broker exited: $(tail -3 "$work/kafka.log")"; sleep 0.2; done
event_latency() { # seconds: the consumer (it creates the topic, in four partitions, when it is missing)
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$KAFKA_CP" "$BENCH/events/EventLatency.java" \
    "127.0.0.1:$KAFKA_PORT" likes.events "$1"
}
# The topic exists before the service starts, as in production (the service does not create it).
event_latency 0 >/dev/null 2>"$work/event-latency.err" || fail "creating the topic: $(tail -3 "$work/event-latency.err")"
service_metric() { curl -s "$mgmt/q/metrics" | awk -v n="$1" '$1 == n { print $2 }'; }
events_watch() { # before the hot item's run: the consumer, the outbox sampler
  event_latency $(( DURATION + 5 )) >"$work/event-latency.out" 2>"$work/event-latency.err" &
  latency_pid=$!
  until grep -q '^ready' "$work/event-latency.out"; do
    kill -0 "$latency_pid" 2>/dev/null || fail "the events' consumer exited: $(tail -3 "$work/event-latency.err")"
    sleep 0.1
  done
  ( while :; do service_metric likes_events_outbox_oldest_age_seconds; sleep 0.5; done ) >"$work/outbox-age" &
  age_pid=$!
  published_before=$(service_metric likes_events_published_total)
}
events_watched() { # after it: what they saw
  published_during=$(awk -v a="$(service_metric likes_events_published_total)" -v b="$published_before" 'BEGIN { printf "%.0f", a - b }')
  relay_lag_max=$(service_metric likes_events_relay_lag_seconds_max)
  kill "$age_pid" 2>/dev/null || true
  wait "$latency_pid" || fail "the events' consumer: $(tail -3 "$work/event-latency.err")"
  outbox_age_max=$(grep -v NaN "$work/outbox-age" | sort -g | tail -1 || true)
  read -r _ consumed _ consumed_dup _ e2e_p50 _ e2e_p99 _ e2e_max < <(grep '^events' "$work/event-latency.out")
}
again_with eventsoff "$HOT_WRK_EVENTS_OFF" "like events off (the A of an A/B)"
before_hot=events_watch after_hot=events_watched \
  again_with events "$HOT_WRK_EVENTS" "like events on (the B)" KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT"
outbox_left=""
for _ in $(seq 100); do
  outbox_left=$(sql -At -c "SELECT count(*) FROM like_events")
  [ "$outbox_left" = 0 ] && break
  sleep 0.1
done
[ "$outbox_left" = 0 ] || exact=FAIL
hot_events_changes=$(( $(field svc-hot-events requests) - $(field svc-hot-events non2xx) ))
echo "   hot item: $hot_events_changes likes acknowledged, $published_during events published during its $DURATION s;" \
  "consumer: $consumed events ($consumed_dup duplicates), commit to consumer p50 $e2e_p50 ms, p99 $e2e_p99 ms, max $e2e_max ms;" \
  "relay round lag max $relay_lag_max s, oldest in the outbox at most $outbox_age_max s; left in the outbox $outbox_left"
kill "$kafka_pid" 2>/dev/null || true
wait "$kafka_pid" 2>/dev/null || true
kafka_pid=""

# ---------------------------------------------------------------------------------------------
# Public reads on a streaming standby (LIKES_DB_READ_HOST): a base backup of the seeded database,
# replaying the primary's WAL; the same reads, alone and under writes, served by it.
# ---------------------------------------------------------------------------------------------
echo "== a streaming standby on port $STANDBY_PORT (pg_basebackup), and the service reading from it"
stop_service
t0=$(now_ns)
runuser -u postgres -- "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$DB_PORT" -U likes -D "$work/standby" -R -X stream \
  -c fast >/dev/null || fail "pg_basebackup"
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/standby" -l "$work/standby.log" -w -o "-p $STANDBY_PORT -k $work \
  -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_connections=200" start >/dev/null || fail "standby start"
echo "   standby streaming after $(secs_since "$t0") s"
start_service LIKES_DB_READ_HOST=127.0.0.1 LIKES_DB_READ_PORT="$STANDBY_PORT"
wrk_start warm-standby-batch 1 8 "$WARMUP" batch
wrk_start warm-standby-rank 1 8 "$WARMUP" rankings
wrk_wait
quiet_start
wrk_start svc-r-batch-sb 1 8 "$HOT_DURATION" batch
wrk_start svc-r-rank-sb 1 8 "$HOT_DURATION" rankings
wrk_wait
for key in svc-r-batch-sb svc-r-rank-sb; do wrk_result "$key"; done
quiet_start
wrk_start svc-rw-write-sb 2 "$CONNS" "$DURATION" uniform
wrk_start svc-rw-batch-sb 1 8 "$DURATION" batch
wrk_start svc-rw-rank-sb 1 8 "$DURATION" rankings
wrk_wait
for key in svc-rw-batch-sb svc-rw-rank-sb svc-rw-write-sb; do wrk_result "$key"; done
standby_reads=$(curl -s "$mgmt/q/metrics" | awk '/^likes_reads_total\{server="standby"/ { printf "%.0f", $2 }')
primary_reads=$(curl -s "$mgmt/q/metrics" | awk '/^likes_reads_total\{server="primary"/ { printf "%.0f", $2 }')
standby_lag=$(curl -s "$mgmt/q/metrics" | awk '/^likes_read_replica_lag_seconds / { print $2 }')
echo "   public reads answered by the standby $standby_reads, by the primary $primary_reads; lag now $standby_lag s"

echo "== checking counts again"
check_counts || exact=FAIL

# ---------------------------------------------------------------------------------------------
# Start to ready with an AOT cache: a training run on the JDK 25+ (deploy/aot/cache.sh), then one
# start without the cache and three with it.
# ---------------------------------------------------------------------------------------------
aot_ready=""
if [ -n "$JAVA25" ]; then
  echo "== start to ready with an AOT cache ($("$JAVA25" -version 2>&1 | head -1)): a training run, then 3 starts"
  stop_service
  # shellcheck disable=SC2086  # JAVA_OPTS is a list of options
  JAVA=$JAVA25 JAVA_OPTS="$JAVA_OPTS" AOT_APP_DIR="$(dirname "$JAR")" LIKES_DB_HOST=127.0.0.1 LIKES_DB_PORT="$DB_PORT" \
    deploy/aot/cache.sh "$work/app.aot" || fail "the AOT cache's training run"
  JAVA=$JAVA25 start_service
  ready25_s=$(secs_since "$t0")
  stop_service
  for _ in 1 2 3; do
    JAVA=$JAVA25 JAVA_EXTRA="-XX:AOTCache=$work/app.aot" start_service
    aot_ready="$aot_ready $(secs_since "$t0")"
    stop_service
  done
  aot_best=$(echo "$aot_ready" | tr ' ' '\n' | sed '/^$/d' | sort -n | head -1)
  echo "   JDK 25+ without the cache $ready25_s s; with it:$aot_ready s ($(du -m "$work/app.aot" | cut -f1) MB cache)"
fi

# JVM pauses of the first service (all the main workloads): the longest GC pause and safepoint.
read -r gc_pauses gc_max_ms sp_max_ms < <(awk '
  /\[gc *\]/ && /Pause/ { n++; ms = $NF; sub(/ms$/, "", ms); if (ms + 0 > g) g = ms + 0 }
  /\[safepoint *\]/ { for (i = 1; i < NF; i++) if ($i == "Total:") { t = $(i + 1) / 1e6; if (t > s) s = t } }
  END { printf "%d %.1f %.1f\n", n, g, s }' "$work/jvm-1.log")

# ---------------------------------------------------------------------------------------------
# The table. "vs pgbench" = the service's requests/s divided by pgbench's transactions/s for the
# same mix of clicks (one request is one click; pgbench sends each click as its own statement).
# ---------------------------------------------------------------------------------------------
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
if [ -z "$SOAK" ]; then
  row "service writes during lifecycle jobs (32 conns)" lc-write "target p99 <= 50 ms: $(awk -v p="${P99[lc-write]}" 'BEGIN { print (p <= 50 ? "held" : "NOT held") }')"
  row "service who liked (4 conns, + 32 writers)" lc-likers "target p99 <= 20 ms: $(awk -v p="${P99[lc-likers]}" 'BEGIN { print (p <= 20 ? "held" : "NOT held") }')"
  row "pgbench uniform, with the who-liked index" pg-uniform-index
  row "pgbench uniform, without it" pg-uniform-noindex "index costs $(cost "${RPS[pg-uniform-index]}" "${RPS[pg-uniform-noindex]}")"
fi
echo
echo "service peak RSS $peak_rss_mb MB (VmHWM $hwm_mb MB), start to ready $ready_s s; seed $seed_s s (+ VACUUM ANALYZE $vacuum_s s)"
echo "seeded: $seeded_likes likes on 1,000,000 items, $seeded_buckets buckets; items in the hour $hour_items, day $day_items, week $week_items"
[ -n "$SOAK" ] || echo "lifecycle: erased a user's 10,000 likes in $erase_s s, removed an item's 100,000 likes in $remove_s s, under 32 writers; who-liked index rebuilt in $index_s s"
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

# ---------------------------------------------------------------------------------------------
# The targets (issues 16 and 17), each with its figure from this run.
# ---------------------------------------------------------------------------------------------
target() { # label figure held(0/1)
  printf "  %-62s %-26s %s\n" "$1" "$2" "$([ "$3" = 1 ] && echo held || echo "NOT held")"
}
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b ? 1 : 0) }'; }
at_most() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b ? 1 : 0) }'; }
x() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
pct() { awk -v on="$1" -v off="$2" 'BEGIN { printf "%.1f", (off - on) * 100 / off }'; }
uniform_x=$(x "${RPS[svc-uniform]}" "${RPS[pg-uniform]}")
hot64_x=$(x "${RPS[svc-hot]}" "${RPS[pg-hot-$CONNS]}")
hotbest_x=$(x "${RPS[svc-hot]}" "${RPS[pg-hot-$best_hot]}")
auth_uniform=$(pct "${RPS[svc-uniform]}" "${RPS[svc-uniform-noauth]}")
auth_hot=$(pct "${RPS[svc-hot]}" "${RPS[svc-hot-noauth]}")
auth_users=$(pct "${RPS[svc-uniform-users]}" "${RPS[svc-uniform-noauth]}")
reads_p99=$(awk -v a="${P99[svc-rw-batch]}" -v b="${P99[svc-rw-rank]}" 'BEGIN { print (a > b ? a : b) }')
start_best=${aot_best:-$ready_s}
echo
echo "targets (authentication on, JVM options: $JAVA_OPTS):"
target "uniform >= 1.5x pgbench" "${uniform_x}x" "$(at_least "$uniform_x" 1.5)"
target "hot item >= 20x pgbench at $CONNS clients" "${hot64_x}x" "$(at_least "$hot64_x" 20)"
target "hot item >= 4x pgbench's best ($best_hot clients)" "${hotbest_x}x" "$(at_least "$hotbest_x" 4)"
target "hot item p99 <= 50 ms" "${P99[svc-hot]} ms" "$(at_most "${P99[svc-hot]}" 50)"
target "a backend token costs <= 10% (uniform; hot item)" "${auth_uniform}%; ${auth_hot}%" \
  "$(( $(at_most "$auth_uniform" 10) * $(at_most "$auth_hot" 10) ))"
echo "  a token per user ($CLICKS_PER_TOKEN clicks each) costs ${auth_users}% of the uniform mix (no target)"
target "start to ready <= 1.0 s (JDK 17: $ready_s s; best with the AOT cache)" "${start_best} s" "$(at_most "$start_best" 1.0)"
target "peak RSS <= 256 MB (VmHWM of the first service)" "$hwm_mb MB" "$(at_most "$hwm_mb" 256)"
events_hot_x=$(x "${RPS[svc-hot-events]}" "${RPS[pg-hot-$CONNS]}")
target "events on: hot item >= 10x pgbench at $CONNS clients" "${events_hot_x}x" "$(at_least "$events_hot_x" 10)"
e2e_max_s=$(awk -v m="$e2e_max" 'BEGIN { printf "%.3f", m / 1000 }')
target "events on: the relay never behind > 1 s (hot item: slowest commit to consumer)" "${e2e_max_s} s" "$(at_most "$e2e_max_s" 1.0)"
target "reads under writes p99 <= 20 ms (batch; rankings)" "${P99[svc-rw-batch]}; ${P99[svc-rw-rank]} ms" "$(at_most "$reads_p99" 20)"
[ "$exact" = PASS ]
