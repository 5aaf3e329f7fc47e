# shellcheck shell=bash
# Part of deploy/citus/drill.sh: the cluster (every node a private PostgreSQL with Citus loaded;
# logical WAL for shard moves that do not block writes), the service against it, psql, cleanup.
sql() {  # PORT SQL...: one value per line
  local port=$1
  shift
  psql -h 127.0.0.1 -p "$port" -U likes -d likes -XAtq -v ON_ERROR_STOP=1 "$@"
}

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

cluster_up() {  # the coordinator and the first two workers
  for port in $COORD "${WORKERS[0]}" "${WORKERS[1]}"; do start_node "$port"; done
  sql $COORD -c "SELECT citus_set_coordinator_host('127.0.0.1', $COORD)" \
    -c "SELECT citus_add_node('127.0.0.1', ${WORKERS[0]})" -c "SELECT citus_add_node('127.0.0.1', ${WORKERS[1]})" >/dev/null
  say "Citus $(sql $COORD -c "SELECT extversion FROM pg_extension WHERE extname = 'citus'"): coordinator $COORD, workers ${WORKERS[0]} and ${WORKERS[1]}"
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
