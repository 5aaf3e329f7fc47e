# shellcheck shell=bash
# Phase of src/bench/run.sh. Start to ready in parts (the JDK's and Quarkus' steps, from Quarkus'
# own timings), then with an AOT cache: a training run on the JDK 25+ (deploy/aot/cache.sh), then
# one start without the cache and three with it. Then the JVM pauses of the first service.
start_parts() { # label [VARIABLE=value...]: a start (JDK 17) that prints Quarkus' step timings, read from its log
  local label=$1 from first_ms launch_ms ready_ms
  shift
  stop_service
  from=$(( $(wc -l <"$work/service.log") + 1 ))
  JAVA_EXTRA="-Dquarkus.debug.print-startup-times=true" start_service "$@"
  ready_ms=$(( ($(now_ns) - t0) / 1000000 ))
  launch_ms=$(( t0 / 1000000 ))
  tail -n +"$from" "$work/service.log" | grep -E '^[0-9-]+ [0-9:,]+ Build step .* completed in: [0-9]+ms$' >"$work/steps-$label.txt" \
    || fail "no step timings in the service's log"
  first_ms=$(date -d "$(head -1 "$work/steps-$label.txt" | awk '{ print $1 " " $2 }' | tr , .)" +%s%3N)
  echo "   $label: ready $ready_ms ms after launch; the JVM and Quarkus' bootstrap until its first step $(( first_ms - launch_ms )) ms;"
  awk '{ ms = $NF; sub(/ms$/, "", ms); ms += 0; step = $(NF - 3); all += ms; n++
         if (ms >= 50) { big[step] = ms } else { rest += ms; small++ } }
       END { printf "     its %d steps %d ms in all; %d under 50 ms each: %d ms; the others:\n", n, all, small, rest; fflush()
             for (s in big) printf "       %5d ms  %s\n", big[s], s | "sort -rn" }' "$work/steps-$label.txt"
}

echo "== start to ready in parts (JDK 17; Quarkus' own step timings, quarkus.debug.print-startup-times)"
start_parts "migrations at start (the schema current)"
start_parts "migrations a step of their own (LIKES_MIGRATE_AT_START=false)" LIKES_MIGRATE_AT_START=false

aot_ready=""
if [ -n "$JAVA25" ]; then
  echo "== start to ready with an AOT cache ($("$JAVA25" -version 2>&1 | head -1)): a training run, then 3 starts"
  stop_service
  # shellcheck disable=SC2086  # JAVA_OPTS is a list of options
  JAVA=$JAVA25 JAVA_OPTS="$JAVA_OPTS" AOT_APP_DIR="$(dirname "$JAR")" LIKES_DB_HOST=127.0.0.1 LIKES_DB_PORT="$DB_PORT" \
    deploy/aot/cache.sh "$work/app.aot" || fail "the AOT cache's training run"
  JAVA=$JAVA25 start_service
  ready25_s=$(secs_since "$t0")
  stop_service
  for _ in 1 2 3; do
    JAVA=$JAVA25 JAVA_EXTRA="-XX:AOTCache=$work/app.aot" start_service
    aot_ready="$aot_ready $(secs_since "$t0")"
    stop_service
  done
  aot_best=$(echo "$aot_ready" | tr ' ' '\n' | sed '/^$/d' | sort -n | head -1)
  echo "   JDK 25+ without the cache $ready25_s s; with it:$aot_ready s ($(du -m "$work/app.aot" | cut -f1) MB cache)"
fi

# JVM pauses of the first service (all the main workloads): the longest GC pause and safepoint.
read -r gc_pauses gc_max_ms sp_max_ms < <(awk '
  /\[gc *\]/ && /Pause/ { n++; ms = $NF; sub(/ms$/, "", ms); if (ms + 0 > g) g = ms + 0 }
  /\[safepoint *\]/ { for (i = 1; i < NF; i++) if ($i == "Total:") { t = $(i + 1) / 1e6; if (t > s) s = t } }
  END { printf "%d %.1f %.1f\n", n, g, s }' "$work/jvm-1.log")
