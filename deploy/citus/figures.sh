# shellcheck shell=bash
# Part of deploy/citus/drill.sh: the figures, one plain PostgreSQL against the cluster (now 3
# worker groups), the same workloads (src/bench/wrk, through src/bench/lib/common.sh) and pgbench on the
# same statements; the workers' CPU per click.
say "figures: $SECONDS_EACH s per workload on plain PostgreSQL, then on the cluster"
private_postgres_start "$WORK/n$PLAIN" $PLAIN -c max_connections=300 -c synchronous_commit=on
nodes_cpu_ticks() {  # the CPU time of the PostgreSQL servers whose data directories NODES lists, children included
  local total=0 dir
  for dir in "${NODES[@]}"; do total=$(( total + $(pg_cpu_ticks "$dir") )); done
  echo "$total"
}
declare -A CPU=() PGB=()
measure() {  # TARGET NAME SCRIPT CONNECTIONS [ENV...]: one wrk run (common.sh's), and the nodes' CPU seconds meanwhile
  local target=$1 name=$2 script=$3 conns=$4 before
  shift 4
  before=$(nodes_cpu_ticks)
  wrk_run "$target-$name" 2 "$conns" "$SECONDS_EACH" "$script" "$URL" TOKEN="$(cat "$WORK/token")" "$@" \
    || fail "wrk $target $name printed no result"
  CPU[$target-$name]=$(awk -v a="$before" -v b="$(nodes_cpu_ticks)" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (b - a) / hz }')
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
NODES=("$WORK/n$PLAIN/pg")
start_service $PLAIN      # its migrations make the schema
stop_service
PGB[plain-writes]=$(pgbench_tps $PLAIN -f src/bench/pgbench/like.sql@1 -f src/bench/pgbench/unlike.sql@1)
PGB[plain-hot]=$(pgbench_tps $PLAIN -f src/bench/pgbench/like_hot.sql)
# One PostgreSQL without reads from memory: the rate the cluster's reads from memory must reach.
start_service $PLAIN LIKES_READ_CACHE_MAX_ITEMS=0 LIKES_READ_RANKINGS_REFRESH=0s
workloads plain
stop_service
NODES=("$WORK"/pg/w*/)   # every worker node, standbys included: what a worker group costs
PGB[citus-writes]=$(pgbench_tps $COORD -f deploy/citus/like.sql@1 -f deploy/citus/unlike.sql@1)
PGB[citus-hot]=$(pgbench_tps $COORD -f deploy/citus/like_hot.sql)
PGB[citus-like]=$(pgbench_tps $COORD -f deploy/citus/like.sql)
PGB[citus-like-limited]=$(pgbench_tps $COORD -f deploy/citus/like_limited.sql)
PGB[citus-like-recorded]=$(pgbench_tps $COORD -f deploy/citus/like_recorded.sql)
sql $COORD -c "TRUNCATE like_events" >/dev/null   # no relay ran: those events go nowhere
start_service $COORD
workloads citus
stop_service

echo
echo "figures ($SECONDS_EACH s each, wrk from src/bench/wrk; one PostgreSQL vs Citus: a coordinator group and 3 worker groups, each a primary and a sync standby, all on these 2 cores)"
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
echo "citus limits: pgbench like.sql ${PGB[citus-like]} tps; with the allowance taken first (like_limited.sql) ${PGB[citus-like-limited]} tps:" \
  "$(awk -v a="${PGB[citus-like-limited]}" -v b="${PGB[citus-like]}" 'BEGIN { printf "%.0f%%", 100 * (1 - a / b) }') fewer likes per second"
echo "citus events: pgbench like.sql ${PGB[citus-like]} tps; with its event recorded (like_recorded.sql) ${PGB[citus-like-recorded]} tps:" \
  "$(awk -v a="${PGB[citus-like-recorded]}" -v b="${PGB[citus-like]}" 'BEGIN { printf "%.0f%%", 100 * (1 - a / b) }') fewer likes per second"
for w in writes hot; do
  echo "citus $w: the workers used ${CPU[citus-$w]} CPU seconds for $(awk -v r="${RPS[citus-$w]}" -v s="$SECONDS_EACH" 'BEGIN { printf "%.0f", r * s }') requests:" \
    "$(awk -v r="${RPS[citus-$w]}" -v s="$SECONDS_EACH" -v c="${CPU[citus-$w]}" 'BEGIN { printf "%.0f", r * s / c }') clicks per worker CPU second"
done
for w in feed firstpages; do
  echo "citus $w from memory: ${RPS[citus-$w]} req/s against ${RPS[plain-$w]} on one PostgreSQL reading the database:" \
    "$(awk -v a="${RPS[citus-$w]}" -v b="${RPS[plain-$w]}" 'BEGIN { print (a >= b ? "held" : "NOT held") }') (at least as many)"
done
