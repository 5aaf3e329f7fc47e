# shellcheck shell=bash
# Part of deploy/citus/drill.sh: the cluster under Patroni's Citus mode, the service against it, psql,
# cleanup. One etcd; the coordinator group 0 and worker groups 1 and 2 (group 3 joins in check 4),
# each a primary and a synchronous standby managed by Patroni (deploy/ha/patroni.yml.in plus a
# citus: section). Patroni creates the database and the extension, registers each worker group's
# primary in the coordinator's pg_dist_node, and when a primary dies promotes its standby and
# points pg_dist_node at it (a worker group), or lets HAProxy find the new one through Patroni's
# REST API (the coordinator group: the service and psql connect to HAProxy's port $COORD).

# Each node: its group, and its PostgreSQL port (Patroni's REST API on that port + 1000).
declare -A GROUP=([c1]=0 [c2]=0 [w1a]=1 [w1b]=1 [w2a]=2 [w2b]=2 [w3a]=3 [w3b]=3)
declare -A PORT=([c1]=29740 [c2]=29741 [w1a]=29742 [w1b]=29743 [w2a]=29744 [w2b]=29745 [w3a]=29746 [w3b]=29747)
STARTED=()       # the nodes started, in order
GROUPS_UP=(0 1 2)   # the groups in the cluster (3 joins in check 4)

sql() {  # PORT SQL...: one value per line
  local port=$1
  shift
  psql -h 127.0.0.1 -p "$port" -U likes -d likes -XAtq -v ON_ERROR_STOP=1 "$@"
}

cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  [ -z "$svc_pid" ] || { kill "$svc_pid" 2>/dev/null; wait "$svc_pid" 2>/dev/null; }
  [ -f "$WORK/haproxy.pid" ] && kill "$(cat "$WORK/haproxy.pid")" 2>/dev/null
  stop_bg "${STARTED[@]}"
  for node in "${STARTED[@]}"; do stop_postmaster "$WORK/pg/$node"; done
  stop_bg kafka
  stop_etcd
  private_postgres_stop "$WORK/n$PLAIN"
  if [ "${CITUS_KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
  exit $status
}

start_node() {  # NAME
  local name=$1
  PATRONI_MORE=$(printf 'citus:\n  group: %s\n  database: likes\n' "${GROUP[$name]}") \
    patroni_start "$name" "${PORT[$name]}" $(( PORT[$name] + 1000 )) SCOPE=likes-citus SUPERUSER=likes MAX_CONNECTIONS=300
  [[ " ${STARTED[*]} " == *" $name "* ]] || STARTED+=("$name")
}
is_primary() { [ "$(http_code -X OPTIONS "http://127.0.0.1:$(( PORT[$1] + 1000 ))/primary")" = 200 ]; }
group_leader() {  # GROUP: the node that leads it now
  local node
  for node in "${STARTED[@]}"; do
    [ "${GROUP[$node]}" != "$1" ] || ! is_primary "$node" || { echo "$node"; return 0; }
  done
  return 1
}
# A group is whole when its leader has a synchronous standby streaming from it.
group_whole() {  # GROUP
  local leader
  leader=$(group_leader "$1") || return 1
  [ "$(sql "${PORT[$leader]}" -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND sync_state = 'sync'" 2>/dev/null)" = 1 ]
}
workers_registered() {  # N: the coordinator lists N worker groups' primaries, each its group's leader now
  local rows group port
  rows=$(sql $COORD -F ' ' -c "SELECT groupid, nodeport FROM pg_dist_node WHERE groupid > 0 AND noderole = 'primary' AND isactive ORDER BY 1" 2>/dev/null) || return 1
  [ "$(wc -l <<<"$rows")" = "$1" ] || return 1
  while read -r group port; do
    [ "${PORT[$(group_leader "$group")]:-}" = "$port" ] || return 1
  done <<<"$rows"
}
coordinator_port_ready() { for _ in 1 2 3 4; do sql $COORD -c "SELECT 1" >/dev/null 2>&1 || return 1; done; }
node_pid() { head -n 1 "$WORK/pg/$1/postmaster.pid"; }

cluster_up() {  # the coordinator group and worker groups 1 and 2, each with a streaming sync standby
  local node group
  start_etcd
  for node in c1 w1a w2a; do start_node "$node"; done
  for group in 0 1 2; do wait_until 120 "a leader in group $group" group_leader "$group" >/dev/null; done
  render deploy/citus/haproxy.cfg.in "$WORK/haproxy.cfg" COORD_PORT=$COORD C1=c1 C2=c2 \
    C1_PORT="${PORT[c1]}" C2_PORT="${PORT[c2]}" C1_API=$(( PORT[c1] + 1000 )) C2_API=$(( PORT[c2] + 1000 ))
  haproxy -c -q -f "$WORK/haproxy.cfg"
  haproxy -D -f "$WORK/haproxy.cfg" -p "$WORK/haproxy.pid"
  # HAProxy starts with both servers up until its checks mark c2 down: ready once a few connections
  # in a row all reach the leader.
  wait_until 30 "HAProxy's coordinator port" coordinator_port_ready
  wait_until 60 "Patroni to register both worker groups" workers_registered 2
  # Before the service's first start: its migrations create the shards (docs/citus.md).
  sql $COORD -c "ALTER DATABASE likes SET citus.shard_count = 8" \
    -c "ALTER DATABASE likes SET citus.max_adaptive_executor_pool_size = 1" >/dev/null
  for node in c2 w1b w2b; do start_node "$node"; done
  for group in 0 1 2; do wait_until 180 "a streaming sync standby in group $group" group_whole "$group"; done
  say "Citus $(sql $COORD -c "SELECT extversion FROM pg_extension WHERE extname = 'citus'") under Patroni:" \
    "coordinator group 0 (leader $(group_leader 0)), worker groups 1 (leader $(group_leader 1)) and 2 (leader $(group_leader 2))," \
    "each with a sync standby; the coordinator's primary through HAProxy on $COORD"
}

start_service() {  # DB_PORT [ENV...]: returns once ready
  local port=$1
  shift
  APP_JAR="$APP_DIR/quarkus-run.jar" deploy/run-service.sh $SVC "$port" "$@" >>"$WORK/log/service-$port.log" 2>&1 &
  svc_pid=$!
  wait_until 90 "the service" ready || fail "the service did not start (see $WORK/log/service-$port.log)"
}
ready() { [ "$(http_code "http://127.0.0.1:$MGMT/q/health/ready")" = 200 ]; }
stop_service() { kill "$svc_pid" 2>/dev/null; wait "$svc_pid" 2>/dev/null || true; svc_pid=""; }
