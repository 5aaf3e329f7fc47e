# shellcheck shell=bash
# Part of deploy/citus/drill.sh: the checks under write load with a fault struck (3 a worker's
# SIGKILL, 4 a third worker and a rebalance). The load is the drills' DrillLoad (deploy/load): 64
# writers that know the state they should leave, 4 readers.
run_load() {  # NS FAULT: load, the fault 10 s in, load until writes succeed again, 10 s more
  local ns=$1 fault=$2 t0 line
  rm -f "$WORK/$ns.stop"
  java -cp "$WORK/load" DrillLoad url=$URL token="$WORK/token" ns="$ns" items=50 stop="$WORK/$ns.stop" \
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
check_worker_kill() {  # 3
  local why=()
  say "check 3: SIGKILL of a worker under write load"
  run_load c3 kill_worker
  exact_reasons
  [ "${R[s503]}" -gt 0 ] || why+=("no 503 while the worker was down")
  verdict "worker SIGKILL" "acked ${R[changed]}, 503s ${R[s503]}, lost ${R[lost]}, doubled ${R[doubled]}, drift ${R[drift]}/${R[wdrift]}, writes back ${FAULT_SECONDS} s after the kill" "${why[@]}"
}

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
check_rebalance() {  # 4
  local why=() state
  say "check 4: a third worker and a rebalance while clicks arrive"
  run_load c4 rebalance
  exact_reasons
  state=$(sql $COORD -c "SELECT state FROM citus_rebalance_status()")
  [ "$state" = finished ] || why+=("rebalance $state")
  verdict "rebalance" "$MOVED placements moved in $REBALANCE_S s under load; acked ${R[changed]}, 503s ${R[s503]}, lost ${R[lost]}, doubled ${R[doubled]}, drift ${R[drift]}/${R[wdrift]}" "${why[@]}"
}
