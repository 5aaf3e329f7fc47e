#!/usr/bin/env bash
# The likes service on a Citus cluster, on one machine, in one command (docs/citus.md):
#
#   Citus 13.2 (built into PostgreSQL 15 when missing) -> a coordinator and 2 workers -> the
#   packaged service against the coordinator (its migrations distribute the tables) -> checks:
#     1  the concurrency scenarios (CitusScenarios.java): many users on one item, double clicks,
#        racing likes and unlikes, clicks over many items, rankings of all time and of the hour
#     2  window aging: likes of two hours ago leave the hour, not the day, on every shard group
#     3  SIGKILL of a worker under write load (DrillLoad.java, as in the HA drill), restarted after
#        ~5 s: 503s while it is down, then no acknowledged like lost or doubled
#     4  a third worker added and the shards rebalanced (citus_rebalance_start) while clicks arrive
#     5  drift: the service's own recount (dry run) and deploy/exactness.sql over every item
#   -> figures: the same wrk workloads (src/bench/wrk) against the service on one plain PostgreSQL
#      (reading the database: no reads from memory) and on the cluster (reads from memory on, the default)
#   and on the cluster, in this run, and the workers' CPU time per click.
#   The last line is "N passed, M failed"; exits non-zero when one failed.
#
#   deploy/citus/drill.sh                          # about 11 minutes on 2 cores
#   CITUS_KEEP=1 CITUS_SECONDS=30 deploy/citus/drill.sh
#
# Ports, all on 127.0.0.1: coordinator 29700, workers 29701-29703, plain PostgreSQL 29710, the
# service 28281 (management 29281).
#
# Environment (all optional):
#   CITUS_APP_DIR     the packaged service (default target/quarkus-app, built when missing)
#   CITUS_SOURCE_DIR  where Citus' source archive and build.sh are (default ../shared/vendor/citus)
#   CITUS_SECONDS     seconds per measured workload (default 15)
#   CITUS_KEEP=1      keep the work directory (/tmp/likes-citus.XXXXXX: data, every log)
#
# Needs root (PostgreSQL runs as the postgres user), and apt for what is missing.
set -euo pipefail
APP_DIR=${CITUS_APP_DIR:+$(realpath -m "$CITUS_APP_DIR")}
cd "$(dirname "$0")/../.."
ROOT=$PWD
APP_DIR=${APP_DIR:-$ROOT/target/quarkus-app}
CITUS_SRC=${CITUS_SOURCE_DIR:-$ROOT/../shared/vendor/citus}
SECONDS_EACH=${CITUS_SECONDS:-15}
COORD=29700
WORKERS=(29701 29702 29703)   # the third joins in check 4
PLAIN=29710
SVC=28281
MGMT=$(( SVC + 1000 ))
URL=http://127.0.0.1:$SVC

# shellcheck source=deploy/private-postgres.sh
. deploy/private-postgres.sh
fail() { echo "citus drill: $*" >&2; exit 1; }
say() { echo "$(date +%T) $*"; }
[ "$(id -u)" = 0 ] || fail "needs root (PostgreSQL runs as the postgres user via runuser)"

missing=()
{ dpkg -s "postgresql-$PG_MAJOR" >/dev/null 2>&1 && [ -x "/usr/lib/postgresql/$PG_MAJOR/bin/postgres" ]; } || missing+=("postgresql-$PG_MAJOR")
for tool in wrk jq curl; do command -v $tool >/dev/null || missing+=("$tool"); done
command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ! -f "/usr/lib/postgresql/$PG_MAJOR/lib/citus.so" ]; then
  [ -x "$CITUS_SRC/build.sh" ] || [ -f "$CITUS_SRC/build.sh" ] || fail "Citus is not installed and $CITUS_SRC/build.sh is missing (CITUS_SOURCE_DIR)"
  say "building Citus from $CITUS_SRC (about 2 minutes)"
  PG_MAJOR=$PG_MAJOR bash "$CITUS_SRC/build.sh"
fi
if [ ! -f "$APP_DIR/quarkus-run.jar" ]; then
  [ -z "${CITUS_APP_DIR:-}" ] || fail "CITUS_APP_DIR=$CITUS_APP_DIR has no quarkus-run.jar"
  say "building the service (./mvnw -q package -DskipTests)"
  ./mvnw -q package -DskipTests
fi
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in $COORD "${WORKERS[@]}" $PLAIN $SVC $MGMT; do
  ! port_busy "$port" || fail "port $port is already in use; stop what listens there first"
done

WORK=$(mktemp -d /tmp/likes-citus.XXXXXX)
chmod 755 "$WORK"
mkdir "$WORK/log"
svc_pid=""
bg_pids=()
cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  for pid in "${bg_pids[@]}" $svc_pid; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  for port in $COORD "${WORKERS[@]}" $PLAIN; do private_postgres_stop "$WORK/n$port"; done
  if [ "${CITUS_KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=deploy/wait-until.sh
. deploy/wait-until.sh   # wait_until SECONDS WHAT COMMAND...
sql() {  # PORT SQL...: one value per line
  local port=$1
  shift
  psql -h 127.0.0.1 -p "$port" -U likes -d likes -XAtq -v ON_ERROR_STOP=1 "$@"
}

# ---------------------------------------------------------------------------------------------
# The cluster: every node a private PostgreSQL with Citus loaded; logical WAL for shard moves
# that do not block writes.
# ---------------------------------------------------------------------------------------------
# citus.shard_count: shards per distributed table, fixed when the migrations create them: 8 for
# the 2 to 3 workers of this machine (docs/citus.md: 2 to 4 per worker core). A multi-shard query
# (a batch read, a ranking page) runs its tasks on one connection per worker instead of opening
# more (citus.max_adaptive_executor_pool_size 1): under many concurrent requests, new connections
# cost more than the parallelism gains.
NODE_OPTS=(-c shared_preload_libraries=citus -c wal_level=logical -c max_connections=300 -c max_prepared_transactions=300
  -c citus.shard_count=8 -c citus.max_adaptive_executor_pool_size=1)
start_node() {  # PORT
  private_postgres_start "$WORK/n$1" "$1" "${NODE_OPTS[@]}"
  sql "$1" -c "CREATE EXTENSION citus"
}
worker_pid() { head -n 1 "$WORK/n$1/pg/postmaster.pid"; }

say "work directory $WORK; service from $APP_DIR"
for port in $COORD "${WORKERS[0]}" "${WORKERS[1]}"; do start_node "$port"; done
sql $COORD -c "SELECT citus_set_coordinator_host('127.0.0.1', $COORD)" \
  -c "SELECT citus_add_node('127.0.0.1', ${WORKERS[0]})" -c "SELECT citus_add_node('127.0.0.1', ${WORKERS[1]})" >/dev/null
say "Citus $(sql $COORD -c "SELECT extversion FROM pg_extension WHERE extname = 'citus'"): coordinator $COORD, workers ${WORKERS[0]} and ${WORKERS[1]}"

start_service() {  # DB_PORT [ENV...]: returns once ready
  local port=$1
  shift
  env LIKES_DB_HOST=127.0.0.1 LIKES_DB_PORT="$port" LIKES_HTTP_PORT=$SVC QUARKUS_MANAGEMENT_PORT=$MGMT \
    QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_MANAGEMENT_HOST=127.0.0.1 LIKES_SHUTDOWN_DELAY=0s \
    LIKES_JWT_ISSUER=likes-dev LIKES_JWT_PUBLIC_KEY_LOCATION="$ROOT/deploy/dev-keys/public.pem" \
    LIKES_AUTH_INSECURE_TRUST_PUBLISHED_DEV_KEY=true MALLOC_ARENA_MAX=2 "$@" \
    java -XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC -jar "$APP_DIR/quarkus-run.jar" \
    >>"$WORK/log/service-$port.log" 2>&1 &
  svc_pid=$!
  wait_until 90 "the service" ready || fail "the service did not start (see $WORK/log/service-$port.log)"
}
ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$MGMT/q/health/ready")" = 200 ]; }
stop_service() { kill "$svc_pid" 2>/dev/null; wait "$svc_pid" 2>/dev/null || true; svc_pid=""; }
deploy/dev-token.sh drill-backend likes:act-for-users >"$WORK/token"
deploy/dev-token.sh drill-admin likes:admin >"$WORK/admin-token"

# Windows age every 2 s here, so that check 2 sees the leader's job at work.
start_service $COORD LIKES_WINDOWS_AGING_INTERVAL=2s
grep -q '"Citus: the likes are distributed' "$WORK/log/service-$COORD.log" || fail "the service did not see the Citus cluster"
say "service ready on the coordinator: $(sql $COORD -c "SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'likes'::regclass") shards per table"

ROWS=()
passed=0
failed=0
verdict() {  # NAME DETAIL [REASON...]: a PASS without reasons
  local name=$1 detail=$2
  shift 2
  if [ $# = 0 ]; then passed=$(( passed + 1 )); ROWS+=("PASS  $name: $detail"); else failed=$(( failed + 1 )); ROWS+=("FAIL  $name: $detail ($*)"); fi
  say "${ROWS[-1]}"
}

# 1 -------------------------------------------------------------------------------------------
say "check 1: the concurrency scenarios"
if java deploy/citus/CitusScenarios.java url=$URL token="$WORK/token" ns=s1 >"$WORK/scenarios.out" 2>&1; then
  verdict "scenarios" "$(grep -c '^scenario .* ok' "$WORK/scenarios.out") passed"
else
  verdict "scenarios" "$(grep -c '^scenario .* ok' "$WORK/scenarios.out") passed" "$(grep -v ' ok' "$WORK/scenarios.out" | head -3 | tr '\n' ' ')"
fi
sed 's/^/    /' "$WORK/scenarios.out"

# 2 -------------------------------------------------------------------------------------------
# Likes of two hours ago, as if written then and not yet aged (rows, buckets and counts all
# counted in the hour), on 64 items over every shard group; the hour's since is set back so that
# the aging job has those minutes to move.
say "check 2: window aging per shard group"
sql $COORD <<'SQL'
INSERT INTO likes (item_id, user_id, created_at)
SELECT 'w-' || i, 'w-u' || u, date_trunc('minute', now()) - interval '2 hours'
FROM generate_series(1, 64) i, generate_series(1, 1 + i % 5) u;
INSERT INTO like_buckets (item_id, minute, likes, counted_in)
SELECT item_id, date_trunc('minute', created_at), count(*), 3 FROM likes WHERE item_id LIKE 'w-%' GROUP BY 1, 2;
INSERT INTO like_counts (item_id, likes, likes_hour, likes_day, likes_week)
SELECT item_id, count(*), count(*), count(*), count(*) FROM likes WHERE item_id LIKE 'w-%' GROUP BY 1;
UPDATE like_windows SET since = date_trunc('minute', now()) - interval '3 hours' WHERE name = 'hour';
SQL
aged() { [ "$(sql $COORD -c "SELECT count(*) FROM like_counts WHERE item_id LIKE 'w-%' AND likes_hour > 0")" = 0 ]; }
why=()
wait_until 30 "the hour to age" aged || why+=("the hour still counts them")
ranked_w() {  # WINDOW: how many w- items its ranking holds, every page walked
  local after="" page n=0
  while :; do
    page=$(curl -s "$URL/v1/rankings?window=$1&limit=100${after:+&after=$after}")
    n=$(( n + $(jq '[.items[] | select(.itemId | startswith("w-"))] | length' <<<"$page") ))
    after=$(jq -r '.next // empty' <<<"$page")
    [ -n "$after" ] || break
  done
  echo $n
}
in_hour=$(ranked_w hour)
in_day=$(ranked_w day)
[ "$in_hour" = 0 ] || why+=("$in_hour in the hour's ranking")
[ "$in_day" = 64 ] || why+=("$in_day of 64 in the day's ranking")
read -r _ _ drift wdrift < <(sql $COORD -F ' ' -v prefix=w- -f deploy/exactness.sql </dev/null)
[ "$drift/$wdrift" = 0/0 ] || why+=("drift $drift, window drift $wdrift")
verdict "window aging" "64 items' likes of 2 h ago: $in_hour in the hour's ranking, $in_day in the day's; drift $drift, window drift $wdrift" "${why[@]}"

# 3 and 4 -------------------------------------------------------------------------------------
# DrillLoad (deploy/ha): 64 writers that know the state they should leave, 4 readers.
run_load() {  # NS FAULT: load, the fault 10 s in, load until writes succeed again, 10 s more
  local ns=$1 fault=$2 t0 line
  rm -f "$WORK/$ns.stop"
  java deploy/ha/DrillLoad.java url=$URL token="$WORK/token" ns="$ns" items=50 stop="$WORK/$ns.stop" \
    expected="$WORK/$ns.expected" timeline="$WORK/$ns.timeline" seconds=240 >"$WORK/log/load-$ns.log" 2>&1 &
  local load=$!
  wait_until 60 "the load to start" test -s "$WORK/$ns.timeline"
  sleep 10
  t0=$(date +%s)
  "$fault"
  wait_until 120 "writes again" writes_again "$WORK/$ns.timeline" || true
  FAULT_SECONDS=$(( $(date +%s) - t0 ))
  sleep 10
  touch "$WORK/$ns.stop"
  wait "$load" || true
  line=$(grep '^drill=' "$WORK/log/load-$ns.log" | tail -n 1) || fail "the load printed no summary ($WORK/log/load-$ns.log)"
  declare -gA R=()
  for kv in $line; do R[${kv%%=*}]=${kv#*=}; done
  read -r 'R[lost]' 'R[doubled]' 'R[drift]' 'R[wdrift]' < <(sql $COORD -F ' ' -v prefix="$ns-i" -f deploy/exactness.sql <"$WORK/$ns.expected")
  say "load: $line"
}
writes_again() { [ "$(tail -n 1 "$1" | awk '{ print $2 }')" -gt 0 ] && [ "$(tail -n 2 "$1" | head -n 1 | awk '{ print $2 }')" -gt 0 ]; }
exact_reasons() {  # appends to why: the exactness failures of the last load
  [ "${R[lost]}" = 0 ] || why+=("lost")
  [ "${R[doubled]}" = 0 ] || why+=("doubled")
  [ "${R[drift]}/${R[wdrift]}" = 0/0 ] || why+=("drift")
  [ "${R[s500]}" = 0 ] || why+=("500s")
  [ "${R[hangs]}" = 0 ] || why+=("hangs")
  [ "${R[unresolved]}" = 0 ] || why+=("unresolved requests")
}

kill_worker() {
  local port=${WORKERS[1]}
  say "SIGKILL to worker $port's postmaster (pid $(worker_pid "$port"))"
  kill -KILL "$(worker_pid "$port")"
  sleep 5
  say "starting worker $port again"
  rm -f "$WORK/n$port/pg/postmaster.pid"
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/n$port/pg" -l "$WORK/n$port/pg.log" -w \
    -o "-p $port -k $WORK/n$port -c listen_addresses=127.0.0.1 ${NODE_OPTS[*]}" start >/dev/null
}
say "check 3: SIGKILL of a worker under write load"
run_load c3 kill_worker
why=()
exact_reasons
[ "${R[s503]}" -gt 0 ] || why+=("no 503 while the worker was down")
verdict "worker SIGKILL" "acked ${R[changed]}, 503s ${R[s503]}, lost ${R[lost]}, doubled ${R[doubled]}, drift ${R[drift]}/${R[wdrift]}, writes back ${FAULT_SECONDS} s after the kill" "${why[@]}"

rebalance() {
  local port=${WORKERS[2]} t0 state
  start_node "$port"
  sql $COORD -c "SELECT citus_add_node('127.0.0.1', $port)" >/dev/null
  t0=$(date +%s.%N)
  sql $COORD -c "SELECT citus_rebalance_start()" >/dev/null
  wait_until 600 "the rebalance" rebalanced || true
  REBALANCE_S=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  MOVED=$(sql $COORD -c "SELECT count(*) FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid) WHERE n.nodeport = $port")
  say "rebalanced in $REBALANCE_S s: $MOVED shard placements now on worker $port"
}
rebalanced() { sql $COORD -c "SELECT state FROM citus_rebalance_status()" | grep -Eq '^(finished|failed|cancelled)$'; }
say "check 4: a third worker and a rebalance while clicks arrive"
run_load c4 rebalance
why=()
exact_reasons
state=$(sql $COORD -c "SELECT state FROM citus_rebalance_status()")
[ "$state" = finished ] || why+=("rebalance $state")
verdict "rebalance" "$MOVED placements moved in $REBALANCE_S s under load; acked ${R[changed]}, 503s ${R[s503]}, lost ${R[lost]}, doubled ${R[doubled]}, drift ${R[drift]}/${R[wdrift]}" "${why[@]}"

# 5 -------------------------------------------------------------------------------------------
say "check 5: drift over every item"
recount=$(curl -s -X POST -H "Authorization: Bearer $(cat "$WORK/admin-token")" "$URL/v1/admin/recount?dryRun=true")
service_drift=$(jq -r '.drifted' <<<"$recount")
read -r _ _ drift wdrift < <(sql $COORD -F ' ' -v prefix= -f deploy/exactness.sql </dev/null)
why=()
[ "$service_drift" = 0 ] || why+=("the recount found $service_drift")
[ "$drift/$wdrift" = 0/0 ] || why+=("drift $drift, window drift $wdrift")
verdict "drift" "recount (dry run) checked $(jq -r '.checked' <<<"$recount") items, $service_drift drifted; exactness.sql: drift $drift, window drift $wdrift" "${why[@]}"
stop_service

# ---------------------------------------------------------------------------------------------
# Figures: one plain PostgreSQL against the cluster (now 3 workers), the same workloads.
# ---------------------------------------------------------------------------------------------
say "figures: $SECONDS_EACH s per workload on plain PostgreSQL, then on the cluster"
private_postgres_start "$WORK/n$PLAIN" $PLAIN -c max_connections=300 -c synchronous_commit=on
cpu_seconds() {  # PORT...: CPU seconds of those PostgreSQL servers, children included
  local total=0 port pid
  for port in "$@"; do
    pid=$(worker_pid "$port")
    for p in $pid $(pgrep -P "$pid"); do
      total=$(awk -v t="$total" -v f="$(cut -d ' ' -f 14-17 "/proc/$p/stat" 2>/dev/null)" -v hz="$(getconf CLK_TCK)" \
        'BEGIN { split(f, x, " "); print t + (x[1] + x[2] + x[3] + x[4]) / hz }')
    done
  done
  echo "$total"
}
declare -A RPS=() P99=() BAD=() CPU=() PGB=()
measure() {  # TARGET NAME SCRIPT CONNECTIONS [ENV...]: one wrk run
  local target=$1 name=$2 script=$3 conns=$4 out before
  shift 4
  out="$WORK/wrk-$target-$name.out"
  before=$(cpu_seconds "${NODES[@]}")
  (cd src/bench/wrk && env TOKEN="$(cat "$WORK/token")" "$@" wrk -t 2 -c "$conns" -d "${SECONDS_EACH}s" --timeout 10s --latency -s "$script.lua" "$URL") >"$out" 2>&1
  CPU[$target-$name]=$(awk -v a="$before" -v b="$(cpu_seconds "${NODES[@]}")" 'BEGIN { printf "%.1f", b - a }')
  local line
  line=$(grep '^bench ' "$out") || fail "wrk $target $name printed no result ($out)"
  RPS[$target-$name]=$(awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } printf "%.0f", v["requests"] / (v["duration_us"] / 1e6) }' <<<"$line")
  P99[$target-$name]=$(awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "p99_us") printf "%.1f", kv[2] / 1000 } }' <<<"$line")
  BAD[$target-$name]=$(awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "non2xx") print kv[2] } }' <<<"$line")
}
# Transactions per second at 64 clients, over the last CITUS_SECONDS of a run that starts with
# 15 s unmeasured: new sessions on a Citus coordinator are slow until their metadata caches and
# connections to the workers are warm (at 64 clients here, pgbench -P 4 printed 10.2 tps for the
# first 4 s, 175.1 for the third, 535.8 for the fifth).
pgbench_tps() {  # PORT SCRIPT...
  pgbench -h 127.0.0.1 -p "$1" -U likes -n -c 64 -j 2 -T $(( 15 + SECONDS_EACH )) -P 1 "${@:2}" likes 2>&1 >/dev/null \
    | tee -a "$WORK/pgbench.log" \
    | awk -v s="$SECONDS_EACH" '/^progress/ { tps[++n] = $4 } END { for (i = n - s + 1; i <= n; i++) sum += tps[i]; printf "%.0f", sum / s }'
}
workloads() {  # TARGET
  measure "$1" warmup uniform 64     # unmeasured: the pool's sessions warm up, as pgbench's do
  measure "$1" writes uniform 64
  measure "$1" hot hot 64 HOT_ITEM="hot-$1"
  measure "$1" reads batch 64
  measure "$1" rankings rankings 32
  measure "$1" userlikes userlikes 32
  measure "$1" feed batch_popular 64       # what everyone reads: from memory where it is on
  measure "$1" firstpages rankings_first 64
}
# pgbench first, the service stopped: the same statements straight to the database.
NODES=("$PLAIN")
start_service $PLAIN      # its migrations make the schema
stop_service
PGB[plain-writes]=$(pgbench_tps $PLAIN -f src/bench/pgbench/like.sql@1 -f src/bench/pgbench/unlike.sql@1)
PGB[plain-hot]=$(pgbench_tps $PLAIN -f src/bench/pgbench/like_hot.sql)
# One PostgreSQL without reads from memory: the rate the cluster's reads from memory must reach.
start_service $PLAIN LIKES_READ_CACHE_MAX_ITEMS=0 LIKES_READ_RANKINGS_REFRESH=0s
workloads plain
stop_service
NODES=("${WORKERS[@]}")
PGB[citus-writes]=$(pgbench_tps $COORD -f deploy/citus/like.sql@1 -f deploy/citus/unlike.sql@1)
PGB[citus-hot]=$(pgbench_tps $COORD -f deploy/citus/like_hot.sql)
start_service $COORD
workloads citus
stop_service

echo
echo "figures ($SECONDS_EACH s each, wrk from src/bench/wrk; one PostgreSQL vs Citus: coordinator + 3 workers, all on these 2 cores)"
printf '%-10s %12s %9s %12s %9s %7s %s\n' workload "plain req/s" "p99 ms" "citus req/s" "p99 ms" ratio "non-2xx plain/citus"
for w in writes hot reads rankings userlikes feed firstpages; do
  printf '%-10s %12s %9s %12s %9s %7s %s\n' "$w" "${RPS[plain-$w]}" "${P99[plain-$w]}" "${RPS[citus-$w]}" "${P99[citus-$w]}" \
    "$(awk -v a="${RPS[citus-$w]}" -v b="${RPS[plain-$w]}" 'BEGIN { printf "%.2f", a / b }')" "${BAD[plain-$w]}/${BAD[citus-$w]}"
done
for t in plain citus; do
  for w in writes hot; do
    echo "$t $w: pgbench (the service's statement, 64 clients, after 15 s of warm-up) ${PGB[$t-$w]} tps; the service ${RPS[$t-$w]} req/s," \
      "$(awk -v a="${RPS[$t-$w]}" -v b="${PGB[$t-$w]}" 'BEGIN { printf "%.2f", a / b }')x pgbench"
  done
done
for w in writes hot; do
  echo "citus $w: the workers used ${CPU[citus-$w]} CPU seconds for $(awk -v r="${RPS[citus-$w]}" -v s="$SECONDS_EACH" 'BEGIN { printf "%.0f", r * s }') requests:" \
    "$(awk -v r="${RPS[citus-$w]}" -v s="$SECONDS_EACH" -v c="${CPU[citus-$w]}" 'BEGIN { printf "%.0f", r * s / c }') clicks per worker CPU second"
done
for w in feed firstpages; do
  echo "citus $w from memory: ${RPS[citus-$w]} req/s against ${RPS[plain-$w]} on one PostgreSQL reading the database:" \
    "$(awk -v a="${RPS[citus-$w]}" -v b="${RPS[plain-$w]}" 'BEGIN { print (a >= b ? "held" : "NOT held") }') (at least as many)"
done
echo
printf '%s\n' "${ROWS[@]}"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
