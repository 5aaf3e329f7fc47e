# shellcheck shell=bash
# Part of deploy/citus/drill.sh: the checks that need no fault (1 the concurrency scenarios, 2 window
# aging per shard group, 5 drift over every item), and verdict, which records each check's result.
ROWS=()
passed=0
failed=0
verdict() {  # NAME DETAIL [REASON...]: a PASS without reasons
  local name=$1 detail=$2
  shift 2
  if [ $# = 0 ]; then passed=$(( passed + 1 )); ROWS+=("PASS  $name: $detail"); else failed=$(( failed + 1 )); ROWS+=("FAIL  $name: $detail ($*)"); fi
  say "${ROWS[-1]}"
}

check_scenarios() {  # 1
  say "check 1: the concurrency scenarios"
  if java deploy/citus/CitusScenarios.java url=$URL token="$WORK/token" ns=s1 >"$WORK/scenarios.out" 2>&1; then
    verdict "scenarios" "$(grep -c '^scenario .* ok' "$WORK/scenarios.out") passed"
  else
    verdict "scenarios" "$(grep -c '^scenario .* ok' "$WORK/scenarios.out") passed" "$(grep -v ' ok' "$WORK/scenarios.out" | head -3 | tr '\n' ' ')"
  fi
  sed 's/^/    /' "$WORK/scenarios.out"
}

# Likes of two hours ago, as if written then and not yet aged (rows, buckets and counts all
# counted in the hour), on 64 items over every shard group; the hour's since is set back so that
# the aging job has those minutes to move.
check_aging() {  # 2
  local why=() in_hour in_day drift wdrift
  say "check 2: window aging per shard group"
  sql $COORD <<'SQL'
INSERT INTO likes (item_id, user_id, created_at)
SELECT 'w-' || i, 'w-u' || u, date_trunc('minute', now()) - interval '2 hours'
FROM generate_series(1, 64) i, generate_series(1, 1 + i % 5) u;
INSERT INTO like_buckets (item_id, minute, likes, counted_in)
SELECT item_id, date_trunc('minute', created_at), count(*), 3 FROM likes WHERE item_id LIKE 'w-%' GROUP BY 1, 2;
INSERT INTO like_counts (item_id, likes, likes_hour, likes_day, likes_week, hot, hot_base, hot_half_life)
SELECT item_id, count(*), count(*), count(*), count(*), sum(likes_hot_term(created_at, f.base, f.half_life)), f.base, f.half_life
FROM likes, like_hot f WHERE item_id LIKE 'w-%' GROUP BY item_id, f.base, f.half_life;
UPDATE like_windows SET since = date_trunc('minute', now()) - interval '3 hours' WHERE name = 'hour';
SQL
  wait_until 30 "the hour to age" aged || why+=("the hour still counts them")
  in_hour=$(ranked_w hour)
  in_day=$(ranked_w day)
  [ "$in_hour" = 0 ] || why+=("$in_hour in the hour's ranking")
  [ "$in_day" = 64 ] || why+=("$in_day of 64 in the day's ranking")
  read -r _ _ drift wdrift < <(sql $COORD -F ' ' -v prefix=w- -f deploy/exactness.sql </dev/null)
  [ "$drift/$wdrift" = 0/0 ] || why+=("drift $drift, window drift $wdrift")
  verdict "window aging" "64 items' likes of 2 h ago: $in_hour in the hour's ranking, $in_day in the day's; drift $drift, window drift $wdrift" "${why[@]}"
}
aged() { [ "$(sql $COORD -c "SELECT count(*) FROM like_counts WHERE item_id LIKE 'w-%' AND likes_hour > 0")" = 0 ]; }
ranked_w() {  # WINDOW: how many w- items its ranking holds, every page walked
  local after="" page n=0
  while :; do
    page=$(curl -s "$URL/v1/rankings?window=$1&limit=100${after:+&after=$after}")
    n=$(( n + $(jq '[.items[] | select(.itemId | startswith("w-"))] | length' <<<"$page") ))
    after=$(jq -r '.next // empty' <<<"$page")
    [ -n "$after" ] || break
  done
  echo $n
}

check_drift() {  # 5
  local recount service_drift drift wdrift why=()
  say "check 5: drift over every item"
  recount=$(curl -s -X POST -H "Authorization: Bearer $(cat "$WORK/admin-token")" "$URL/v1/admin/recount?dryRun=true")
  service_drift=$(jq -r '.drifted' <<<"$recount")
  read -r _ _ drift wdrift < <(sql $COORD -F ' ' -v prefix= -f deploy/exactness.sql </dev/null)
  [ "$service_drift" = 0 ] || why+=("the recount found $service_drift")
  [ "$drift/$wdrift" = 0/0 ] || why+=("drift $drift, window drift $wdrift")
  verdict "drift" "recount (dry run) checked $(jq -r '.checked' <<<"$recount") items, $service_drift drifted; exactness.sql: drift $drift, window drift $wdrift" "${why[@]}"
}
