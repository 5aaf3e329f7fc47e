# shellcheck shell=bash
# Phase of src/bench/run.sh, instead of all the others after the seed (BENCH_SOAK): all workloads at
# once, round after round. Flat RSS and no errors are the point, not speed. Hot-item users repeat
# from round to round (each wrk starts its counter anew), so only the global check applies: every
# counter equals its rows. Fails (exit 1) on any error.
soak() {
  local rounds=$(( (SOAK + 59) / 60 )) round key errors=0 wrong missing
  echo "== soak: $rounds rounds of 60 s: 32 uniform + 16 hot-item + 8 batch GET + 8 rankings connections"
  printf "%-6s %7s %9s %9s %9s %9s %8s %9s\n" round "RSS MB" writes/s hot/s batch/s ranks/s non-2xx "p99 max"
  for round in $(seq 1 "$rounds"); do
    wrk_start soak-write 1 32 60 uniform "$url"
    wrk_start soak-hot 1 16 60 hot "$url"
    wrk_start soak-batch 1 8 60 batch "$url"
    wrk_start soak-rank 1 8 60 rankings "$url"
    wrk_wait || fail "wrk exited with an error"
    local bad=0 p99=0
    for key in soak-write soak-hot soak-batch soak-rank; do
      wrk_result "$key" >/dev/null
      bad=$(( bad + $(wrk_field "$key" non2xx) + $(wrk_field "$key" sockerr) ))
      p99=$(awk -v a="$p99" -v b="${P99[$key]}" 'BEGIN { print (b > a ? b : a) }')
    done
    errors=$(( errors + bad ))
    printf "%-6s %7s %9s %9s %9s %9s %8s %9s\n" "$round" \
      "$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$svc_pid/status")" \
      "${RPS[soak-write]}" "${RPS[soak-hot]}" "${RPS[soak-batch]}" "${RPS[soak-rank]}" "$bad" "$p99"
  done
  read -r wrong missing < <(sql -At -F ' ' <<SQL
SELECT (SELECT count(*) FROM like_counts c
        LEFT JOIN (SELECT item_id, count(*) AS n FROM likes GROUP BY item_id) r USING (item_id)
        WHERE c.likes <> coalesce(r.n, 0)),
       (SELECT count(*) FROM (SELECT DISTINCT item_id FROM likes) r
        WHERE NOT EXISTS (SELECT 1 FROM like_counts c WHERE c.item_id = r.item_id));
SQL
)
  echo "soak: $rounds min, errors $errors, peak RSS $(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$svc_pid/status") MB;" \
    "counters differing from their rows: $wrong, items with rows but no counter: $missing"
  [ "$errors" = 0 ] && [ "$wrong" = 0 ] && [ "$missing" = 0 ]
}
soak
