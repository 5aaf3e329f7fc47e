#!/usr/bin/env bash
# Start to ready with an AOT cache, in parts (docs/performance.md, "Start to ready"):
#
#   src/bench/start/run.sh        about 2 minutes; prints each start's time to ready, its peak RSS
#                                 and Quarkus' steps of 30 ms or more
#
# A private PostgreSQL migrated by a first start, an AOT cache written by deploy/aot/cache.sh's
# training run, then START_RUNS starts (3) with the cache of each kind: migrations at start (the
# default), and migrations as a step of their own (LIKES_MIGRATE_AT_START=false, as with the
# Kubernetes Job). The packaged service as the pod runs it (deploy/run-service.sh, the 512 MiB
# pod's JVM options), authentication off; ready when /q/health/ready answers 200, polled every
# 20 ms from the launch; the peak RSS is the process's VmHWM at that moment, the CPU time is the
# process's so far, split into the main thread's (the threads named "java": the launcher's and
# main, which runs every start step) and the JIT compilers' (C1 and C2), which share the cores with
# it. Quarkus prints its steps' times (quarkus.debug.print-startup-times; printing them costs the
# main thread about 3% of its CPU); the time before its first step is the JVM's and Quarkus'
# bootstrap.
#
# Environment (optional): BENCH_APP_JAR, START_JAVA (the newest JDK 25+ under /usr/lib/jvm),
# START_RUNS (3), START_DB_PORT / START_HTTP_PORT (15481 / 18141), BENCH_KEEP=1. Needs root.
set -euo pipefail
cd "$(dirname "$0")/../../.."
RUNS=${START_RUNS:-3}
DB_PORT=${START_DB_PORT:-15481}
PORT=${START_HTTP_PORT:-18141}
JAVA25=${START_JAVA:-$(for j in $(ls -d /usr/lib/jvm/*/bin/java | sort -rV); do "$j" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])' && { echo "$j"; break; }; done)}
[ -n "$JAVA25" ] || { echo "no JDK 25+ under /usr/lib/jvm (START_JAVA)" >&2; exit 1; }
JVM_OPTS="-XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC"
work=$(mktemp -d /tmp/likes-start.XXXXXX)
# shellcheck source=deploy/private-postgres.sh
. deploy/private-postgres.sh
# shellcheck source=src/bench/lib/common.sh
. src/bench/lib/common.sh

bench_begin
private_postgres_start "$work" "$DB_PORT" >/dev/null
JAVA=$JAVA25 JAVA_OPTS=$JVM_OPTS start_replica migrate "$PORT" "$DB_PORT" LIKES_AUTH_ENABLED=false
stop_replica migrate
JAVA=$JAVA25 JAVA_OPTS=$JVM_OPTS AOT_APP_DIR="$(dirname "$JAR")" AOT_HTTP_PORT="$PORT" LIKES_DB_HOST=127.0.0.1 LIKES_DB_PORT="$DB_PORT" \
  deploy/aot/cache.sh "$work/app.aot" || { echo "the AOT cache's training run failed" >&2; exit 1; }

start() { # label [VARIABLE=value...]: one start with the cache; prints its time to ready and its parts
  local label=$1 log launch ready first pid
  shift
  log="$work/start-$(( ++n )).log"
  launch=$(date +%s%N)
  JAVA=$JAVA25 JAVA_OPTS=$JVM_OPTS JAVA_EXTRA="-XX:AOTCache=$work/app.aot -Dquarkus.debug.print-startup-times=true" \
    APP_JAR=$JAR deploy/run-service.sh "$PORT" "$DB_PORT" LIKES_AUTH_ENABLED=false "$@" >"$log" 2>&1 &
  pid=$!
  PID[start]=$pid
  until curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$(( PORT + 1000 ))/q/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { echo "the service exited during start; see $log" >&2; exit 1; }
    sleep 0.02
  done
  ready=$(( ($(date +%s%N) - launch) / 1000000 ))
  first=$(date -d "$(grep -m1 -E '^[0-9-]+ [0-9:,]+ Build step' "$log" | awk '{ print $1 " " $2 }' | tr , .)" +%s%3N)
  echo "   $label: ready $ready ms after launch, peak RSS $(awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$pid/status") MB; before Quarkus' first step $(( first - launch / 1000000 )) ms"
  echo "      CPU by then $(( $(cpu_ticks "$pid") * tick_ms )) ms: the main thread $(( $(threads_ticks "$pid" '^java$') * tick_ms )) ms, the JIT compilers $(( $(jit_ticks "$pid") * tick_ms )) ms; Quarkus' steps of 30 ms or more:"
  grep -E 'Build step .* completed in: [0-9]+ms$' "$log" | awk '{ ms = $NF; sub(/ms$/, "", ms); if (ms + 0 >= 30) printf "      %5d ms  %s\n", ms, $(NF - 3) }' | sort -rn
  stop_replica start
}

tick_ms=$(( 1000 / $(getconf CLK_TCK) ))
n=0
echo "== start to ready with an AOT cache ($("$JAVA25" -version 2>&1 | head -1); $(du -m "$work/app.aot" | cut -f1) MB cache)"
for _ in $(seq "$RUNS"); do start "migrations at start"; done
for _ in $(seq "$RUNS"); do start "migrations a step of their own" LIKES_MIGRATE_AT_START=false; done
