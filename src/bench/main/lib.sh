# shellcheck shell=bash
# The helpers of src/bench/run.sh's phases (src/bench/main/*.sh), on top of src/bench/lib/common.sh
# (start_replica, wrk_start/wrk_wait/wrk_result, cpu_ticks): the run's failure and cleanup, the
# service (started and stopped as "service"), psql and pgbench on the private PostgreSQL, the
# exactness checks, and a fresh service's A/B runs.
fail() {
  echo "FAIL: $*" >&2
  [ -f "$work/service.log" ] && { echo "-- service log (tail):" >&2; tail -15 "$work/service.log" >&2; }
  [ -f "$work/pg.log" ] && { echo "-- PostgreSQL log (tail):" >&2; tail -15 "$work/pg.log" >&2; }
  exit 1
}

cleanup() {
  set +e
  for pid in "${bg_pids[@]}" $sampler_pid $kafka_pid $latency_pid $age_pid; do kill "$pid" 2>/dev/null; done
  stop_replica service
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

sql() { "$PG_BIN/psql" -h 127.0.0.1 -p "$DB_PORT" -U likes -d likes -X -q -v ON_ERROR_STOP=1 "$@"; }

# The service, with authentication on as in production: it trusts the dev key, and wrk's writes
# and users' likes reads carry a token of a backend in likes:act-for-users (wrk/report.lua).
# Ready = /q/health/ready answers 200, polled every 50 ms from launch (t0); by then Flyway has
# created the schema. Each start logs its GC pauses and safepoints to $work/jvm-N.log.
JAVA_OPTS=${BENCH_JAVA_OPTS:--XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC}
starts=0
start_service() { # [VARIABLE=value...]: the service with these settings on top; waits until ready
  t0=$(now_ns)
  starts=$(( starts + 1 ))
  JAVA_EXTRA="${JAVA_EXTRA:-} -Xlog:gc,safepoint:file=$work/jvm-$starts.log:uptime,level,tags:filecount=0" \
    start_replica service "$HTTP_PORT" "$DB_PORT" "$@" || fail "the service did not start"
  svc_pid=${PID[service]}
}
stop_service() { stop_replica service; }

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

# Exactness. (a) every counter equals its item's rows and no item has rows without a counter;
# (w) every window count equals the buckets that window counts, and every bucket its minute's rows
# (these hold in any snapshot, even while the aging job is half-way through a pass); (b) each of
# wrk's hot items: counter = rows, and acknowledged <= counter <= acknowledged + slack, where
# slack = connections (requests in flight when wrk stopped may land without an answer) + broken
# reads/writes (a request lost with its connection may have landed too).
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
  hot_acked=$(( $(wrk_field "$1" requests) - $(wrk_field "$1" non2xx) ))
  hot_slack=$(( CONNS + $(wrk_field "$1" read_write_err) ))
  [ "$hot_counter" = "$hot_rows" ] && [ "$hot_counter" -ge "$hot_acked" ] && [ "$hot_counter" -le $(( hot_acked + hot_slack )) ]
}

# The same writes on a fresh service with other settings (its own hot item, so that every like is
# new there too): what a feature costs, A against B.
again_with() { # name hot-item label VARIABLE=value...: a fresh service so set, warmed; its uniform and hot item runs
  # (the functions named by before_hot and after_hot, when set, run around the hot item's)
  local name=$1 hot=$2 label=$3
  shift 3
  echo "== the service again with $label: uniform and hot item, $CONNS connections, $DURATION s each"
  stop_service
  start_service "$@"
  wrk_start "warm-$name" 1 32 "$WARMUP" uniform "$url"
  wrk_wait || fail "wrk exited with an error"
  quiet_start
  wrk_start "svc-uniform-$name" 2 "$CONNS" "$DURATION" uniform "$url"
  wrk_wait || fail "wrk exited with an error"
  wrk_result "svc-uniform-$name"
  quiet_start
  export HOT_ITEM=$hot
  [ -z "${before_hot:-}" ] || "$before_hot"
  wrk_start "svc-hot-$name" 2 "$CONNS" "$DURATION" hot "$url"
  wrk_wait || fail "wrk exited with an error"
  [ -z "${after_hot:-}" ] || "$after_hot"
  unset HOT_ITEM
  wrk_result "svc-hot-$name"
  check_hot "svc-hot-$name" "$hot" || exact=FAIL
  hot_report="$hot_report; hot item $hot ($label): counter $hot_counter, rows $hot_rows, 2xx PUTs $hot_acked"
}
