#!/usr/bin/env bash
# Runs a real single-node Apache Kafka broker (KRaft: broker and controller in one process) on
# 127.0.0.1, from Kafka's own artifacts on Maven (pom.xml here), for the tests
# (dev.likes.support.KafkaBroker) and the benchmark (src/bench/run.sh).
#
#   broker.sh run DIR PORT CONTROLLER_PORT    formats DIR the first time, then execs the broker
#                                             (the same DIR starts it again with its data)
#   broker.sh classpath                       prints the broker's class path (resolved once)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cache="$root/target/kafka-broker/classpath.txt"

classpath() {
    if [[ ! -s "$cache" || "$here/pom.xml" -nt "$cache" ]]; then
        mkdir -p "$(dirname "$cache")"
        # Offline first: after the first time, everything is in the local repository.
        "$root/mvnw" -q -o -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cache" >&2 \
            || "$root/mvnw" -q -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cache" >&2
    fi
    cat "$cache"
}

case "${1:-}" in
    classpath)
        classpath
        ;;
    run)
        dir=$2 port=$3 controller=$4
        cp=$(classpath)
        mkdir -p "$dir"
        cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=4
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# As in production, the topic must exist: the tests and the benchmark create it.
auto.create.topics.enable=false
PROPS
        if [[ ! -f "$dir/data/meta.properties" ]]; then
            java -cp "$cp" kafka.tools.StorageTool format -t "$(java -cp "$cp" kafka.tools.StorageTool random-uuid)" \
                -c "$dir/server.properties" > "$dir/format.log" 2>&1
        fi
        exec java -Xms128m -Xmx512m -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
            -cp "$cp" kafka.Kafka "$dir/server.properties"
        ;;
    *)
        echo "usage: $0 run DIR PORT CONTROLLER_PORT | classpath" >&2
        exit 2
        ;;
esac
