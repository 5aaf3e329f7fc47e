#!/usr/bin/env bash
# Writes an AOT cache for the packaged service (JDK 25+: JEP 483, 514): a training run starts the
# service against your PostgreSQL, sends it a few hundred likes, unlikes and reads, and stops it;
# the JVM writes the classes it loaded and linked (and, on JDK 25, their profiles) into the cache
# as it exits. A service started with -XX:AOTCache=<cache> on the same JDK and the same jar is
# ready sooner (docs/performance.md, "Start to ready").
#
#   LIKES_DB_HOST=127.0.0.1 LIKES_DB_PORT=5432 JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java \
#     deploy/aot/cache.sh [CACHE]           # default CACHE: target/app.aot
#
# For the container, copy it into the build context (target/quarkus-app/app.aot) only when the
# image's BASE is the same JDK: the image starts with the cache whenever it has one, and a JDK 17
# does not know the option.
#
# The service must be packaged as aot-jar (the default here: every class on the class path, where
# the cache can hold it). The training run listens on 127.0.0.1:$AOT_HTTP_PORT (18089; health on
# that port + 1000) with
# authentication off, and writes likes of items "aot-training-*" (unliked again before it stops).
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE=${1:-target/app.aot}
JAVA=${JAVA:-java}
PORT=${AOT_HTTP_PORT:-18089}
MGMT_PORT=$(( PORT + 1000 ))
APP=${AOT_APP_DIR:-target/quarkus-app}
url=http://127.0.0.1:$PORT
[ -f "$APP/quarkus-run.jar" ] || { echo "no $APP/quarkus-run.jar: ./mvnw package first" >&2; exit 1; }
rm -f "$CACHE"

# shellcheck disable=SC2086  # JAVA_OPTS is a list of options
LIKES_AUTH_ENABLED=false LIKES_HTTP_PORT=$PORT QUARKUS_HTTP_HOST=127.0.0.1 LIKES_SHUTDOWN_DELAY=0s \
  QUARKUS_MANAGEMENT_PORT=$MGMT_PORT QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
  "$JAVA" ${JAVA_OPTS:-} -XX:AOTCacheOutput="$CACHE" -jar "$APP/quarkus-run.jar" >"${CACHE}.log" 2>&1 &
pid=$!
trap 'kill -9 "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1200); do
  curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$MGMT_PORT/q/health/ready" && break
  kill -0 "$pid" 2>/dev/null || { echo "the training run exited; see ${CACHE}.log" >&2; exit 1; }
  sleep 0.05
done
for i in $(seq 200); do
  item=aot-training-$(( i % 20 ))
  curl -sf -o /dev/null -X PUT "$url/v1/items/$item/likes/user-$i"
  curl -sf -o /dev/null "$url/v1/items?ids=$item,aot-training-1,aot-training-2&userId=user-$i"
  curl -sf -o /dev/null "$url/v1/rankings?limit=10"
  curl -sf -o /dev/null -X DELETE "$url/v1/items/$item/likes/user-$i"
  curl -sf -o /dev/null "$url/v1/items/$item"
done
kill "$pid"
for _ in $(seq 1200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
trap - EXIT
wait "$pid" 2>/dev/null || true
[ -s "$CACHE" ] || { echo "no cache written; see ${CACHE}.log" >&2; exit 1; }
echo "AOT cache $CACHE ($(du -m "$CACHE" | cut -f1) MB)"
