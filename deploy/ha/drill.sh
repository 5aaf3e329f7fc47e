#!/usr/bin/env bash
# A one-command local high-availability drill of the likes service, on one machine:
#
#   etcd (one member) -> two PostgreSQL 15 nodes under Patroni (synchronous replication, failsafe
#   mode, pg_rewind) -> HAProxy (PostgreSQL write and read ports, a round-robin frontend) -> three
#   replicas of the packaged service -> four drills, each under load from deploy/load's DrillLoad
#   (64 writers that know the exact final state they should leave, 4 readers):
#     1  planned switchover (patronictl switchover)
#     2  SIGKILL of the primary's postmaster (Patroni restarts it or fails over)
#     3  SIGKILL of one service replica (started again after ~5 s)
#     4  SIGKILL of the etcd member (started again after ~10 s)
#   After each drill the database is checked against the load's expected state: likes lost,
#   likes that should not exist, counters and trending-window counts that differ from their rows.
#   A table at the end; the last line is "N passed, M failed"; exits non-zero when one failed.
#
#   deploy/ha/drill.sh                                   # all four, about 5 minutes
#   HA_DRILLS=2,4 HA_KEEP=1 deploy/ha/drill.sh           # a subset, keeping the logs
#
# A drill passes with no like lost or doubled, no counter or window drift, no 500, every 503 with
# Retry-After (the service's, not the proxy's), every public read answered, no request hanging
# 10 s or more, and (switchover, primary kill) writes back within 15 s.
#
# Ports, all on 127.0.0.1 (the drill refuses to start when one is busy):
#   etcd client 22379, peer 22380; PostgreSQL 25432 (node1), 25433 (node2); Patroni REST 28008,
#   28009; HAProxy: PostgreSQL writes 25000 (the leader), reads 25001 (any running node), the
#   service 28080 -> replicas 28081, 28082, 28083.
#
# Environment (all optional):
#   HA_APP_DIR   the packaged service (the directory with quarkus-run.jar); default
#                target/quarkus-app of this repository, built with ./mvnw -q package -DskipTests
#                when missing
#   HA_DRILLS    which drills to run, in order, by number: e.g. "2", "1,3" or "2,2,2" (default:
#                1,2,3,4); each run gets ids of its own
#   HA_KEEP=1    keep the work directory (/tmp/likes-ha.XXXXXX: configuration, data, every log)
#
# Needs root: it installs what is missing with apt (patroni, etcd-server, haproxy, postgresql-15,
# python3-etcd, jq, curl, a JDK), and runs PostgreSQL and Patroni as the postgres user. On 2 cores
# it takes about 5 minutes: under a minute to set up, 40 to 90 s per drill (load at most 90 s,
# then the check), a few seconds to stop. Everything it started is stopped on exit.
#
# Its parts: cluster.sh (the cluster, cluster_up, cleanup), drills.sh (the faults, run_drill), the
# load (deploy/load, DrillLoad and its parts), and the drills' shared helpers deploy/drill-lib.sh.
set -euo pipefail
APP_DIR=${HA_APP_DIR:+$(realpath -m "$HA_APP_DIR")}   # relative to where the drill is started
cd "$(dirname "$0")/../.."
ROOT=$PWD
HA=$ROOT/deploy/ha

PG_BIN=/usr/lib/postgresql/15/bin
ETCD_PORT=22379
ETCD_PEER_PORT=22380
PG_PORTS=(25432 25433)     # node1, node2
API_PORTS=(28008 28009)    # Patroni REST of node1, node2
PG_WRITE_PORT=25000
PG_READ_PORT=25001
FRONT_PORT=28080
SVC_PORTS=(28081 28082 28083)
MGMT_OFFSET=1000     # each replica's health and metrics (management interface): its port + 1000
ITEMS=50                   # items per drill (DrillLoad's default); users: 2000
DRILL_NAMES=([1]="switchover" [2]="primary SIGKILL" [3]="replica SIGKILL" [4]="etcd SIGKILL")
DRILLS=$(tr ',' ' ' <<<"${HA_DRILLS:-1,2,3,4}")
DRILL_CAP=90               # seconds of load per drill at most
OUTAGE_LIMIT=15            # seconds without a successful write, for the switchover and primary kill

APP_DIR=${APP_DIR:-$ROOT/target/quarkus-app}

DRILL=drill

# shellcheck source=deploy/drill-lib.sh
. deploy/drill-lib.sh
# shellcheck source=deploy/ha/cluster.sh
. "$HA/cluster.sh"
# shellcheck source=deploy/ha/drills.sh
. "$HA/drills.sh"

need_root
for d in $DRILLS; do [[ $d =~ ^[1-4]$ ]] || fail "HA_DRILLS: drills are numbered 1 to 4; got '$d'"; done
install_missing patroni dpkg:python3-etcd etcd=etcd-server haproxy "$PG_BIN/postgres=postgresql-15" jq curl \
  javac=openjdk-17-jdk-headless   # python3-etcd: Patroni's etcd3 client; javac: java File.java needs a JDK
app_dir_ready "$APP_DIR" HA_APP_DIR
ports_free $ETCD_PORT $ETCD_PEER_PORT "${PG_PORTS[@]}" "${API_PORTS[@]}" $PG_WRITE_PORT $PG_READ_PORT \
  $FRONT_PORT "${SVC_PORTS[@]}" $(for p in "${SVC_PORTS[@]}"; do echo $(( p + MGMT_OFFSET )); done)

# The work directory. Every daemon runs in a session of its own (start_bg), so that its whole
# process group can be signalled.
finished=0
WORK=$(mktemp -d /tmp/likes-ha.XXXXXX)
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 755 "$WORK"                       # the postgres user reads its configuration here
mkdir "$WORK/log"
install -d -o postgres -g postgres -m 700 "$WORK/pg"
compile_load

cluster_up

t_drills=$(date +%s)
for d in $DRILLS; do run_drill "$d"; done

finished=1
echo
printf '%-2s %-16s %8s %5s %7s %5s %6s %5s %5s %5s %7s %13s  %s\n' "#" drill acked lost doubled drift wdrift \
  500s 503s hangs outage reads_failed result
printf '%s\n' "${ROWS[@]}"
echo "(outage: the longest time in seconds without a successful write; drills took $(( $(date +%s) - t_drills )) s)"
echo "targets: lost, doubled, drift, wdrift, 500s, hangs 0; every 503 with Retry-After; every public read answered;" \
  "outage <= $OUTAGE_LIMIT s for the switchover and the primary kill"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

