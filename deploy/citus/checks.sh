# shellcheck shell=bash
# Part of deploy/citus/drill.sh: the checks that need no fault (1 the concurrency scenarios, 2 window
# aging per shard group, 5 drift over every item, 6 the hot ranking and its re-base), verdict, which
# records each check's result, and seed_counted (counts for likes seeded by SQL).
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
SQL
  seed_counted 'w-'
  sql $COORD -c "UPDATE like_windows SET since = date_trunc('minute', now()) - interval '3 hours' WHERE name = 'hour'" >/dev/null
  wait_until 30 "the hour to age" aged || why+=("the hour still counts them")
  in_hour=$(ranked_w hour)
  in_day=$(ranked_w day)
  [ "$in_hour" = 0 ] || why+=("$in_hour in the hour's ranking")
  [ "$in_day" = 64 ] || why+=("$in_day of 64 in the day's ranking")
  read -r _ _ drift wdrift < <(exactness w- /dev/null sql $COORD)
  [ "$drift/$wdrift" = 0/0 ] || why+=("drift $drift, window drift $wdrift")
  verdict "window aging" "64 items' likes of 2 h ago: $in_hour in the hour's ranking, $in_day in the day's; drift $drift, window drift $wdrift" "${why[@]}"
}
# The buckets and counters of the like rows of the items whose id matches ^REGEX, as clicks would
# have left them (every window counting them): for likes seeded by SQL.
seed_counted() {  # REGEX
  sql $COORD -v pattern="^$1" <<'SQL'
INSERT INTO like_buckets (item_id, minute, likes, counted_in)
SELECT item_id, date_trunc('minute', created_at), count(*), 3 FROM likes WHERE item_id ~ :'pattern' GROUP BY 1, 2;
INSERT INTO like_counts (item_id, likes, likes_hour, likes_day, likes_week, hot, hot_base, hot_half_life)
SELECT item_id, count(*), count(*), count(*), count(*), sum(likes_hot_term(created_at, f.base, f.half_life)), f.base, f.half_life
FROM likes, like_hot f WHERE item_id ~ :'pattern' GROUP BY item_id, f.base, f.half_life;
SQL
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
  read -r _ _ drift wdrift < <(exactness '' /dev/null sql $COORD)
  [ "$service_drift" = 0 ] || why+=("the recount found $service_drift")
  [ "$drift/$wdrift" = 0/0 ] || why+=("drift $drift, window drift $wdrift")
  verdict "drift" "recount (dry run) checked $(jq -r '.checked' <<<"$recount") items, $service_drift drifted; exactness.sql: drift $drift, window drift $wdrift" "${why[@]}"
}

# The hot ranking on the shards: its pages walked against a recount from the rows (each item's terms
# summed in its own frame, on its worker), then the newest frame set back 9 half-lives so that the
# leader's re-base walks every scored item into a new one (likes_hot_rebase_group, per shard group),
# and the same comparison and exactness.sql again.
check_hot() {  # 6
  local why=() before after moved behind drift wdrift
  say "check 6: the hot ranking and its re-base"
  [ "$(hot_walk)" = "$(hot_recount)" ] || why+=("the pages' order is not the recount's before the re-base")
  before=$(sql $COORD -c "SELECT base FROM like_hot")
  sql $COORD -c "UPDATE like_hot SET base = base - 9 * half_life" >/dev/null
  wait_until 60 "the re-base" rebased "$before" || why+=("the re-base did not settle")
  after=$(sql $COORD -c "SELECT base FROM like_hot")
  moved=$(sql $COORD -c "SELECT count(*) FROM like_counts WHERE hot > 0")
  behind=$(sql $COORD -c "SELECT count(*) FROM like_counts WHERE hot > 0 AND hot_base <> $after")
  [ "$behind" = 0 ] || why+=("$behind items still in an older frame")
  [ "$(hot_walk)" = "$(hot_recount)" ] || why+=("the pages' order is not the recount's after the re-base")
  read -r _ _ drift wdrift < <(exactness '' /dev/null sql $COORD)
  [ "$drift/$wdrift" = 0/0 ] || why+=("drift $drift, window drift $wdrift")
  verdict "hot ranking" "$(hot_walk | tr ',' '\n' | grep -c .) items in the order of their recount; re-based from $before to $after: $moved scored items, $behind behind; window (and hot) drift $wdrift" "${why[@]}"
}
rebased() { [ "$(sql $COORD -c "SELECT settled AND base > $1 FROM like_hot")" = t ]; }
hot_walk() {  # every item of the hot ranking, in page order, comma-separated
  local after="" page ids=()
  while :; do
    page=$(curl -s "$URL/v1/rankings?window=hot&limit=100${after:+&after=$after}")
    mapfile -t -O "${#ids[@]}" ids < <(jq -r '.items[].itemId' <<<"$page")
    after=$(jq -r '.next // empty' <<<"$page")
    [ -n "$after" ] || break
  done
  (IFS=,; echo "${ids[*]}")
}
hot_recount() {  # the same, ordered by the hot scores recounted from the rows
  sql $COORD -c "SELECT string_agg(item_id, ',' ORDER BY -likes_hot_rank(h, hot_base, hot_half_life), item_id) FROM (
      SELECT l.item_id, sum(likes_hot_term(l.created_at, c.hot_base, c.hot_half_life)) AS h, c.hot_base, c.hot_half_life
      FROM likes l JOIN like_counts c USING (item_id) GROUP BY l.item_id, c.hot_base, c.hot_half_life) r WHERE h > 0"
}
