#!/usr/bin/env bash
# Hostile traffic against one replica, as an anonymous user would send it, and what a real user and
# the operator see meanwhile (docs/performance.md, "Hostile traffic"):
#
#   src/bench/hostile/run.sh            churn, then slow clients; prints their figures
#
# A private PostgreSQL (thrown away on exit) and the packaged service in the 512 MiB pod's JVM sizing
# (-XX:MaxRAM=512m -XX:MaxRAMPercentage=50, the serial collector, MALLOC_ARENA_MAX=2), authentication
# off (no token needed for anything the runs send), its production settings otherwise. Then:
#   1. churn: live streams of 100 random ids opened from 64 loopback addresses and dropped as soon as
#      their head arrives, as fast as 64 workers can, for HOSTILE_SECONDS (Churn.java);
#   2. slow clients: HOSTILE_SLOW connections that send a request head a byte every 5 s and never
#      finish it, for 60 s (SlowClients.java).
# During each, a real stream follows one item that gets a like every second, and the readiness
# probe, the heap and the RSS are sampled every second (Probe.java). A run fails when a like is not
# answered 200, a like never reaches the real stream, readiness misses a poll, or a slow client is
# still held at the end; the service log must show no OutOfMemoryError.
#
# Environment (optional): BENCH_APP_JAR (target/quarkus-app/quarkus-run.jar, built when missing),
# HOSTILE_SECONDS (40), HOSTILE_SLOW (5000), HOSTILE_DB_PORT / HOSTILE_HTTP_PORT (15441 / 18091),
# BENCH_KEEP=1 to keep the work directory. Needs root (PostgreSQL runs as the user postgres).
set -euo pipefail
cd "$(dirname "$0")/../../.."
SECONDS_EACH=${HOSTILE_SECONDS:-40}
SLOW=${HOSTILE_SLOW:-5000}
DB_PORT=${HOSTILE_DB_PORT:-15441}
HTTP_PORT=${HOSTILE_HTTP_PORT:-18091}
MGMT_PORT=$(( HTTP_PORT + 1000 ))
work=$(mktemp -d /tmp/likes-hostile.XXXXXX)
# shellcheck source=deploy/private-postgres.sh
. deploy/private-postgres.sh
# shellcheck source=src/bench/lib/common.sh
. src/bench/lib/common.sh

bench_begin   # with room for every slow client's socket, the service's and the load's

javac -d "$work/classes" src/bench/hostile/*.java
private_postgres_start "$work" "$DB_PORT" -c max_connections=200 >/dev/null
start_replica service "$HTTP_PORT" "$DB_PORT" LIKES_AUTH_ENABLED=false
svc_pid=${PID[service]}

url=http://127.0.0.1:$HTTP_PORT
mgmt=http://127.0.0.1:$MGMT_PORT
status=0
echo "== churn: ${SECONDS_EACH} s of live streams opened and dropped at once"
java -cp "$work/classes" Churn "$url" "$mgmt" "$svc_pid" "$SECONDS_EACH" 64 100 64 || status=1
curl -s "$mgmt/q/metrics" | grep -E '^likes_live_(streams|items|pending|followed) ' | tr '\n' ' '; echo
echo "== slow clients: $SLOW connections that send a header byte every 5 s"
java -cp "$work/classes" SlowClients "$url" "$mgmt" "$svc_pid" "$SLOW" 60 5 || status=1
curl -s "$mgmt/q/metrics" | grep -E '^likes_http_slow_clients_total ' || true

ooms=$(grep -c OutOfMemoryError "$work/service.log" || true)  # start_replica's log
echo "service log: $ooms OutOfMemoryError"
[ "$ooms" = 0 ] || status=1
if [ "$status" = 0 ]; then echo "hostile: PASS"; else echo "hostile: FAIL"; fi
exit "$status"
