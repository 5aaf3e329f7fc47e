#!/usr/bin/env bash
# CPU per click: what one like costs the service and PostgreSQL, from /proc (docs/performance.md,
# "CPU per click"):
#
#   src/bench/cpu/run.sh        about 2 minutes; prints requests/s and CPU ms per request, each side
#
# The packaged service as the pod runs it, with authentication and the toggle limits off (what is
# left is the click path itself), against a private, empty PostgreSQL. Two workloads at 64
# connections, each warmed for CPU_WARMUP seconds and then measured for CPU_SECONDS: one hot item
# liked by new users (wrk/hot.lua) and likes and unlikes of random items (wrk/uniform.lua). The CPU
# time (user + system) of the service's process and of every PostgreSQL process over the measured
# seconds, divided by the answered requests. Then two floors, for scale: one item's count served from
# memory (wrk/count.lua: routing and JSON, no database) and a static file (wrk/static.lua: the HTTP
# layer alone).
#
# Environment (optional): BENCH_APP_JAR, CPU_SECONDS (20), CPU_WARMUP (10), CPU_WORKLOADS (the
# workloads to run, of "hot uniform count static"), CPU_DB_PORT /
# CPU_HTTP_PORT (15461 / 18111), CPU_JFR=1 (the service records a JFR profile of the measured runs,
# kept with the work directory), BENCH_KEEP=1. Needs root (PostgreSQL runs as postgres).
set -euo pipefail
cd "$(dirname "$0")/../../.."
S=${CPU_SECONDS:-20}
WARM=${CPU_WARMUP:-10}
DB_PORT=${CPU_DB_PORT:-15461}
PORT=${CPU_HTTP_PORT:-18111}
url=http://127.0.0.1:$PORT
work=$(mktemp -d /tmp/likes-cpu.XXXXXX)
# shellcheck source=deploy/private-postgres.sh
. deploy/private-postgres.sh
# shellcheck source=src/bench/lib/common.sh
. src/bench/lib/common.sh

bench_begin

private_postgres_start "$work" "$DB_PORT" -c max_connections=100 -c shared_buffers=256MB >/dev/null

OPEN=(LIKES_AUTH_ENABLED=false LIKES_LIMIT_CHANGES_PER_ITEM=0 LIKES_LIMIT_CHANGES_PER_USER=0 LIKES_LIMIT_WRITES_PER_USER=0)
[ "${CPU_JFR:-0}" != 1 ] || { BENCH_KEEP=1; OPEN+=(JAVA_TOOL_OPTIONS="-XX:StartFlightRecording=filename=$work/clicks.jfr,settings=profile,dumponexit=true"); }
start_replica a "$PORT" "$DB_PORT" "${OPEN[@]}"
tick=$(getconf CLK_TCK)

echo "workload   req/s   service ms CPU/request   PostgreSQL ms CPU/request"
for workload in ${CPU_WORKLOADS:-hot uniform count static}; do
  wrk_start "warm-$workload" 2 64 "$WARM" "$workload" "$url" && wrk_wait
  service_before=$(cpu_ticks "${PID[a]}")
  pg_before=$(pg_cpu_ticks "$work/pg")
  wrk_start "$workload" 2 64 "$S" "$workload" "$url" && wrk_wait
  service_after=$(cpu_ticks "${PID[a]}")
  pg_after=$(pg_cpu_ticks "$work/pg")
  wrk_result "$workload" >/dev/null
  clicks=$(( $(wrk_field "$workload" requests) - ${BAD[$workload]%%+*} ))
  [ "$clicks" -gt 0 ] || { echo "no request answered in $workload" >&2; exit 1; }
  awk -v w="$workload" -v rps="${RPS[$workload]}" -v s="$((service_after - service_before))" \
      -v p="$((pg_after - pg_before))" -v n="$clicks" -v t="$tick" -v bad="${BAD[$workload]}" \
      'BEGIN { printf "%-9s %6d   %22.3f   %25.3f   (non-2xx %s)\n", w, rps, s * 1000 / t / n, p * 1000 / t / n, bad }'
done
