# shellcheck shell=bash
# Shared by the drills (deploy/ha/drill.sh, deploy/citus/drill.sh). Source it, then:
#
#   wait_until SECONDS WHAT COMMAND...   runs COMMAND every 0.5 s until it succeeds; after SECONDS
#                                        seconds, says it timed out waiting for WHAT and fails
wait_until() {
  local end=$(( $(date +%s) + $1 )) what=$2
  shift 2
  until "$@"; do
    [ "$(date +%s)" -lt "$end" ] || { echo "timed out waiting for $what" >&2; return 1; }
    sleep 0.5
  done
}
