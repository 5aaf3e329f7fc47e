# shellcheck shell=bash
# Part of deploy/citus/drill.sh: the checks under write load with a fault struck (3 SIGKILL of a worker
# group's primary, 8 of the coordinator's, 4 a third worker group and a rebalance). The load is the drills' DrillLoad (deploy/load): 64
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
  read -r 'R[lost]' 'R[doubled]' 'R[drift]' 'R[wdrift]' < <(exactness "$ns-i" "$WORK/$ns.expected" sql $COORD)
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

# SIGKILL to a group's primary: its Patroni daemon and its postmaster at once (a lost machine). The
# group's standby is promoted by its Patroni; for a worker group the coordinator's Patroni points
# pg_dist_node at it, for the coordinator group HAProxy finds it.
kill_primary() {  # GROUP
  local node patroni probe t0
  node=$(group_leader "$1") || fail "group $1 has no leader"
  probe=$(probe_item "$1")
  KILLED=$node
  patroni=$(pgrep -P "${PIDS[$node]}" patroni || pgrep -P "${PIDS[$node]}")
  say "SIGKILL to group $1's primary $node: Patroni (pid $patroni) and postmaster (pid $(node_pid "$node"))"
  t0=$(date +%s.%N)
  kill -KILL "$patroni" "$(node_pid "$node")"
  wait_until 60 "a like of $probe (group $1) to succeed again" like_answered "$probe" || true
  WRITES_BACK_S=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  say "a like of $probe ($([ "$1" = 0 ] && echo "any item: every call crosses the coordinator" || echo "its shard is in group $1")) succeeded again $WRITES_BACK_S s after the kill"
}
probe_item() {  # GROUP: an item id whose shard is in that worker group (any item for the coordinator's)
  sql $COORD -c "SELECT 'probe-' || i FROM generate_series(1, 500) i
    WHERE $1 = 0 OR (SELECT p.groupid FROM pg_dist_placement p
                     WHERE p.shardid = get_shard_id_for_distribution_column('likes', 'probe-' || i)) = $1 LIMIT 1"
}
like_answered() {  # ITEM: a like of it by a new user answers 200
  PROBES=$(( ${PROBES:-0} + 1 ))
  [ "$(http_code -X PUT -H "Authorization: Bearer $(cat "$WORK/token")" "$URL/v1/items/$1/likes/probe-u$PROBES")" = 200 ]
}
kill_worker() { kill_primary 1; }
kill_coordinator() { kill_primary 0; }
rejoin() {  # GROUP: the killed node back as a standby (Patroni rewinds it), the group whole again
  stop_bg "$KILLED"
  stop_postmaster "$WORK/pg/$KILLED"
  start_node "$KILLED"
  wait_until 180 "group $1 whole again" group_whole "$1" || true
  say "group $1: leader $(group_leader "$1"), $KILLED back as its standby"
}
failover_check() {  # NAME GROUP NS KILL: a primary's SIGKILL under write load; writes back within 15 s
  local name=$1 group=$2 why=()
  run_load "$3" "$4"
  exact_reasons
  [ "${R[s503]}" -gt 0 ] || why+=("no 503 during the failover")
  [ "${R[s503_proxy]}" = 0 ] || why+=("503s without Retry-After")
  if awk -v s="$WRITES_BACK_S" 'BEGIN { exit !(s > 15) }'; then why+=("writes back after more than 15 s"); fi
  workers_registered "$(( ${#GROUPS_UP[@]} - 1 ))" || why+=("pg_dist_node does not list each worker group's leader")
  verdict "$name" "acked ${R[changed]}, 503s ${R[s503]} (all with Retry-After: ${R[s503_proxy]} without), 500s ${R[s500]}, lost ${R[lost]}, doubled ${R[doubled]}, drift ${R[drift]}/${R[wdrift]}, writes to the group back ${WRITES_BACK_S} s after the kill (the load's longest time without any write ${R[outage_s]} s); new primary $(group_leader "$group")" "${why[@]}"
  rejoin "$group"
}
check_worker_kill() {  # 3
  say "check 3: SIGKILL of worker group 1's primary under write load"
  failover_check "worker failover" 1 c3 kill_worker
}
check_coordinator_kill() {  # 8
  say "check 8: SIGKILL of the coordinator's primary under write load"
  failover_check "coordinator failover" 0 c8 kill_coordinator
}

# A third worker group (a primary, then its standby), registered by Patroni, then the shards rebalanced.
rebalance() {
  local t0
  start_node w3a
  wait_until 120 "a leader in group 3" group_leader 3 >/dev/null
  GROUPS_UP+=(3)
  wait_until 60 "Patroni to register worker group 3" workers_registered 3
  start_node w3b
  t0=$(date +%s.%N)
  sql $COORD -c "SELECT citus_rebalance_start()" >/dev/null
  wait_until 600 "the rebalance" rebalanced || true
  REBALANCE_S=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  MOVED=$(sql $COORD -c "SELECT count(*) FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid) WHERE n.groupid = 3")
  say "rebalanced in $REBALANCE_S s: $MOVED shard placements now in worker group 3"
}
rebalanced() { sql $COORD -c "SELECT state FROM citus_rebalance_status()" | grep -Eq '^(finished|failed|cancelled)$'; }
check_rebalance() {  # 4
  local why=() state
  say "check 4: a third worker group and a rebalance while clicks arrive"
  run_load c4 rebalance
  exact_reasons
  state=$(sql $COORD -c "SELECT state FROM citus_rebalance_status()")
  [ "$state" = finished ] || why+=("rebalance $state")
  wait_until 180 "group 3 whole" group_whole 3 || why+=("group 3 has no streaming sync standby")
  verdict "rebalance" "$MOVED placements moved in $REBALANCE_S s under load; acked ${R[changed]}, 503s ${R[s503]}, lost ${R[lost]}, doubled ${R[doubled]}, drift ${R[drift]}/${R[wdrift]}" "${why[@]}"
}
