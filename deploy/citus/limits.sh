# shellcheck shell=bash
# Part of deploy/citus/drill.sh: check 9, the toggle limits across workers (likes/ShardGroupClicks,
# V10__citus_limits.sql), as production sets them (10 changes per item, 120 in all, per user and
# minute): one user likes 130 items of every shard group, 4 at a time (paced under the per-replica
# write budget of 20 a second, which refuses with 429 too): exactly 120 are changes, the other 10 get 429 with Retry-After; a
# repeat of one of the 120 is still answered (a repeat is never limited); another user toggles one
# item 11 times: 10 changes, then 429.
limit_click() {  # METHOD ITEM USER: "status retry-after changed" of one click
  local out body=$WORK/limit-body.$RANDOM$RANDOM
  out=$(curl -s -D - -o "$body" -X "$1" -H "Authorization: Bearer $(cat "$WORK/token")" "$URL/v1/items/$2/likes/$3" | tr -d '\r')
  echo "$(awk 'NR == 1 { print $2 }' <<<"$out") $(awk -F': ' 'tolower($1) == "retry-after" { print $2 }' <<<"$out")" \
    "$(jq -r 'if has("changed") then .changed else "-" end' "$body" 2>/dev/null)"
  rm -f "$body"
}
export -f limit_click
check_limits() {  # 9
  local why=() answers granted refused other repeat toggles changes toggled
  say "check 9: the toggle limits across workers"
  answers=$(seq 1 130 | WORK=$WORK URL=$URL xargs -P 4 -I{} bash -c 'limit_click PUT l9-i{} l9-user; sleep 0.4') || true
  granted=$(grep -c '^200 .*true$' <<<"$answers" || true)
  refused=$(grep -c '^429 [0-9]' <<<"$answers" || true)
  other=$(grep -vc '^200 .*true$\|^429 [0-9]' <<<"$answers" || true)
  say "130 likes by one user: $(cut -d' ' -f1 <<<"$answers" | sort | uniq -c | tr -s ' ' | tr '\n' ',')"
  [ "$granted/$refused" = 120/10 ] || why+=("$granted changes and $refused refusals with Retry-After of 130 (want 120 and 10; $other other answers)")
  repeat=$(limit_click PUT "$(sql $COORD -c "SELECT item_id FROM likes WHERE user_id = 'l9-user' LIMIT 1")" l9-user)
  [[ $repeat == "200  false" ]] || why+=("a repeat at the limit was answered '$repeat'")
  toggles=""
  for n in $(seq 1 11); do
    toggles+="$(limit_click "$([ $(( n % 2 )) = 1 ] && echo PUT || echo DELETE)" l9-toggled l9-toggler)"$'\n'
    sleep 0.1
  done
  changes=$(grep -c '^200 .*true$' <<<"$toggles" || true)
  toggled=$(grep -c '^429 [0-9]' <<<"$toggles" || true)
  [ "$changes/$toggled" = 10/1 ] || why+=("11 toggles of one item: $changes changes, $toggled refusals (want 10 and 1)")
  [ "$(sql $COORD -c "SELECT count(*) FROM likes WHERE user_id = 'l9-user'")" = 120 ] || why+=("the user's like rows are not 120")
  verdict "toggle limits" "one user's 130 likes over every shard group: $granted changes, $refused refused (429, Retry-After); a repeat at the limit: ${repeat%% *}; 11 toggles of one item: $changes changes, $toggled refused" "${why[@]}"
}
