# shellcheck shell=bash
# Part of deploy/ha/drill.sh: the four faults, and run_drill, which strikes one under DrillLoad's
# load, waits for recovery and checks the database against the load's expected state.
fault_1() {
  local leader standby
  leader=$(leader_node)
  standby=$(( 3 - leader ))
  say "switchover node$leader -> node$standby"
  patronictl_ switchover --leader "node$leader" --candidate "node$standby" --force >>"$WORK/log/patronictl.log" 2>&1
}
fault_2() {
  local leader pid
  leader=$(leader_node)
  pid=$(head -n 1 "$WORK/pg/node$leader/postmaster.pid")
  say "SIGKILL to node$leader's postmaster (pid $pid)"
  kill -KILL "$pid"
}
fault_3() {
  say "SIGKILL to service replica 2 (pid ${PIDS[svc2]})"
  kill -KILL "${PIDS[svc2]}"
  wait "${PIDS[svc2]}" 2>/dev/null || true
  sleep 5
  say "starting service replica 2 again"
  start_service 2
}
fault_4() {
  say "SIGKILL to etcd (pid ${PIDS[etcd]})"
  kill -KILL "${PIDS[etcd]}"
  wait "${PIDS[etcd]}" 2>/dev/null || true
  sleep 10
  say "starting etcd again"
  start_etcd
}

# Recovered: the cluster is whole again and the load's last whole second had a successful write.
recovered() { [ "$(tail -n 1 "$1" | awk '{ print $2 }')" -gt 0 ] && cluster_healthy; }
exited() { ! kill -0 "$1" 2>/dev/null; }

# The service's ERROR log lines (JSON) written since mark_logs, by message: "N x message; ...".
declare -A LOG_SIZE=()
mark_logs() { local f; for f in "$WORK"/log/svc*.log; do LOG_SIZE[$f]=$(stat -c %s "$f"); done; }
new_log_errors() {
  local f
  for f in "$WORK"/log/svc*.log; do tail -c +"$(( ${LOG_SIZE[$f]:-0} + 1 ))" "$f"; done \
    | jq -Rr 'fromjson? | select(.level == "ERROR") | .message + (.exception.message // "" | if . == "" then "" else ": " + . end)' \
    | sed -E 's|/v1/items/[^ :]*|/v1/items/...|' | sort | uniq -c | sort -rn \
    | awk '{ n = $1; sub(/^ *[0-9]+ /, ""); printf "%s%d x %s", sep, n, $0; sep = "; " } END { if (!NR) printf "none" }'
}

ROWS=()
passed=0
failed=0
declare -A RUNS=()
run_drill() {  # NUMBER
  local n=$1 ns=d$1 name=${DRILL_NAMES[$1]} t0 now line counts lost doubled drift wdrift verdict why=()
  RUNS[$n]=$(( ${RUNS[$n]:-0} + 1 ))
  [ "${RUNS[$n]}" = 1 ] || ns=d$n.${RUNS[$n]}   # a repeated drill gets ids of its own: d2, d2.2, ...
  local timeline=$WORK/$ns.timeline stop=$WORK/$ns.stop expected=$WORK/$ns.expected
  declare -A r=()
  echo
  say "drill $n: $name (ids $ns-i*, $ns-u*)"
  if ! wait_until 120 "a healthy cluster" cluster_healthy; then
    ROWS+=("$(printf '%-2s %-16s %s' "$n" "$name" "not run: the cluster was not healthy")")
    failed=$(( failed + 1 ))
    return
  fi
  mark_logs
  start_bg "load-$ns" java -cp "$WORK/load" DrillLoad url="http://127.0.0.1:$FRONT_PORT" token="$WORK/token" \
    ns="$ns" items=$ITEMS stop="$stop" expected="$expected" timeline="$timeline" seconds=$(( DRILL_CAP + 30 ))
  wait_until 60 "the load to start" test -s "$timeline"
  t0=$(( $(date +%s) - 1 ))
  sleep 10
  "fault_$n" || why+=("the fault could not be struck")
  sleep 2
  # Load goes on until the cluster is whole again and writes succeed, then 10 s more.
  wait_until $(( t0 + DRILL_CAP - 10 - $(date +%s) )) "recovery" recovered "$timeline" \
    || why+=("no recovery within the drill")
  now=$(date +%s)
  sleep $(( t0 + DRILL_CAP - now < 10 ? t0 + DRILL_CAP - now : 10 ))
  touch "$stop"
  wait_until 60 "the load to finish" exited "${PIDS[load-$ns]}" || true
  stop_bg "load-$ns"

  line=$(grep '^drill=' "$WORK/log/load-$ns.log" | tail -n 1) || fail "drill $n: the load printed no summary (see $WORK/log/load-$ns.log)"
  for kv in $line; do r[${kv%%=*}]=${kv#*=}; done
  if counts=$(exactness "$ns-i" "$expected" psql_ likes likes); then
    read -r lost doubled drift wdrift <<<"$counts"
    [ "$lost" = 0 ] || why+=("lost")
    [ "$doubled" = 0 ] || why+=("doubled")
    [ "$drift" = 0 ] || why+=("drift")
    [ "$wdrift" = 0 ] || why+=("window drift")
  else
    lost='?' doubled='?' drift='?' wdrift='?'
    why+=("the exactness check failed")
  fi
  [ "${r[s500]}" = 0 ] || why+=("500s")
  # Every 503 a client sees must be the service's, with Retry-After; HAProxy's own (no replica
  # ready) has none.
  [ "${r[s503_proxy]}" = 0 ] || why+=("503s without Retry-After")
  # Public reads keep answering through a failover (the standby serves them).
  [ "${r[reads_failed]}" = 0 ] || why+=("reads failed")
  [ "${r[hangs]}" = 0 ] || why+=("hangs")
  [ "${r[unresolved]}" = 0 ] || why+=("${r[unresolved]} requests unresolved")
  [ "${r[changed]}" -gt 0 ] || why+=("no write succeeded")
  if [[ $n == [12] ]] && awk -v o="${r[outage_s]}" -v l=$OUTAGE_LIMIT 'BEGIN { exit !(o > l) }'; then
    why+=("outage > ${OUTAGE_LIMIT} s")
  fi
  if [ ${#why[@]} = 0 ]; then verdict=PASS; passed=$(( passed + 1 )); else verdict=FAIL; failed=$(( failed + 1 )); fi

  say "load: $line"
  say "check: lost=$lost doubled=$doubled drift=$drift window_drift=$wdrift"
  say "service ERROR log lines: $(new_log_errors)"
  ROWS+=("$(printf '%-2s %-16s %8s %5s %7s %5s %6s %5s %5s %5s %7s %13s  %s' "$n" "$name" "${r[changed]}" \
    "$lost" "$doubled" "$drift" "$wdrift" "${r[s500]}" "${r[s503]}" "${r[hangs]}" "${r[outage_s]}" \
    "${r[reads_failed]}/${r[reads]}" "$verdict${why:+ (${why[*]})}")")
}
