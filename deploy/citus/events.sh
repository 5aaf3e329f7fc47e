# shellcheck shell=bash
# Part of deploy/citus/drill.sh: like events on the cluster (docs/citus.md, "Like events"). A real
# Kafka broker (src/test/kafka/broker.sh, KRaft, one node) runs from the start and the service gets
# KAFKA_BOOTSTRAP_SERVERS, so every check runs with events on: both failovers, the rebalance (the
# outbox's shards move with the likes'), the lifecycle jobs, the limits. Check 10 reads the topic
# back (EventCheck.java) against the database; check 11 runs EventsTest, the default test run's
# checks of events, against the cluster itself.
KAFKA_PORT=29760
# The items whose whole history check 10 knows: the loads' of checks 3, 4, 7, 8 and check 7's seeds.
EVENT_ITEMS='^(c3-i|c4-i|c7-i|c8-i|e-|r-item|s-)'

events_up() {
  KAFKA_CP=$(bash src/test/kafka/broker.sh classpath) || fail "resolving Kafka's class path"
  start_bg kafka bash src/test/kafka/broker.sh run "$WORK/kafka" $KAFKA_PORT $(( KAFKA_PORT + 1 ))
  wait_until 60 "the Kafka broker" port_busy $KAFKA_PORT || fail "the Kafka broker did not start ($WORK/log/kafka.log)"
  # The topic before the service, as in production (the benchmark's consumer creates it, 4 partitions).
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$KAFKA_CP" src/bench/events/EventLatency.java \
    "127.0.0.1:$KAFKA_PORT" likes.events 0 >/dev/null 2>"$WORK/log/topic.log" || fail "creating the topic ($WORK/log/topic.log)"
  say "Kafka broker on port $KAFKA_PORT, topic likes.events"
}

csv_of() {  # SQL: its rows as CSV
  sql $COORD -c "COPY ($1) TO STDOUT (FORMAT csv)"
}
seeded_for_events() {  # check 7's seeds, which the events' walk starts from (SQL: they made no events)
  csv_of "SELECT item_id, user_id FROM likes WHERE item_id ~ '^(c7-i|e-|r-item|s-)'" >"$WORK/events-seeded.csv"
}
outbox_empty() { [ "$(sql $COORD -c "SELECT count(*) FROM like_events")" = 0 ]; }

check_events() {  # 10
  local why=() line t0 drained
  say "check 10: the like events of checks 3, 4, 7 and 8, read back from Kafka"
  t0=$(date +%s)
  wait_until 300 "the relay to empty the outbox" outbox_empty || why+=("the outbox did not empty")
  drained=$(( $(date +%s) - t0 ))
  csv_of "SELECT item_id, user_id FROM likes WHERE item_id ~ '$EVENT_ITEMS'" >"$WORK/events-rows.csv"
  csv_of "SELECT item_id, likes FROM like_counts WHERE item_id ~ '$EVENT_ITEMS'" >"$WORK/events-counts.csv"
  touch "$WORK/events-seeded.csv"
  line=$(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$KAFKA_CP" deploy/citus/EventCheck.java "127.0.0.1:$KAFKA_PORT" \
    likes.events "$EVENT_ITEMS" "$WORK/events-seeded.csv" "$WORK/events-rows.csv" "$WORK/events-counts.csv" 2>"$WORK/log/event-check.err") \
    || why+=("$(grep -v '^\[' "$WORK/log/event-check.err" | head -3 | tr '\n' ' ')")
  verdict "events" "${line:-no result}; the outbox empty ${drained} s after the checks; published $(published_total)" "${why[@]}"
}
published_total() { curl -s "http://127.0.0.1:$MGMT/q/metrics" | awk '$1 == "likes_events_published_total" { printf "%.0f", $2 }'; }

check_events_test() {  # 11, with the drill's service stopped (its leader would relay to the drill's broker)
  local out="$WORK/log/events-test.log"
  say "check 11: EventsTest against the cluster (its own broker; the service in the test, on HAProxy's port)"
  if ./mvnw -o -B test -Dtest=EventsTest -Dsurefire.failIfNoSpecifiedTests=false \
      -Dquarkus.datasource.reactive.url="postgresql://127.0.0.1:$COORD/likes" \
      -Dquarkus.datasource.jdbc.url="jdbc:postgresql://127.0.0.1:$COORD/likes" \
      -Dquarkus.datasource.username=likes -Dquarkus.datasource.password=likes >"$out" 2>&1 \
      && grep -q 'Citus: the likes are distributed' "$out"; then
    verdict "EventsTest on the cluster" "$(grep -m1 -o 'Tests run: [0-9]*, Failures: 0, Errors: 0, Skipped: 0' "$out")"
  else
    verdict "EventsTest on the cluster" "$(grep -m1 -o 'Tests run: [0-9]*, Failures: [0-9]*, Errors: [0-9]*, Skipped: [0-9]*' "$out")" "see $out"
  fi
}
