# shellcheck shell=bash
# Part of deploy/citus/drill.sh: check 12, an import on the shards (imports/ShardGroupLoads,
# V12__citus_imports.sql) under the drills' write load: a CSV of CITUS_IMPORTED likes over 10,000
# items of their own, item by item as a table's export by item would be (every tenth line given
# twice; times spread over the last 10 days), read by
# deploy/import.sh against the coordinator. Its report (likes loaded, duplicates, the closing drift
# check), the rows, the windows' and hot scores' exactness, the load's, and the import's rate.
IMPORTED=${CITUS_IMPORTED:-100000}

import_under_load() {  # run_load's fault
  local t0
  t0=$(date +%s.%N)
  IMPORT_STATUS=0
  LIKES_DB_HOST=127.0.0.1 LIKES_DB_PORT=$COORD LIKES_DB_NAME=likes LIKES_DB_USER=likes LIKES_DB_PASSWORD=likes \
    APP_JAR="$APP_DIR/quarkus-run.jar" deploy/import.sh --csv "$WORK/import.csv" --name drill-import \
    >"$WORK/log/import.log" 2>&1 || IMPORT_STATUS=$?
  IMPORT_S=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  say "import: exit $IMPORT_STATUS in $IMPORT_S s; $(grep -E '^import .*: read|^drift check' "$WORK/log/import.log" | tr '\n' ' ')"
}

check_import() {  # 12
  local why=() report drift_line rows drift wdrift
  say "check 12: an import of $IMPORTED likes (and $(( IMPORTED / 10 )) given twice) under write load"
  sql $COORD -c "COPY (SELECT 'mu-' || (g / 10000) AS user_id, 'm-' || (g % 10000) AS item_id,
                              date_trunc('second', now()) - (g % 14400) * interval '1 minute' AS created_at
                       FROM generate_series(1, $IMPORTED) g, generate_series(1, 2) twice
                       WHERE twice = 1 OR g % 10 = 0 ORDER BY g % 10000, g, twice) TO STDOUT (FORMAT csv, HEADER)" >"$WORK/import.csv"
  run_load c12 import_under_load
  exact_reasons
  report=$(grep -E '^import .*: read' "$WORK/log/import.log" | tail -n 1 | tr -d ',' || true)
  drift_line=$(grep -E '^drift check' "$WORK/log/import.log" | tail -n 1 || true)
  rows=$(sql $COORD -c "SELECT count(*) FROM likes WHERE item_id LIKE 'm-%'")
  read -r _ _ drift wdrift < <(exactness m- /dev/null sql $COORD)
  [ "$IMPORT_STATUS" = 0 ] || why+=("the import exited $IMPORT_STATUS")
  [[ "$report" == *"loaded $IMPORTED duplicates $(( IMPORTED / 10 )) barred 0 bad 0"* ]] || why+=("report: $report")
  [ "$rows" = "$IMPORTED" ] || why+=("$rows like rows of $IMPORTED")
  [[ "$drift_line" == *" 0 drifted"* ]] || why+=("$drift_line")
  [ "$drift/$wdrift" = 0/0 ] || why+=("drift $drift, window drift $wdrift")
  verdict "import" "$IMPORTED likes (+$(( IMPORTED / 10 )) duplicates) in $IMPORT_S s: $(awk -v n="$IMPORTED" -v s="$IMPORT_S" 'BEGIN { printf "%.0f", n / s * 60 }') likes/min; $drift_line; under load: acked ${R[changed]}, 503s ${R[s503]}, lost ${R[lost]}, doubled ${R[doubled]}; drift $drift/$wdrift" "${why[@]}"
}
