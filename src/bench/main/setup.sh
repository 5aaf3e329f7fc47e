# shellcheck shell=bash
# Phase of src/bench/run.sh: the tools, the jar, the JDK for the AOT cache, a private PostgreSQL, and
# the service started against it (time from launch to ready; it migrates the empty database).
missing=""
command -v wrk >/dev/null || missing="$missing wrk"
command -v curl >/dev/null || missing="$missing curl"
private_postgres_bin 2>/dev/null || missing="$missing postgresql-$PG_MAJOR"
if [ -n "$missing" ]; then
  echo "== installing$missing"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null \
    || fail "could not install$missing"
fi
private_postgres_bin || fail "no PostgreSQL $PG_MAJOR"

if [ -z "${BENCH_APP_JAR:-}" ] && [ ! -f "$JAR" ]; then
  echo "== building the service"
  ./mvnw -q package -DskipTests || fail "build"
fi
[ -f "$JAR" ] || fail "no service jar at $JAR"
for port in "$DB_PORT" "$HTTP_PORT" "$MGMT_PORT" "$KAFKA_PORT" $(( KAFKA_PORT + 1 )) 18089 19089; do  # the last two: deploy/aot/cache.sh
  ! port_busy "$port" || fail "port $port is already in use (set BENCH_DB_PORT / BENCH_HTTP_PORT)"
done

# Browsers' tokens: one per user for the per-user workload (wrk/uniform_users.lua).
USER_TOKENS=$work/user-tokens
echo "== minting $USERS_WITH_TOKENS user tokens"
java "$BENCH/tokens/MintUserTokens.java" "$USERS_WITH_TOKENS" >"$USER_TOKENS" || fail "minting the user tokens"
export USER_TOKENS CLICKS_PER_TOKEN THREADS=2

# A JDK 25 or newer for the AOT cache (JEP 483, 514: -XX:AOTCacheOutput); the packaging (aot-jar)
# puts every class on the class path, where the cache can hold it. The newest version wins.
JAVA25=${BENCH_JAVA25:-}
if [ -z "$JAVA25" ]; then
  best=0
  for candidate in /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    v=$("$candidate" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ { print $2 }')
    v=${v%%.*}
    if [ "${v:-0}" -ge 25 ] 2>/dev/null && [ "$v" -gt "$best" ]; then best=$v; JAVA25=$candidate; fi
  done
fi

machine="$(nproc) cores, $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
pg_version=$("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL) /PostgreSQL /')
java_version=$(java -version 2>&1 | head -1)

# Private PostgreSQL. Debian's binaries refuse to run as root, hence runuser. synchronous_commit
# stays on (every acknowledged like is on disk). A large max_wal_size plus quiet_start (lib.sh)
# keeps checkpoints out of the runs, so pgbench and the service see the same.
echo "== starting PostgreSQL ($pg_version) on port $DB_PORT"
private_postgres_start "$work" "$DB_PORT" -c shared_buffers=512MB -c max_connections=200 -c max_wal_size=4GB \
  || fail "starting PostgreSQL"

echo "== starting the service ($JAR) on port $HTTP_PORT"
start_service
ready_s=$(secs_since "$t0")
TOKEN=$(deploy/dev-token.sh bench-backend likes:act-for-users) || fail "minting the backend's token"
export TOKEN
echo "   ready after $ready_s s"
