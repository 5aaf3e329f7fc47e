# shellcheck shell=bash
# Phase of src/bench/run.sh: the targets (issues 16, 17 and 26), each with its figure from this run.
target() { # label figure held(0/1)
  printf "  %-62s %-26s %s\n" "$1" "$2" "$([ "$3" = 1 ] && echo held || echo "NOT held")"
}
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b ? 1 : 0) }'; }
at_most() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b ? 1 : 0) }'; }
x() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
pct() { awk -v on="$1" -v off="$2" 'BEGIN { printf "%.1f", (off - on) * 100 / off }'; }
uniform_x=$(x "${RPS[svc-uniform]}" "${RPS[pg-uniform]}")
hot64_x=$(x "${RPS[svc-hot]}" "${RPS[pg-hot-$CONNS]}")
hotbest_x=$(x "${RPS[svc-hot]}" "${RPS[pg-hot-$best_hot]}")
auth_uniform=$(pct "${RPS[svc-uniform]}" "${RPS[svc-uniform-noauth]}")
auth_hot=$(pct "${RPS[svc-hot]}" "${RPS[svc-hot-noauth]}")
auth_users=$(pct "${RPS[svc-uniform-users]}" "${RPS[svc-uniform-noauth]}")
reads_p99=$(awk -v a="${P99[svc-rw-batch]}" -v b="${P99[svc-rw-rank]}" 'BEGIN { print (a > b ? a : b) }')
start_best=${aot_best:-$ready_s}
echo
echo "targets (authentication on, JVM options: $JAVA_OPTS):"
target "uniform >= 1.5x pgbench" "${uniform_x}x" "$(at_least "$uniform_x" 1.5)"
target "hot item >= 20x pgbench at $CONNS clients" "${hot64_x}x" "$(at_least "$hot64_x" 20)"
target "hot item >= 4x pgbench's best ($best_hot clients)" "${hotbest_x}x" "$(at_least "$hotbest_x" 4)"
target "hot item p99 <= 50 ms" "${P99[svc-hot]} ms" "$(at_most "${P99[svc-hot]}" 50)"
target "a backend token costs <= 10% (uniform; hot item)" "${auth_uniform}%; ${auth_hot}%" \
  "$(( $(at_most "$auth_uniform" 10) * $(at_most "$auth_hot" 10) ))"
echo "  a token per user ($CLICKS_PER_TOKEN clicks each) costs ${auth_users}% of the uniform mix (no target)"
target "start to ready <= 1.0 s (JDK 17: $ready_s s; best with the AOT cache)" "${start_best} s" "$(at_most "$start_best" 1.0)"
target "peak RSS <= 256 MB (VmHWM of the first service)" "$hwm_mb MB" "$(at_most "$hwm_mb" 256)"
events_hot_x=$(x "${RPS[svc-hot-events]}" "${RPS[pg-hot-$CONNS]}")
target "events on: hot item >= 10x pgbench at $CONNS clients" "${events_hot_x}x" "$(at_least "$events_hot_x" 10)"
e2e_max_s=$(awk -v m="$e2e_max" 'BEGIN { printf "%.3f", m / 1000 }')
target "events on: the relay never behind > 1 s (hot item: slowest commit to consumer)" "${e2e_max_s} s" "$(at_most "$e2e_max_s" 1.0)"
target "reads under writes p99 <= 20 ms (batch; rankings)" "${P99[svc-rw-batch]}; ${P99[svc-rw-rank]} ms" "$(at_most "$reads_p99" 20)"
[ "$exact" = PASS ]
