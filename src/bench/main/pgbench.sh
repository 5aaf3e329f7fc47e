# shellcheck shell=bash
# Phase of src/bench/run.sh: pgbench on the service's click statements (pgbench/*.sql), prepared,
# one per transaction: the uniform mix, and one hot item at 1, 8, 16 and $CONNS clients.
echo "== pgbench uniform like/unlike, $CONNS clients, $DURATION s"
pgbench_run pg-uniform "$CONNS" "$DURATION" -f "$BENCH/pgbench/like.sql@1" -f "$BENCH/pgbench/unlike.sql@1"
echo "== pgbench hot item, 1/8/16/$CONNS clients, $HOT_DURATION s each"
for c in 1 8 16 "$CONNS"; do
  pgbench_run "pg-hot-$c" "$c" "$HOT_DURATION" -f "$BENCH/pgbench/like_hot.sql"
done
