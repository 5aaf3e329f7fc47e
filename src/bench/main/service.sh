# shellcheck shell=bash
# Phase of src/bench/run.sh: wrk on the service (authentication on), with its RSS sampled: warm-up,
# reads alone, the uniform mix (a backend's token, then a token per user), one hot item, reads under
# writes, rankings of every window and users' likes under writes; then the first exactness check.
# RSS of the service, once a second for as long as wrk runs; VmHWM (the kernel's peak) at the end.
( while kill -0 "$svc_pid" 2>/dev/null; do
    awk '/^VmRSS:/ { print $2 }' "/proc/$svc_pid/status" 2>/dev/null || true
    sleep 1
  done ) >"$work/rss-kb" &
sampler_pid=$!

# JIT compilation and pool warm-up, all three paths at once (unmeasured; the hot item is untouched).
echo "== warming the service up, $WARMUP s"
wrk_start warm-write 1 32 "$WARMUP" uniform "$url"
wrk_start warm-batch 1 8 "$WARMUP" batch "$url"
wrk_start warm-rank 1 8 "$WARMUP" rankings "$url"
wrk_wait || fail "wrk exited with an error"

echo "== service reads alone: 8 batch GET + 8 rankings connections, $HOT_DURATION s"
quiet_start
wrk_start svc-r-batch 1 8 "$HOT_DURATION" batch "$url"
wrk_start svc-r-rank 1 8 "$HOT_DURATION" rankings "$url"
wrk_wait || fail "wrk exited with an error"
for key in svc-r-batch svc-r-rank; do wrk_result "$key"; done

echo "== service uniform like/unlike, $CONNS connections, $DURATION s"
quiet_start
wrk_start svc-uniform 2 "$CONNS" "$DURATION" uniform "$url"
wrk_wait || fail "wrk exited with an error"
wrk_result svc-uniform

echo "== service uniform like/unlike, a token per user ($CLICKS_PER_TOKEN clicks each), $CONNS connections, $DURATION s"
tokens_metric() { curl -s "$mgmt/q/metrics" | awk -v o="$1" '$1 == "likes_auth_tokens_total{outcome=\"" o "\"}" { printf "%.0f", $2 }'; }
verified_before=$(tokens_metric verified)
cached_before=$(tokens_metric cached)
quiet_start
wrk_start svc-uniform-users 2 "$CONNS" "$DURATION" uniform_users "$url"
wrk_wait || fail "wrk exited with an error"
wrk_result svc-uniform-users
users_verified=$(( $(tokens_metric verified) - verified_before ))
users_cached=$(( $(tokens_metric cached) - cached_before ))
echo "   tokens verified in full $users_verified, reused from the cache $users_cached"

echo "== service hot item, $CONNS connections, $DURATION s"
quiet_start
wrk_start svc-hot 2 "$CONNS" "$DURATION" hot "$url"
wrk_wait || fail "wrk exited with an error"
wrk_result svc-hot

echo "== service reads under writes: $CONNS writing + 8 batch GET + 8 rankings connections, $DURATION s"
quiet_start
wrk_start svc-rw-write 2 "$CONNS" "$DURATION" uniform "$url"
wrk_start svc-rw-batch 1 8 "$DURATION" batch "$url"
wrk_start svc-rw-rank 1 8 "$DURATION" rankings "$url"
wrk_wait || fail "wrk exited with an error"
for key in svc-rw-batch svc-rw-rank svc-rw-write; do wrk_result "$key"; done

echo "== rankings of every window and users' likes under writes: 32 writing + 4 connections each, $DURATION s"
quiet_start
wrk_start svc-tw-write 2 32 "$DURATION" uniform "$url"
for window in all hour day week; do wrk_start "svc-tw-$window" 1 4 "$DURATION" rankings "$url" WINDOW="$window"; done
wrk_start svc-tw-user 1 4 "$DURATION" userlikes "$url"
wrk_wait || fail "wrk exited with an error"
for key in svc-tw-all svc-tw-hour svc-tw-day svc-tw-week svc-tw-user svc-tw-write; do wrk_result "$key"; done

kill "$sampler_pid" 2>/dev/null || true
peak_rss_mb=$(sort -n "$work/rss-kb" | tail -1 | awk '{ printf "%.0f", $1 / 1024 }')
hwm_mb=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$svc_pid/status")


echo "== checking counts"
exact=PASS
check_counts || exact=FAIL
check_hot svc-hot "$HOT_WRK" || exact=FAIL
hot_report="hot item $HOT_WRK: counter $hot_counter, rows $hot_rows, 2xx PUTs $hot_acked, allowed $hot_acked..$(( hot_acked + hot_slack ))"
