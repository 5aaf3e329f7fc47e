# shellcheck shell=bash
# Part of deploy/citus/drill.sh: check 7, erasure, removal, suspension and reinstatement on the shards
# (lifecycle/ShardGroupSteps, V9__citus_lifecycle.sql) under the drills' write load. Seeded by SQL
# (seed_counted, as the clicks would have left them): a user with LC_ERASED likes over as many items,
# the first 50 of them the load's own items (so the erasure races the load's clicks there, and the
# load's exactness check sees that nothing of theirs went); an item with LC_REMOVED likes; a user
# with 200 likes to suspend, then reinstate. Each job is timed from its request to its "done".
LC_ERASED=${CITUS_ERASED:-10000}
LC_REMOVED=${CITUS_REMOVED:-100000}

job_done() {  # JOB_ID
  [ "$(curl -s -H "Authorization: Bearer $(cat "$WORK/admin-token")" "$URL/v1/lifecycle/jobs/$1" | jq -r .state)" = done ]
}
lifecycle_job() {  # METHOD PATH VAR: requests the job, waits until it is done; its seconds in VAR
  local t0 id
  t0=$(date +%s.%N)
  id=$(curl -s -X "$1" -H "Authorization: Bearer $(cat "$WORK/admin-token")" "$URL$2" | jq -r .id)
  [ -n "$id" ] && [ "$id" != null ] || { say "$1 $2 started no job"; printf -v "$3" 'none'; return; }
  wait_until 600 "the job of $1 $2" job_done "$id" || true
  printf -v "$3" '%s' "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
  say "$1 $2: done in ${!3} s"
}
lifecycle_under_load() {  # run_load's fault: the four jobs, one after another
  lifecycle_job DELETE /v1/users/e-user/likes ERASE_S
  lifecycle_job DELETE /v1/items/r-item REMOVE_S
  lifecycle_job PUT /v1/admin/users/s-user/suspension SUSPEND_S
  SUSPENDED=$(sql $COORD -c "SELECT count(*) FROM suspended_likes WHERE user_id = 's-user'")
  lifecycle_job DELETE /v1/admin/users/s-user/suspension REINSTATE_S
}

check_lifecycle() {  # 7
  local why=() left kept removed back held drift wdrift
  say "check 7: erasure ($LC_ERASED likes), removal ($LC_REMOVED), suspension and reinstatement under write load"
  sql $COORD <<SQL
INSERT INTO likes (item_id, user_id, created_at)
SELECT CASE WHEN g <= 50 THEN 'c7-i' || (g - 1) ELSE 'e-' || g END, 'e-user', date_trunc('minute', now()) FROM generate_series(1, $LC_ERASED) g
UNION ALL SELECT 'e-' || g, 'e-keep', date_trunc('minute', now()) FROM generate_series(51, 150) g
UNION ALL SELECT 'r-item', 'r-u' || g, date_trunc('minute', now()) FROM generate_series(1, $LC_REMOVED) g
UNION ALL SELECT 's-' || g, 's-user', date_trunc('minute', now()) FROM generate_series(1, 200) g;
SQL
  seed_counted '(c7-i|e-|r-item|s-)'
  seeded_for_events
  run_load c7 lifecycle_under_load
  exact_reasons
  left=$(sql $COORD -c "SELECT count(*) FROM likes WHERE user_id = 'e-user'")
  kept=$(sql $COORD -c "SELECT count(*) FROM likes WHERE user_id = 'e-keep'")
  removed=$(sql $COORD -c "SELECT count(*) FROM likes WHERE item_id = 'r-item'")
  back=$(sql $COORD -c "SELECT count(*) FROM likes WHERE user_id = 's-user'")
  held=$(sql $COORD -c "SELECT count(*) FROM suspended_likes WHERE user_id = 's-user'")
  read -r _ _ drift wdrift < <(exactness '' /dev/null sql $COORD)
  [ "$left" = 0 ] || why+=("$left of the erased user's likes left")
  [ "$kept" = 100 ] || why+=("$kept of another user's 100 likes on those items kept")
  [ "$removed" = 0 ] || why+=("$removed of the removed item's likes left")
  [ "$SUSPENDED/$back/$held" = 200/200/0 ] || why+=("suspension set aside $SUSPENDED of 200, reinstatement put back $back, $held held")
  [ "$drift/$wdrift" = 0/0 ] || why+=("drift $drift, window drift $wdrift")
  verdict "lifecycle" "a user's $LC_ERASED likes erased in $ERASE_S s, an item's $LC_REMOVED removed in $REMOVE_S s, 200 suspended in $SUSPEND_S s and reinstated in $REINSTATE_S s, under load: acked ${R[changed]}, 503s ${R[s503]}, lost ${R[lost]}, doubled ${R[doubled]}; drift $drift/$wdrift" "${why[@]}"
}
