# shellcheck shell=bash
# Helpers shared by the benchmark's scripts (src/bench/reads/run.sh, src/bench/hostile/run.sh).
# Source it after setting: work (a scratch directory). Then:
#
#   start_replica NAME PORT DB_PORT [VARIABLE=value...]
#        the packaged service ($JAR) as the pod runs it (-XX:MaxRAM=512m -XX:MaxRAMPercentage=50,
#        the serial collector, MALLOC_ARENA_MAX=2), on PORT, its management interface on PORT+1000,
#        against the private PostgreSQL on DB_PORT, authentication on with the published dev key
#        (or as the variables say); waits until it is ready; its pid in PID[NAME], log in $work/NAME.log
#   stop_replica NAME
#   wrk_run KEY THREADS CONNECTIONS SECONDS SCRIPT URL [VARIABLE=value...]
#        wrk with src/bench/wrk/SCRIPT.lua in the foreground; its figures in RPS[KEY], P99[KEY], BAD[KEY]
#   wrk_start ...  the same in the background (wrk_wait waits for all, then wrk_result KEY reads each)
#   cpu_ticks PID            CPU time (user + system, clock ticks) of a process so far
#   pg_cpu_ticks DATA_DIR    the same for a PostgreSQL server: its postmaster, every live child, and
#                            the children that have exited (the postmaster's cutime and cstime)

BENCH_DIR=${BENCH_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
JAR=${BENCH_APP_JAR:-target/quarkus-app/quarkus-run.jar}
declare -A PID RPS P99 BAD
bg_pids=()

start_replica() {
  local name=$1 port=$2 db_port=$3
  shift 3
  env LIKES_DB_HOST=127.0.0.1 LIKES_DB_PORT="$db_port" LIKES_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_MANAGEMENT_PORT=$(( port + 1000 )) QUARKUS_MANAGEMENT_HOST=127.0.0.1 LIKES_SHUTDOWN_DELAY=0s \
    LIKES_JWT_PUBLIC_KEY_LOCATION="$PWD/deploy/dev-keys/public.pem" LIKES_JWT_ISSUER=likes-dev \
    LIKES_AUTH_INSECURE_TRUST_PUBLISHED_DEV_KEY=true MALLOC_ARENA_MAX=2 "$@" \
    java -XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC -jar "$JAR" >"$work/$name.log" 2>&1 &
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
  P99[$key]=$(awk -v v="$(wrk_field "$key" p99_us)" 'BEGIN { printf "%.1f", v / 1000 }')
  BAD[$key]=$(wrk_field "$key" non2xx)
  [ "$sock" = 0 ] || BAD[$key]="${BAD[$key]}+${sock}sock"
  printf "   %-26s %8s req/s  p99 %6s ms  non-2xx %s\n" "$key" "${RPS[$key]}" "${P99[$key]}" "${BAD[$key]}"
}

wrk_run() {
  wrk_start "$@" && wrk_wait && wrk_result "$1"
}

cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

pg_cpu_ticks() {
  local postmaster total child
  postmaster=$(head -1 "$1/postmaster.pid")
  total=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$postmaster/stat")
  for child in $(pgrep -P "$postmaster"); do
    total=$(( total + $(cpu_ticks "$child" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}
