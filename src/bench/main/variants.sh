# shellcheck shell=bash
# Phase of src/bench/run.sh: the same writes on a fresh service with the toggle limits off, then with
# authentication off (each with its own hot item), against the runs above: what each costs.
again_with nolimits "$HOT_WRK_NO_LIMITS" "the toggle limits off" LIKES_LIMIT_CHANGES_PER_ITEM=0 LIKES_LIMIT_CHANGES_PER_USER=0
again_with noauth "$HOT_WRK_NO_AUTH" "authentication off" LIKES_AUTH_ENABLED=false
