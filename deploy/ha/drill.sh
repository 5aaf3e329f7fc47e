#!/usr/bin/env bash
# A one-command local high-availability drill of the likes service, on one machine:
#
#   etcd (one member) -> two PostgreSQL 15 nodes under Patroni (synchronous replication, failsafe
#   mode, pg_rewind) -> HAProxy (PostgreSQL write and read ports, a round-robin frontend) -> three
#   replicas of the packaged service -> four drills, each under load from DrillLoad.java (64 writers
#   that know the exact final state they should leave, 4 readers):
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

fail() { echo "drill: $*" >&2; exit 1; }
say() { echo "$(date +%T) $*"; }

[ "$(id -u)" = 0 ] || fail "needs root (PostgreSQL and Patroni run as postgres via runuser)"
for d in $DRILLS; do [[ $d =~ ^[1-4]$ ]] || fail "HA_DRILLS: drills are numbered 1 to 4; got '$d'"; done

# ---------------------------------------------------------------------------------------------
# Packages and the application
# ---------------------------------------------------------------------------------------------
install_missing() {
  local missing=()
  command -v patroni >/dev/null || missing+=(patroni)
  dpkg -s python3-etcd >/dev/null 2>&1 || missing+=(python3-etcd)   # Patroni's etcd3 client
  command -v etcd >/dev/null || missing+=(etcd-server)
  command -v haproxy >/dev/null || missing+=(haproxy)
  { dpkg -s postgresql-15 >/dev/null 2>&1 && [ -x "$PG_BIN/postgres" ]; } || missing+=(postgresql-15)
  command -v jq >/dev/null || missing+=(jq)
  command -v curl >/dev/null || missing+=(curl)
  command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)  # java File.java needs a JDK
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
install_missing

if [ ! -f "$APP_DIR/quarkus-run.jar" ]; then
  [ -z "${HA_APP_DIR:-}" ] || fail "HA_APP_DIR=$HA_APP_DIR has no quarkus-run.jar"
  say "building the service (./mvnw -q package -DskipTests)"
  ./mvnw -q package -DskipTests
fi

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in $ETCD_PORT $ETCD_PEER_PORT "${PG_PORTS[@]}" "${API_PORTS[@]}" $PG_WRITE_PORT $PG_READ_PORT \
    $FRONT_PORT "${SVC_PORTS[@]}" $(for p in "${SVC_PORTS[@]}"; do echo $(( p + MGMT_OFFSET )); done); do
  ! port_busy "$port" || fail "port $port is already in use; stop what listens there first"
done

# ---------------------------------------------------------------------------------------------
# Work directory and processes. Every daemon runs in a session of its own (setsid), so that its
# whole process group can be signalled; PIDS maps a name to that group's leader.
# ---------------------------------------------------------------------------------------------
declare -A PIDS=()
finished=0
WORK=$(mktemp -d /tmp/likes-ha.XXXXXX)
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 755 "$WORK"                       # the postgres user reads its configuration here
mkdir "$WORK/log"
install -d -o postgres -g postgres -m 700 "$WORK/pg"

start_bg() {  # NAME COMMAND...: output appended to log/NAME.log
  local name=$1
  shift
  setsid "$@" >>"$WORK/log/$name.log" 2>&1 </dev/null &
  PIDS[$name]=$!
}

# Stops the named processes together: SIGTERM, up to 20 s, then SIGKILL to their groups. runuser
# would SIGKILL its child 2 s after a SIGTERM, so Patroni itself (runuser's child) gets the
# signal and may shut PostgreSQL down cleanly.
stop_bg() {
  local name pid alive
  for name in "$@"; do
    pid=${PIDS[$name]:-}
    [ -n "$pid" ] || continue
    if [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = runuser ]; then
      pkill -TERM -P "$pid" 2>/dev/null || true
    else
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for _ in $(seq 200); do
    alive=0
    for name in "$@"; do
      pid=${PIDS[$name]:-}
      if [ -n "$pid" ] && kill -0 -- "-$pid" 2>/dev/null; then alive=1; fi
    done
    [ $alive = 1 ] || break
    sleep 0.1
  done
  for name in "$@"; do
    pid=${PIDS[$name]:-}
    [ -n "$pid" ] || continue
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "PIDS[$name]"
  done
}

# PostgreSQL runs in a session of its own (Patroni detaches it), so a Patroni that died leaves it.
stop_postmaster() {  # NODE
  local pidfile=$WORK/pg/node$1/postmaster.pid pid
  [ -f "$pidfile" ] || return 0
  pid=$(head -n 1 "$pidfile")
  [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = postgres ] || return 0
  kill -QUIT "$pid" 2>/dev/null || true   # immediate shutdown
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  local loads=() name
  for name in "${!PIDS[@]}"; do [[ $name == load-* ]] && loads+=("$name"); done
  stop_bg "${loads[@]}" svc1 svc2 svc3
  [ -f "$WORK/haproxy.pid" ] && kill "$(cat "$WORK/haproxy.pid")" 2>/dev/null
  stop_bg node1 node2
  stop_postmaster 1
  stop_postmaster 2
  stop_bg etcd
  if [ "${HA_KEEP:-0}" = 1 ]; then
    echo "work directory kept: $WORK"
  else
    [ "$status" = 0 ] || [ $finished = 1 ] || echo "drill: aborted; HA_KEEP=1 keeps the logs ($WORK/log)" >&2
    rm -rf "$WORK"
  fi
}

# shellcheck source=deploy/wait-until.sh
. deploy/wait-until.sh   # wait_until SECONDS WHAT COMMAND...

# Fills in @KEY@ fields: render TEMPLATE OUTPUT KEY=VALUE...
render() {
  local template=$1 out=$2 script=() kv
  shift 2
  for kv in "$@"; do script+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
  sed "${script[@]}" "$template" >"$out"
  ! grep -n '@[A-Z0-9_]*@' "$out" || fail "$out: unfilled fields"
}

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" || true; }

# ---------------------------------------------------------------------------------------------
# The cluster: etcd, Patroni nodes, HAProxy, service replicas
# ---------------------------------------------------------------------------------------------
start_etcd() {
  start_bg etcd etcd --name etcd1 --data-dir "$WORK/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "etcd1=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state new --initial-cluster-token likes-ha
  wait_until 30 "etcd" etcd_up
}
etcd_up() { curl -sf --max-time 1 "http://127.0.0.1:$ETCD_PORT/health" | grep -q '"health":"true"'; }

start_node() {  # 1 or 2
  local n=$1
  render "$HA/patroni.yml.in" "$WORK/node$n.yml" NAME="node$n" WORK="$WORK" ETCD_PORT=$ETCD_PORT \
    PG_PORT="${PG_PORTS[n-1]}" API_PORT="${API_PORTS[n-1]}"
  start_bg "node$n" runuser -u postgres -- patroni "$WORK/node$n.yml"
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
  start_bg "svc$n" env LIKES_HTTP_PORT="$port" QUARKUS_MANAGEMENT_PORT=$(( port + MGMT_OFFSET )) QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
    LIKES_DB_HOST=127.0.0.1 LIKES_DB_PORT=$PG_WRITE_PORT \
    LIKES_DB_READ_HOST=127.0.0.1 LIKES_DB_READ_PORT=$PG_READ_PORT \
    LIKES_SHUTDOWN_DELAY=0s \
    LIKES_JWT_ISSUER=likes-dev LIKES_JWT_PUBLIC_KEY_LOCATION="$ROOT/deploy/dev-keys/public.pem" \
    LIKES_AUTH_INSECURE_TRUST_PUBLISHED_DEV_KEY=true MALLOC_ARENA_MAX=2 \
    QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING=true QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED=true \
    QUARKUS_HTTP_PROXY_TRUSTED_PROXIES=127.0.0.1 \
    java -XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC -jar "$APP_DIR/quarkus-run.jar"
  wait_until 90 "service replica $n on port $port" service_ready "$port"
}
service_ready() { [ "$(http_code "http://127.0.0.1:$(( $1 + MGMT_OFFSET ))/q/health/ready")" = 200 ]; }
services_ready() { local p; for p in "${SVC_PORTS[@]}"; do service_ready "$p" || return 1; done; }

cluster_healthy() { etcd_up && leader_node >/dev/null && services_ready && sync_standby_streaming; }

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

# ---------------------------------------------------------------------------------------------
# Drills
# ---------------------------------------------------------------------------------------------
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

# Counts, for the drill's items: expected likes missing (lost), likes not expected (doubled or
# resurrected), items whose counter differs from their rows (drift), and items whose window
# counts differ from their buckets or whose buckets differ from their rows (window drift).
exactness() {  # NAMESPACE EXPECTED_FILE -> "lost doubled drift window_drift"
  psql_ likes likes -F ' ' -v prefix="$1-i" -f "$ROOT/deploy/exactness.sql" <"$2"
}

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
  start_bg "load-$ns" java "$HA/DrillLoad.java" url="http://127.0.0.1:$FRONT_PORT" token="$WORK/token" \
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
  if counts=$(exactness "$ns" "$expected"); then
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
