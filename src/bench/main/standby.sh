# shellcheck shell=bash
# Phase of src/bench/run.sh. Public reads on a streaming standby (LIKES_DB_READ_HOST): a base backup
# of the seeded database, replaying the primary's WAL; the same reads, alone and under writes,
# served by it. Then the exactness check again.
echo "== a streaming standby on port $STANDBY_PORT (pg_basebackup), and the service reading from it"
stop_service
t0=$(now_ns)
runuser -u postgres -- "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$DB_PORT" -U likes -D "$work/standby" -R -X stream \
  -c fast >/dev/null || fail "pg_basebackup"
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/standby" -l "$work/standby.log" -w -o "-p $STANDBY_PORT -k $work \
  -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_connections=200" start >/dev/null || fail "standby start"
echo "   standby streaming after $(secs_since "$t0") s"
start_service LIKES_DB_READ_HOST=127.0.0.1 LIKES_DB_READ_PORT="$STANDBY_PORT"
wrk_start warm-standby-batch 1 8 "$WARMUP" batch "$url"
wrk_start warm-standby-rank 1 8 "$WARMUP" rankings "$url"
wrk_wait || fail "wrk exited with an error"
quiet_start
wrk_start svc-r-batch-sb 1 8 "$HOT_DURATION" batch "$url"
wrk_start svc-r-rank-sb 1 8 "$HOT_DURATION" rankings "$url"
wrk_wait || fail "wrk exited with an error"
for key in svc-r-batch-sb svc-r-rank-sb; do wrk_result "$key"; done
quiet_start
wrk_start svc-rw-write-sb 2 "$CONNS" "$DURATION" uniform "$url"
wrk_start svc-rw-batch-sb 1 8 "$DURATION" batch "$url"
wrk_start svc-rw-rank-sb 1 8 "$DURATION" rankings "$url"
wrk_wait || fail "wrk exited with an error"
for key in svc-rw-batch-sb svc-rw-rank-sb svc-rw-write-sb; do wrk_result "$key"; done
standby_reads=$(curl -s "$mgmt/q/metrics" | awk '/^likes_reads_total\{server="standby"/ { printf "%.0f", $2 }')
primary_reads=$(curl -s "$mgmt/q/metrics" | awk '/^likes_reads_total\{server="primary"/ { printf "%.0f", $2 }')
standby_lag=$(curl -s "$mgmt/q/metrics" | awk '/^likes_read_replica_lag_seconds / { print $2 }')
echo "   public reads answered by the standby $standby_reads, by the primary $primary_reads; lag now $standby_lag s"

echo "== checking counts again"
check_counts || exact=FAIL
