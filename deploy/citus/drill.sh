#!/usr/bin/env bash
# The likes service on a Citus cluster, on one machine, in one command (docs/citus.md):
#
#   Citus 13.2 (built into PostgreSQL 15 when missing) -> under Patroni's Citus mode (etcd), a
#   coordinator group and 2 worker groups, each a primary and a synchronous standby; HAProxy in front
#   of the coordinator's primary; a Kafka broker -> the packaged service against it, like events on
#   (its migrations distribute the tables) -> checks:
#     1  the concurrency scenarios (CitusScenarios.java): many users on one item, double clicks,
#        racing likes and unlikes, clicks over many items, rankings of all time and of the hour
#     2  window aging: likes of two hours ago leave the hour, not the day, on every shard group
#     3  SIGKILL of worker group 1's primary (Patroni and postmaster) under write load (deploy/load's
#        DrillLoad, as in the HA drill): Patroni promotes the standby and re-registers the group;
#        writes back within 15 s, every 503 with Retry-After, none lost or doubled; then the old
#        primary rejoins as the standby
#     8  the same for the coordinator group's primary (run after 3)
#     4  a third worker group added and the shards rebalanced (citus_rebalance_start) while clicks arrive
#     5  drift: the service's own recount (dry run) and deploy/exactness.sql over every item
#     6  the hot ranking: its pages against a recount from the rows, before and after a re-base that
#        the leader walks through every shard group
#     7  lifecycle under write load: a user's 10,000 likes erased (50 of them on the load's items),
#        an item's 100,000 removed, a user suspended and reinstated; times, exactness, drift (run
#        before 5, which then covers it)
#     9  the toggle limits across workers: one user's 130 likes over every shard group, 120 changes
#        and 10 refusals; a repeat at the limit answered; 10 toggles of one item, then 429 (before 5)
#    12  an import of 100,000 likes (CITUS_IMPORTED) with their times, under write load: the report,
#        the rows, exactness and the closing drift check; likes per minute (before 5)
#    10  like events: the topic read back (EventCheck.java) for the items of checks 3, 4, 7 and 8:
#        each item's events in order, walking its count step by step to its rows (last of the checks)
#   -> figures: the same wrk workloads (src/bench/wrk) against the service on one plain PostgreSQL
#      (reading the database: no reads from memory) and on the cluster (reads from memory on, the
#      default), in this run; the workers' CPU time per click; pgbench's like on the cluster alone,
#      with the limits' allowance taken first, and with its event recorded
#   -> check 11: EventsTest (the default test run's checks of events, with its own broker) against the
#      cluster (after the figures: no other service may lead meanwhile)
#   The last line is "N passed, M failed"; exits non-zero when one failed. Its parts: cluster.sh
#   (the nodes under Patroni, the service), checks.sh (1, 2, 5, 6), faults.sh (3, 8, 4),
#   lifecycle.sh (7), limits.sh (9), imports.sh (12), events.sh (the broker, 10, 11), figures.sh,
#   and the drills' helpers deploy/drill-lib.sh.
#
#   deploy/citus/drill.sh                          # about 20 minutes on 2 cores
#   CITUS_KEEP=1 CITUS_SECONDS=30 deploy/citus/drill.sh
#
# Ports, all on 127.0.0.1: the coordinator (HAProxy) 29700, the nodes 29740-29747 (Patroni's REST
# APIs 30740-30747), etcd 29750-29751, Kafka 29760-29761, plain PostgreSQL 29710, the service 28281
# (management 29281).
#
# Environment (all optional):
#   CITUS_APP_DIR     the packaged service (default target/quarkus-app, built when missing)
#   CITUS_SOURCE_DIR  where Citus' source archive and build.sh are (default ../shared/vendor/citus)
#   CITUS_SECONDS     seconds per measured workload (default 15)
#   CITUS_ERASED, CITUS_REMOVED  the likes check 7 erases and removes (default 10000, 100000)
#   CITUS_IMPORTED    the likes check 12 imports (default 100000)
#   CITUS_KEEP=1      keep the work directory (/tmp/likes-citus.XXXXXX: data, every log)
#
# Needs root (PostgreSQL runs as the postgres user), and apt for what is missing.
set -euo pipefail
APP_DIR=${CITUS_APP_DIR:+$(realpath -m "$CITUS_APP_DIR")}
cd "$(dirname "$0")/../.."
ROOT=$PWD
APP_DIR=${APP_DIR:-$ROOT/target/quarkus-app}
CITUS_SRC=${CITUS_SOURCE_DIR:-$ROOT/../shared/vendor/citus}
SECONDS_EACH=${CITUS_SECONDS:-15}
COORD=29700                    # HAProxy: the coordinator group's primary (cluster.sh has each node's port)
ETCD_PORT=29750
ETCD_PEER_PORT=29751
PLAIN=29710
SVC=28281
MGMT=$(( SVC + 1000 ))
URL=http://127.0.0.1:$SVC

DRILL="citus drill"

# shellcheck source=deploy/private-postgres.sh
. deploy/private-postgres.sh
# shellcheck source=deploy/drill-lib.sh
. deploy/drill-lib.sh
# shellcheck source=src/bench/lib/common.sh
. src/bench/lib/common.sh   # wrk_run, pg_cpu_ticks (figures.sh)
for part in cluster checks faults lifecycle limits imports events; do
  # shellcheck source=/dev/null
  . "deploy/citus/$part.sh"
done

need_root
install_missing "/usr/lib/postgresql/$PG_MAJOR/bin/postgres=postgresql-$PG_MAJOR" wrk jq curl javac=openjdk-17-jdk-headless \
  patroni etcd=etcd-server haproxy dpkg:python3-etcd
if [ ! -f "/usr/lib/postgresql/$PG_MAJOR/lib/citus.so" ]; then
  [ -x "$CITUS_SRC/build.sh" ] || [ -f "$CITUS_SRC/build.sh" ] || fail "Citus is not installed and $CITUS_SRC/build.sh is missing (CITUS_SOURCE_DIR)"
  say "building Citus from $CITUS_SRC (about 2 minutes)"
  PG_MAJOR=$PG_MAJOR bash "$CITUS_SRC/build.sh"
fi
app_dir_ready "$APP_DIR" CITUS_APP_DIR
ports_free $COORD $ETCD_PORT $ETCD_PEER_PORT $PLAIN $SVC $MGMT $KAFKA_PORT $(( KAFKA_PORT + 1 )) "${PORT[@]}" $(for p in "${PORT[@]}"; do echo $(( p + 1000 )); done)

WORK=$(mktemp -d /tmp/likes-citus.XXXXXX)
work=$WORK   # common.sh's wrk output goes there too
chmod 755 "$WORK"
mkdir "$WORK/log"
svc_pid=""
trap cleanup EXIT
trap 'exit 130' INT TERM
compile_load

say "work directory $WORK; service from $APP_DIR"
cluster_up
events_up
deploy/dev-token.sh drill-backend likes:act-for-users >"$WORK/token"
deploy/dev-token.sh drill-admin likes:admin >"$WORK/admin-token"

# Windows age every 2 s here, so that check 2 sees the leader's job at work; events on throughout.
start_service $COORD LIKES_WINDOWS_AGING_INTERVAL=2s KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT
grep -q '"Citus: the likes are distributed' "$WORK/log/service-$COORD.log" || fail "the service did not see the Citus cluster"
say "service ready on the coordinator: $(sql $COORD -c "SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'likes'::regclass") shards per table"

check_scenarios
check_aging
check_worker_kill
check_coordinator_kill
check_rebalance
check_lifecycle
check_limits
check_import
check_drift
check_hot
check_events
stop_service

# shellcheck source=deploy/citus/figures.sh
. deploy/citus/figures.sh
check_events_test

echo
printf '%s\n' "${ROWS[@]}"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
