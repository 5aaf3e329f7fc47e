#!/usr/bin/env bash
# Imports existing likes into the service's database, with their original times (docs/import.md):
#
#   deploy/import.sh --csv FILE [OPTIONS]
#   deploy/import.sh --from postgresql://USER:PASSWORD@HOST:PORT/DATABASE [--table TABLE] [OPTIONS]
#
#   --item-column C, --user-column C, --time-column C   the source's columns (item_id, user_id, created_at)
#   --name NAME      the import's name: a run goes on where the last run of that name stopped
#                    (default: the file's name, or the table's)
#   --batch N        likes per transaction (5000)
#
# A CSV file's first line names its columns. The database written is the service's, named by the
# service's own variables (LIKES_DB_HOST, LIKES_DB_PORT, LIKES_DB_NAME, LIKES_DB_USER,
# LIKES_DB_PASSWORD); it runs the packaged service as a command, with no HTTP listener: APP_JAR
# (default target/quarkus-app/quarkus-run.jar), JAVA (java) and JAVA_OPTS as deploy/run-service.sh.
# It prints a progress line every 2 s and a report; exit 0 when the closing drift check is clean.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
vars=()
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || usage
  case $1 in
    --csv) vars+=("LIKES_IMPORT_CSV=$(realpath "$2")") ;;
    --from) vars+=("LIKES_IMPORT_SOURCE_URL=$2") ;;
    --table) vars+=("LIKES_IMPORT_SOURCE_TABLE=$2") ;;
    --name) vars+=("LIKES_IMPORT_NAME=$2") ;;
    --item-column) vars+=("LIKES_IMPORT_ITEM_COLUMN=$2") ;;
    --user-column) vars+=("LIKES_IMPORT_USER_COLUMN=$2") ;;
    --time-column) vars+=("LIKES_IMPORT_TIME_COLUMN=$2") ;;
    --batch) vars+=("LIKES_IMPORT_BATCH_SIZE=$2") ;;
    *) usage ;;
  esac
  shift 2
done
printf '%s\n' "${vars[@]}" | grep -q '^LIKES_IMPORT_\(CSV\|SOURCE_URL\)=' || usage
# No HTTP listener and a management port of the system's choosing: the command may run next to a replica.
# shellcheck disable=SC2086  # JAVA_OPTS is a list of options
exec env QUARKUS_HTTP_HOST_ENABLED=false QUARKUS_MANAGEMENT_PORT=0 QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
  LIKES_AUTH_ENABLED=false QUARKUS_LOG_LEVEL=WARN "${vars[@]}" \
  "${JAVA:-java}" ${JAVA_OPTS:--XX:MaxRAM=1g -XX:MaxRAMPercentage=50} -jar "${APP_JAR:-$root/target/quarkus-app/quarkus-run.jar}"
