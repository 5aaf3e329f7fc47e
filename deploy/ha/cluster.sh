# shellcheck shell=bash
# Part of deploy/ha/drill.sh: the cluster (etcd, two PostgreSQL nodes under Patroni, HAProxy, three
# service replicas), its health, its cleanup, and cluster_up, which starts it all.

cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  local loads=() name
  for name in "${!PIDS[@]}"; do [[ $name == load-* ]] && loads+=("$name"); done
  stop_bg "${loads[@]}" svc1 svc2 svc3
  [ -f "$WORK/haproxy.pid" ] && kill "$(cat "$WORK/haproxy.pid")" 2>/dev/null
  stop_bg node1 node2
  stop_postmaster "$WORK/pg/node1"
  stop_postmaster "$WORK/pg/node2"
  stop_etcd
  if [ "${HA_KEEP:-0}" = 1 ]; then
    echo "work directory kept: $WORK"
  else
    [ "$status" = 0 ] || [ $finished = 1 ] || echo "drill: aborted; HA_KEEP=1 keeps the logs ($WORK/log)" >&2
    rm -rf "$WORK"
  fi
}

start_node() {  # 1 or 2
  local n=$1
  patroni_start "node$n" "${PG_PORTS[n-1]}" "${API_PORTS[n-1]}" SCOPE=likes-ha SUPERUSER=postgres MAX_CONNECTIONS=100
}

patronictl_() { patronictl -c "$WORK/node1.yml" "$@"; }

leader_node() {  # the node whose Patroni answers /primary with 200 (holds the leader key)
  local n
  for n in 1 2; do
    [ "$(http_code -X OPTIONS "http://127.0.0.1:${API_PORTS[n-1]}/primary")" != 200 ] || { echo "$n"; return 0; }
  done
  return 1
}

psql_() {  # psql through HAProxy's write port: psql_ USER DATABASE [ARGS...]
  local user=$1 db=$2
  shift 2
  psql -h 127.0.0.1 -p "$PG_WRITE_PORT" -U "$user" -d "$db" -XAtq -v ON_ERROR_STOP=1 "$@"
}

# A sync standby that streams, seen from both sides: Patroni's member list and the primary's
# pg_stat_replication (reached through the write port, so HAProxy agrees on the leader too).
sync_standby_streaming() {
  [ "$(psql_ postgres postgres -c "SELECT count(*) FROM pg_stat_replication
        WHERE state = 'streaming' AND sync_state = 'sync'" 2>/dev/null)" = 1 ] \
    && patronictl_ list -f json 2>/dev/null \
      | jq -e 'any(.[]; .Role == "Sync Standby" and (.State == "running" or .State == "streaming"))' >/dev/null
}

start_service() {  # 1, 2 or 3; returns once the replica is ready
  local n=$1 port=${SVC_PORTS[$1-1]}
  APP_JAR="$APP_DIR/quarkus-run.jar" start_bg "svc$n" deploy/run-service.sh "$port" $PG_WRITE_PORT \
    LIKES_DB_READ_HOST=127.0.0.1 LIKES_DB_READ_PORT=$PG_READ_PORT \
    QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING=true QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED=true \
    QUARKUS_HTTP_PROXY_TRUSTED_PROXIES=127.0.0.1
  wait_until 90 "service replica $n on port $port" service_ready "$port"
}
service_ready() { [ "$(http_code "http://127.0.0.1:$(( $1 + MGMT_OFFSET ))/q/health/ready")" = 200 ]; }
services_ready() { local p; for p in "${SVC_PORTS[@]}"; do service_ready "$p" || return 1; done; }

cluster_healthy() { etcd_up && leader_node >/dev/null && services_ready && sync_standby_streaming; }

cluster_up() {  # every part, in order; the backend token in $WORK/token
  say "work directory $WORK; service from $APP_DIR"
  t_setup=$(date +%s)
  start_etcd
  start_node 1
  wait_until 60 "node1 to lead" leader_node >/dev/null
  t_node1=$(date +%s)

  render "$HA/haproxy.cfg.in" "$WORK/haproxy.cfg" WORK="$WORK" PG_WRITE_PORT=$PG_WRITE_PORT PG_READ_PORT=$PG_READ_PORT \
    PG1_PORT="${PG_PORTS[0]}" PG2_PORT="${PG_PORTS[1]}" API1_PORT="${API_PORTS[0]}" API2_PORT="${API_PORTS[1]}" \
    FRONT_PORT=$FRONT_PORT SVC1_PORT="${SVC_PORTS[0]}" SVC2_PORT="${SVC_PORTS[1]}" SVC3_PORT="${SVC_PORTS[2]}" \
    SVC1_MGMT_PORT=$(( SVC_PORTS[0] + MGMT_OFFSET )) SVC2_MGMT_PORT=$(( SVC_PORTS[1] + MGMT_OFFSET )) SVC3_MGMT_PORT=$(( SVC_PORTS[2] + MGMT_OFFSET ))
  haproxy -c -q -f "$WORK/haproxy.cfg"
  haproxy -D -f "$WORK/haproxy.cfg" -p "$WORK/haproxy.pid"

  # HAProxy starts with both servers up until its checks mark node2 down: the write port is ready once
  # a few connections in a row (round robin) all reach node1.
  write_port_ready() { for _ in 1 2 3 4; do psql_ postgres postgres -c "SELECT 1" >/dev/null 2>&1 || return 1; done; }
  wait_until 30 "the write port" write_port_ready
  psql_ postgres postgres -c "CREATE ROLE likes LOGIN PASSWORD 'likes'" -c "CREATE DATABASE likes OWNER likes"

  elapsed=$(( $(date +%s) - t_node1 ))
  [ $elapsed -ge 10 ] || sleep $(( 10 - elapsed ))   # the second node ~10 s after the first leads
  start_node 2
  wait_until 120 "a streaming sync standby" sync_standby_streaming
  say "cluster up: leader node$(leader_node), sync standby streaming"

  for n in 1 2 3; do start_service "$n"; done
  say "3 service replicas ready; setup took $(( $(date +%s) - t_setup )) s"

  # A trusted backend's token: it may act for every user of the drill (valid one hour).
  deploy/dev-token.sh drill-backend likes:act-for-users >"$WORK/token"
}
