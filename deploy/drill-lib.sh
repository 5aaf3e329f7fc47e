# shellcheck shell=bash
# Shared by the drills (deploy/ha/, deploy/citus/). Set DRILL (its name, for messages) and WORK (its
# work directory, with a log/ directory) before using what needs them; then:
#
#   say MESSAGE...                       a line, with the time
#   fail MESSAGE...                      says what went wrong, exits 1
#   wait_until SECONDS WHAT COMMAND...   runs COMMAND every 0.5 s until it succeeds; after SECONDS
#                                        seconds, says it timed out waiting for WHAT and fails
#   need_root
#   install_missing WHAT[=PACKAGE]...    apt-installs each PACKAGE (default: WHAT) whose WHAT is
#                                        missing: a command on the PATH, a file (/...), or an
#                                        installed package (dpkg:NAME)
#   app_dir_ready DIR OVERRIDE           DIR has quarkus-run.jar: built with Maven when DIR is this
#                                        repository's target/quarkus-app, an error when OVERRIDE
#                                        (the variable that named DIR) is set
#   ports_free PORT...                   fails when something listens on one of them
#   http_code CURL_ARGS...               the HTTP status of a request (000: no answer), 2 s at most
#   start_bg NAME COMMAND...             COMMAND in a session of its own (its whole process group can
#                                        be signalled), output appended to $WORK/log/NAME.log; its
#                                        pid in PIDS[NAME]
#   stop_bg NAME...                      SIGTERM to each, up to 20 s for all, then SIGKILL to their groups
#   compile_load                         compiles the drills' load (deploy/load) into $WORK/load: run
#                                        it with java -cp "$WORK/load" DrillLoad ARGS...
#   render TEMPLATE OUTPUT KEY=VALUE...  fills in TEMPLATE's @KEY@ fields; fails on one left unfilled
#   start_etcd, etcd_up                  one etcd on $ETCD_PORT (peers: $ETCD_PEER_PORT), data in $WORK/etcd
#   patroni_start NAME PG_PORT API_PORT KEY=VALUE...
#                                        a Patroni node (deploy/ha/patroni.yml.in with the KEYs: SCOPE,
#                                        SUPERUSER, MAX_CONNECTIONS) as the postgres user, its data in
#                                        $WORK/pg/NAME, its YAML $WORK/NAME.yml; PIDS[NAME]. A YAML
#                                        section in $PATRONI_MORE is added (Citus' group)
#   stop_postmaster DATA_DIR             an immediate shutdown of the PostgreSQL there, if it runs
#                                        (Patroni detaches PostgreSQL: a Patroni that died leaves it)
#   exactness PREFIX EXPECTED PSQL...    deploy/exactness.sql run by PSQL (a psql command with its
#                                        connection, -XAtq) for the items whose id starts with
#                                        PREFIX and the like rows in the CSV file EXPECTED (/dev/null:
#                                        none): "lost doubled drift window_drift"; when something
#                                        differs, its first rows go to stderr (the drill's log)
declare -A PIDS=()

say() { echo "$(date +%T) $*"; }
fail() { echo "${DRILL:-drill}: $*" >&2; exit 1; }

wait_until() {
  local end=$(( $(date +%s) + $1 )) what=$2
  shift 2
  until "$@"; do
    [ "$(date +%s)" -lt "$end" ] || { echo "timed out waiting for $what" >&2; return 1; }
    sleep 0.5
  done
}

need_root() { [ "$(id -u)" = 0 ] || fail "needs root (PostgreSQL runs as the postgres user via runuser)"; }

install_missing() {
  local spec what package missing=()
  for spec in "$@"; do
    what=${spec%%=*}
    package=${spec#*=}
    # Without "=", the package is named as the check is (dpkg:NAME: the package NAME).
    [[ $spec == *=* ]] || package=${what#dpkg:}
    case $what in
      /*) [ -e "$what" ] || missing+=("$package") ;;
      dpkg:*) dpkg -s "${what#dpkg:}" >/dev/null 2>&1 || missing+=("$package") ;;
      *) command -v "$what" >/dev/null || missing+=("$package") ;;
    esac
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
      || fail "could not install ${missing[*]}"
  fi
}

app_dir_ready() {
  [ ! -f "$1/quarkus-run.jar" ] || return 0
  [ -z "${!2:-}" ] || fail "$2=${!2} has no quarkus-run.jar"
  say "building the service (./mvnw -q package -DskipTests)"
  ./mvnw -q package -DskipTests || fail "the build failed"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ports_free() {
  local port
  for port in "$@"; do
    ! port_busy "$port" || fail "port $port is already in use; stop what listens there first"
  done
}

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" || true; }

start_bg() {
  local name=$1
  shift
  setsid "$@" >>"$WORK/log/$name.log" 2>&1 </dev/null &
  PIDS[$name]=$!
}

# runuser would SIGKILL its child 2 s after a SIGTERM, so a runuser's child (Patroni) gets the
# signal itself and may shut PostgreSQL down cleanly.
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

compile_load() {
  javac -d "$WORK/load" deploy/load/*.java || fail "compiling deploy/load"
}

render() {
  local template=$1 out=$2 script=() kv
  shift 2
  for kv in "$@"; do script+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
  sed "${script[@]}" "$template" >"$out"
  ! grep -n '@[A-Z0-9_]*@' "$out" || fail "$out: unfilled fields"
}

# etcd's data on tmpfs (the same directory when it starts again): a drill shares one disk with every
# PostgreSQL server, and an etcd that does not answer for longer than Patroni's ttl (10 s) has every
# primary demoted at once (in one Citus drill run etcd did not answer for 16 s, with the disk busy
# and the machine short of memory, and every group's primary stepped down). In production etcd gets
# a disk of its own.
start_etcd() {
  ETCD_DATA=${ETCD_DATA:-$(mktemp -d /dev/shm/likes-etcd.XXXXXX)}
  start_bg etcd etcd --name etcd1 --data-dir "$ETCD_DATA" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "etcd1=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state new --initial-cluster-token likes-drill
  wait_until 30 "etcd" etcd_up
}
stop_etcd() { stop_bg etcd; [ -z "${ETCD_DATA:-}" ] || rm -rf "$ETCD_DATA"; }
etcd_up() { curl -sf --max-time 1 "http://127.0.0.1:$ETCD_PORT/health" | grep -q '"health":"true"'; }

patroni_start() {
  local name=$1 pg_port=$2 api_port=$3
  shift 3
  mkdir -p "$WORK/pg" && chown postgres "$WORK/pg"
  render "$ROOT/deploy/ha/patroni.yml.in" "$WORK/$name.yml" NAME="$name" WORK="$WORK" ETCD_PORT="$ETCD_PORT" \
    PG_PORT="$pg_port" API_PORT="$api_port" "$@"
  [ -z "${PATRONI_MORE:-}" ] || printf '%s\n' "$PATRONI_MORE" >>"$WORK/$name.yml"
  start_bg "$name" runuser -u postgres -- patroni "$WORK/$name.yml"
}

stop_postmaster() {
  local pidfile=$1/postmaster.pid pid
  [ -f "$pidfile" ] || return 0
  pid=$(head -n 1 "$pidfile")
  [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = postgres ] || return 0
  kill -QUIT "$pid" 2>/dev/null || true   # immediate shutdown
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

exactness() {
  local prefix=$1 expected=$2 details status=0
  shift 2
  details=$(mktemp "$WORK/log/exactness.XXXXXX")
  "$@" -F ' ' -v prefix="$prefix" -v details="$details" -f "$(dirname "${BASH_SOURCE[0]}")/exactness.sql" <"$expected" || status=$?
  if [ -s "$details" ]; then
    echo "$(date +%T) what differs (deploy/exactness.sql, the items ${prefix:-of every id}*):" >&2
    cat "$details" >&2
  fi
  rm -f "$details"
  return $status
}
