# shellcheck shell=bash
# Phase of src/bench/run.sh. Like events (docs/events.md): a real Kafka broker
# (src/test/kafka/broker.sh), then the same writes with events off and on, back to back (each a
# fresh, warmed service with its own hot item), so that the outbox's cost is not mixed up with run-
# order effects. Around the hot item's run with events on, a consumer (events/EventLatency.java)
# times each event from its commit to its arrival (its slowest bounds how far the relay fell
# behind), and the outbox's oldest event is sampled twice a second; the relay's longest round lag
# (its timer's max) covers the service's whole life.
echo "== a Kafka broker on port $KAFKA_PORT (KRaft, one node, src/test/kafka/broker.sh)"
KAFKA_CP=$(bash src/test/kafka/broker.sh classpath) || fail "resolving Kafka's class path"
bash src/test/kafka/broker.sh run "$work/kafka" "$KAFKA_PORT" $(( KAFKA_PORT + 1 )) >"$work/kafka.log" 2>&1 &
kafka_pid=$!
until port_busy "$KAFKA_PORT"; do kill -0 "$kafka_pid" 2>/dev/null || fail "the Kafka broker exited: $(tail -3 "$work/kafka.log")"; sleep 0.2; done
event_latency() { # seconds: the consumer (it creates the topic, in four partitions, when it is missing)
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$KAFKA_CP" "$BENCH/events/EventLatency.java" \
    "127.0.0.1:$KAFKA_PORT" likes.events "$1"
}
# The topic exists before the service starts, as in production (the service does not create it).
event_latency 0 >/dev/null 2>"$work/event-latency.err" || fail "creating the topic: $(tail -3 "$work/event-latency.err")"
service_metric() { curl -s "$mgmt/q/metrics" | awk -v n="$1" '$1 == n { print $2 }'; }
events_watch() { # before the hot item's run: the consumer, the outbox sampler
  event_latency $(( DURATION + 5 )) >"$work/event-latency.out" 2>"$work/event-latency.err" &
  latency_pid=$!
  until grep -q '^ready' "$work/event-latency.out"; do
    kill -0 "$latency_pid" 2>/dev/null || fail "the events' consumer exited: $(tail -3 "$work/event-latency.err")"
    sleep 0.1
  done
  ( while :; do service_metric likes_events_outbox_oldest_age_seconds; sleep 0.5; done ) >"$work/outbox-age" &
  age_pid=$!
  published_before=$(service_metric likes_events_published_total)
}
events_watched() { # after it: what they saw
  published_during=$(awk -v a="$(service_metric likes_events_published_total)" -v b="$published_before" 'BEGIN { printf "%.0f", a - b }')
  relay_lag_max=$(service_metric likes_events_relay_lag_seconds_max)
  kill "$age_pid" 2>/dev/null || true
  wait "$latency_pid" || fail "the events' consumer: $(tail -3 "$work/event-latency.err")"
  outbox_age_max=$(grep -v NaN "$work/outbox-age" | sort -g | tail -1 || true)
  read -r _ consumed _ consumed_dup _ e2e_p50 _ e2e_p99 _ e2e_max < <(grep '^events' "$work/event-latency.out")
}
again_with eventsoff "$HOT_WRK_EVENTS_OFF" "like events off (the A of an A/B)"
before_hot=events_watch after_hot=events_watched \
  again_with events "$HOT_WRK_EVENTS" "like events on (the B)" KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT"
outbox_left=""
for _ in $(seq 100); do
  outbox_left=$(sql -At -c "SELECT count(*) FROM like_events")
  [ "$outbox_left" = 0 ] && break
  sleep 0.1
done
[ "$outbox_left" = 0 ] || exact=FAIL
hot_events_changes=$(( $(wrk_field svc-hot-events requests) - $(wrk_field svc-hot-events non2xx) ))
echo "   hot item: $hot_events_changes likes acknowledged, $published_during events published during its $DURATION s;" \
  "consumer: $consumed events ($consumed_dup duplicates), commit to consumer p50 $e2e_p50 ms, p99 $e2e_p99 ms, max $e2e_max ms;" \
  "relay round lag max $relay_lag_max s, oldest in the outbox at most $outbox_age_max s; left in the outbox $outbox_left"
kill "$kafka_pid" 2>/dev/null || true
wait "$kafka_pid" 2>/dev/null || true
kafka_pid=""
