#!/usr/bin/env bash
# Runs the whole system on this machine: builds if needed, then `tessera demo` starts its own
# Kafka broker, the feature pipeline, the HTTP API on 127.0.0.1:8080, trained models in an A/B
# test and live demo traffic.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/demo.sh [-h] [tessera demo options]

Builds model-server/target/tessera.jar if it is missing or older than the sources, then runs
`java -jar tessera.jar demo`: an in-process Kafka broker on 127.0.0.1:9092 (unless
--bootstrap-servers names a running cluster), the node with HTTP on 127.0.0.1:8080, the churn
demo world (120 days of orders and clicks), two XGBoost models trained from the topics and
registered (champion v1, challenger v2), the churn endpoint as an A/B test (champion 50%,
challenger 50%), a live stream of new events, and a load loop calling the endpoint whose
outcomes arrive 5 s later, so the experiment decides (usually within a minute: the challenger is
promoted by itself). It prints curl and kcat examples. Ctrl-C stops it.

Options are passed to `tessera demo`, e.g.:
  --bootstrap-servers 127.0.0.1:9092   use a running broker (e.g. scripts/kafka-local.sh start)
  --http-port 8081 --kafka-port 19092  other ports
  --customers 500 --history-days 150   more data (history above 60 days: labels need it)
  --rate 20                            live events per second
  --requests 50                        load-loop requests per second (one customer each; 0: off)
  --customers 1000                     a challenger arm large enough to separate the AUCs
Environment: JAVA_OPTS (default -Xmx1g)
USAGE
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
esac

cd "$(dirname "$0")/.."
jar=model-server/target/tessera.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml schemas streams-app model-server -newer "$jar" \
    \( -name '*.java' -o -name '*.avsc' -o -name 'pom.xml' -o -name '*.properties' \) \
    -not -path '*/target/*' -print -quit)" ]; then
  echo "Building $jar (first run downloads dependencies; a few minutes) ..."
  mvn -B -q -DskipTests package
fi

# ONNX Runtime's telemetry is off: it has nothing to report to on a local demo.
export ORT_DISABLE_TELEMETRY=1
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:--Xmx1g} -jar "$jar" demo "$@"
