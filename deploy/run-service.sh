#!/usr/bin/env bash
# Runs the packaged service in the foreground as the pod runs it, for the benchmarks and the drills
# (src/bench, deploy/ha, deploy/citus):
#
#   deploy/run-service.sh PORT DB_PORT [VARIABLE=value...]
#
# on 127.0.0.1:PORT, its management interface (health, metrics) on PORT+1000, against the
# PostgreSQL at 127.0.0.1:DB_PORT, authentication on with the published dev key (deploy/dev-keys),
# no shutdown delay; the variables go on top. From the environment: APP_JAR (default
# target/quarkus-app/quarkus-run.jar), JAVA (java), JAVA_OPTS (the 512 MiB pod's: -XX:MaxRAM=512m
# -XX:MaxRAMPercentage=50 -XX:+UseSerialGC) and JAVA_EXTRA (options added to those).
set -euo pipefail
port=$1 db_port=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC2086  # JAVA_OPTS and JAVA_EXTRA are lists of options
exec env LIKES_DB_HOST=127.0.0.1 LIKES_DB_PORT="$db_port" LIKES_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 \
  QUARKUS_MANAGEMENT_PORT=$(( port + 1000 )) QUARKUS_MANAGEMENT_HOST=127.0.0.1 LIKES_SHUTDOWN_DELAY=0s \
  LIKES_JWT_ISSUER=likes-dev LIKES_JWT_PUBLIC_KEY_LOCATION="$root/deploy/dev-keys/public.pem" \
  LIKES_AUTH_INSECURE_TRUST_PUBLISHED_DEV_KEY=true MALLOC_ARENA_MAX=2 "$@" \
  "${JAVA:-java}" ${JAVA_OPTS:--XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC} ${JAVA_EXTRA:-} \
  -jar "${APP_JAR:-$root/target/quarkus-app/quarkus-run.jar}"
