#!/usr/bin/env bash
# Benchmarks the likes service over HTTP (wrk) against the same SQL sent straight to PostgreSQL
# (pgbench), on one machine, and checks afterwards that no like was lost or counted twice.
#
#   src/bench/run.sh                 prints one table at the end
#
# Its phases, in order, each a file of src/bench/main/ (their helpers: main/lib.sh, lib/common.sh):
#   setup.sh      tools, the jar, a private PostgreSQL (fresh, thrown away on exit), the service
#                 started against it (time from launch to ready)
#   seed.sh       1,000,000 items with 10,000,000 likes over 8 days
#   plans.sh      EXPLAIN ANALYZE of the read statements (none may scan a table)
#   pgbench.sh    the service's statements: uniform like/unlike at 64 clients, one hot item at 1/8/16/64
#   service.sh    wrk on the service: reads alone, the uniform mix (a backend's token; a token per
#                 user), one hot item, reads under writes, rankings and users' likes under writes;
#                 the exactness check (counts, window counts, buckets, the hot item's acknowledged likes)
#   lifecycle.sh  a user's 10,000 likes erased and an item's 100,000 removed under writes; the
#                 who-liked index's cost to pgbench
#   variants.sh   the same writes with the toggle limits off, then authentication off
#   events.sh     a Kafka broker, the same writes with like events off, then on (the outbox's cost,
#                 the relay's pace and lag, latency to a consumer)
#   standby.sh    a streaming standby and the service's public reads on it; the exactness check again
#   start.sh      start to ready in parts (Quarkus' step timings), and with a JDK 25 AOT cache
#   report.sh     the table;  targets.sh  each target with its figure, held or NOT held
#   (soak.sh instead of all after seed.sh with BENCH_SOAK)
# The service's peak RSS is sampled every second while wrk runs.
#
# Environment (all optional):
#   BENCH_APP_JAR     the service jar (default target/quarkus-app/quarkus-run.jar, built with
#                     ./mvnw -q package -DskipTests when missing)
#   BENCH_DURATION    seconds per workload (default 20; pgbench hot runs half of it per client count)
#   BENCH_WARMUP      seconds of unmeasured load on the service before the first measurement (10)
#   BENCH_JAVA_OPTS   JVM options for the service (default: as in the container with the
#                     Kubernetes memory limit, 512 MiB: -XX:MaxRAM=512m -XX:MaxRAMPercentage=50
#                     -XX:+UseSerialGC, and MALLOC_ARENA_MAX=2); GC pauses and safepoints are
#                     logged to the work directory
#   BENCH_JAVA25      a JDK 25+ for the AOT cache start (default: the newest under /usr/lib/jvm
#                     whose java says 25 or newer; none: that step is skipped)
#   BENCH_DB_PORT / BENCH_HTTP_PORT / BENCH_KAFKA_PORT   private ports (15433 / 18081 / 19092;
#                     the broker's controller takes the next one)
#   BENCH_KEEP=1      keep the work directory (logs, wrk and pgbench output) instead of deleting it
#   BENCH_SOAK=600    soak instead: that many seconds of mixed load (writes, a hot item, reads) in
#                     60 s rounds, printing RSS, throughput and errors per round, then the exactness
#                     check; no pgbench, no table
#
# Needs root (PostgreSQL runs as the postgres user via runuser) and apt when wrk or PostgreSQL is
# missing. Exits non-zero when the exactness check fails. Ids are numeric strings on both sides:
# items "1".."1000000" are seeded, uniform writes go to "1".."100000" with users "1".."1000000",
# pgbench's hot item is "2000001", wrk's "2000002" (and 2000003 to 2000006 for the later A/B runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH=$PWD/src/bench

DURATION=${BENCH_DURATION:-20}
SOAK=${BENCH_SOAK:-}
HOT_DURATION=$(( DURATION >= 2 ? DURATION / 2 : 1 ))
LIFECYCLE_SECONDS=${BENCH_LIFECYCLE_SECONDS:-40}
WARMUP=${BENCH_WARMUP:-10}
DB_PORT=${BENCH_DB_PORT:-15433}
HTTP_PORT=${BENCH_HTTP_PORT:-18081}
MGMT_PORT=$(( HTTP_PORT + 1000 ))  # the service's health and metrics (its management interface)
JAR=${BENCH_APP_JAR:-target/quarkus-app/quarkus-run.jar}
CONNS=64             # clients (pgbench) and connections (wrk) of the main workloads
HOT_PGBENCH=2000001  # must match pgbench/like_hot.sql
HOT_WRK=2000002      # wrk/hot.lua's default
HOT_WRK_NO_LIMITS=2000003
HOT_WRK_NO_AUTH=2000004
HOT_WRK_EVENTS_OFF=2000005
HOT_WRK_EVENTS=2000006
KAFKA_PORT=${BENCH_KAFKA_PORT:-19092}
USERS_WITH_TOKENS=20000
CLICKS_PER_TOKEN=4
STANDBY_PORT=$(( DB_PORT + 1 ))
url=http://127.0.0.1:$HTTP_PORT
mgmt=http://127.0.0.1:$MGMT_PORT

work=$(mktemp -d /tmp/likes-bench.XXXXXX)
# shellcheck source=deploy/private-postgres.sh
. deploy/private-postgres.sh
PG_BIN=""
svc_pid=""
sampler_pid=""
kafka_pid=""
latency_pid=""
age_pid=""
bg_pids=()

# shellcheck source=src/bench/lib/common.sh
. "$BENCH/lib/common.sh"
# shellcheck source=src/bench/main/lib.sh
. "$BENCH/main/lib.sh"

phases=(setup seed)
if [ -n "$SOAK" ]; then
  phases+=(soak)
else
  phases+=(plans pgbench service lifecycle variants events standby start report targets)
fi
for phase in "${phases[@]}"; do
  # shellcheck source=/dev/null
  . "$BENCH/main/$phase.sh"
done
