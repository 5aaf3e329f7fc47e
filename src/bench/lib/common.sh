# shellcheck shell=bash
# Helpers shared by the benchmark's scripts (src/bench/run.sh and its phases, src/bench/reads/run.sh,
# src/bench/hostile/run.sh, src/bench/cpu/run.sh).
# Source it after setting: work (a scratch directory). Then:
#
#   start_replica NAME PORT DB_PORT [VARIABLE=value...]
#        the packaged service ($JAR) as deploy/run-service.sh runs it (as the pod does; $JAVA,
#        $JAVA_OPTS and $JAVA_EXTRA as it says), on PORT, its management interface on PORT+1000,
#        against the private PostgreSQL on DB_PORT; waits until it is ready; its pid in PID[NAME],
#        its output appended to $work/NAME.log
#   stop_replica NAME
#   wrk_run KEY THREADS CONNECTIONS SECONDS SCRIPT URL [VARIABLE=value...]
#        wrk with src/bench/wrk/SCRIPT.lua in the foreground; its figures in RPS[KEY], P50[KEY],
#        P99[KEY] (ms), BAD[KEY] (non-2xx, and socket errors as "+Nsock")
#   wrk_start ...  the same in the background (wrk_wait waits for all, then wrk_result KEY reads each);
#                  wrk_field KEY NAME: one figure of the "bench k=v ..." line (src/bench/wrk/report.lua)
#   bench_begin              a benchmark's start: bench_cleanup on exit, wrk installed and the jar
#                            built when missing, as many open files as the machine allows
#   bench_cleanup            kills what wrk_start started, stops every replica and the private
#                            PostgreSQL in $work, deletes $work unless BENCH_KEEP=1
#   cpu_ticks PID            CPU time (user + system, clock ticks) of a process so far
#   threads_ticks PID REGEX  the same for the process's threads whose names match REGEX
#   jit_ticks PID            the same for a JVM's JIT compiler threads (C1 and C2)
#   pg_cpu_ticks DATA_DIR    the same for a PostgreSQL server: its postmaster, every live child, and
#                            the children that have exited (the postmaster's cutime and cstime)

BENCH_DIR=${BENCH_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
JAR=${BENCH_APP_JAR:-target/quarkus-app/quarkus-run.jar}
declare -A PID RPS P50 P99 BAD
bg_pids=()

start_replica() {
  local name=$1 port=$2 db_port=$3
  shift 3
  JAVA=${JAVA:-java} JAVA_OPTS=${JAVA_OPTS:-} JAVA_EXTRA=${JAVA_EXTRA:-} APP_JAR=$JAR \
    deploy/run-service.sh "$port" "$db_port" "$@" >>"$work/$name.log" 2>&1 &
  PID[$name]=$!
  local t=0
  until curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$(( port + 1000 ))/q/health/ready"; do
    kill -0 "${PID[$name]}" 2>/dev/null || { echo "replica $name exited during start; see $work/$name.log" >&2; return 1; }
    t=$(( t + 1 )); [ $t -lt 1200 ] || { echo "replica $name not ready within 60 s" >&2; return 1; }
    sleep 0.05
  done
}

stop_replica() {
  local pid=${PID[$1]:-}
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  unset "PID[$1]"
}

wrk_start() { # key threads connections seconds script url [VARIABLE=value...]
  local key=$1 threads=$2 conns=$3 secs=$4 script=$5 url=$6
  shift 6
  (cd "$BENCH_DIR/wrk" && exec env "$@" wrk -t "$threads" -c "$conns" -d "${secs}s" --timeout 10s --latency -s "$script.lua" "$url") \
    >"$work/wrk-$key.out" 2>&1 &
  bg_pids+=($!)
}

wrk_wait() {
  local pid
  for pid in "${bg_pids[@]}"; do wait "$pid" || { echo "wrk exited with an error" >&2; return 1; }; done
  bg_pids=()
}

wrk_field() { # key name: a value from the "bench k=v ..." line of that wrk run (src/bench/wrk/report.lua)
  awk -v k="$2" '$1 == "bench" { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$work/wrk-$1.out"
}

wrk_result() { # key: reads the figures of a finished wrk run, and prints them on a line
  local key=$1 requests duration sock
  requests=$(wrk_field "$key" requests)
  [ -n "$requests" ] || { echo "no result from wrk $key: $(tail -3 "$work/wrk-$key.out")" >&2; return 1; }
  duration=$(wrk_field "$key" duration_us)
  sock=$(wrk_field "$key" sockerr)
  RPS[$key]=$(awk -v n="$requests" -v d="$duration" 'BEGIN { printf "%.0f", n / (d / 1e6) }')
  P50[$key]=$(awk -v v="$(wrk_field "$key" p50_us)" 'BEGIN { printf "%.2f", v / 1000 }')
  P99[$key]=$(awk -v v="$(wrk_field "$key" p99_us)" 'BEGIN { printf "%.2f", v / 1000 }')
  BAD[$key]=$(wrk_field "$key" non2xx)
  [ "$sock" = 0 ] || BAD[$key]="${BAD[$key]}+${sock}sock"
  printf "   %-26s %8s req/s  p50 %6s ms  p99 %6s ms  non-2xx %s\n" "$key" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "${BAD[$key]}"
}

wrk_run() {
  wrk_start "$@" && wrk_wait && wrk_result "$1"
}

bench_begin() {
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
  [ -f "$JAR" ] || ./mvnw -q package -DskipTests
  ulimit -n "$(ulimit -Hn)"
}

bench_cleanup() {
  set +e
  local pid name
  for pid in "${bg_pids[@]}"; do kill "$pid" 2>/dev/null; done
  for name in "${!PID[@]}"; do stop_replica "$name"; done
  private_postgres_stop "$work"
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}

cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

threads_ticks() { # PID PATTERN: the CPU time of the process's threads whose names match PATTERN
  local task total=0
  for task in /proc/"$1"/task/*; do
    grep -qE "$2" "$task/comm" 2>/dev/null && total=$(( total + $(cpu_ticks "${task#/proc/}" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}

jit_ticks() { threads_ticks "$1" '^C[12] Compiler'; }

pg_cpu_ticks() {
  local postmaster total child
  postmaster=$(head -1 "$1/postmaster.pid")
  total=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$postmaster/stat")
  for child in $(pgrep -P "$postmaster"); do
    total=$(( total + $(cpu_ticks "$child" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}
