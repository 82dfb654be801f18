#!/usr/bin/env bash
# kafka-local.sh - run a real, standalone Apache Kafka broker (KRaft, combined
# broker+controller in one JVM, loopback only) built from Maven Central jars.
#
# See `kafka-local.sh --help` for commands and configuration.
set -euo pipefail

SCRIPT_PATH="$(readlink -f "${BASH_SOURCE[0]}" 2>/dev/null || printf '%s' "${BASH_SOURCE[0]}")"
SCRIPT_NAME="$(basename "$SCRIPT_PATH")"
SCRIPT_DIR="$(cd "$(dirname "$SCRIPT_PATH")" && pwd -P)"
TEMPLATE_DIR="$SCRIPT_DIR/kafka-local"

# ---------------------------------------------------------------- configuration
KAFKA_VERSION="${KAFKA_VERSION:-4.3.1}"
# Log4j2 version of the logging backend fetched next to the broker jars.
KAFKA_LOG4J_VERSION="${KAFKA_LOG4J_VERSION:-2.25.4}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
if [[ "$KAFKA_PORT" =~ ^[0-9]+$ ]]; then
  KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
else
  KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-}" # rejected by validate_config
fi
TESSERA_CACHE="${TESSERA_CACHE:-$HOME/.cache/tessera}"
KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-$TESSERA_CACHE/kafka-data-$KAFKA_PORT}"
KAFKA_HEAP="${KAFKA_HEAP:--Xmx512m -Xms256m}"
KAFKA_OPTS="${KAFKA_OPTS:-}"
KAFKA_LOG_LEVEL="${KAFKA_LOG_LEVEL:-INFO}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
# Several of these brokers form one cluster (scripts/cluster.sh): each gets its own node id,
# ports and data dir, the same static voter list and cluster id, and higher replication.
KAFKA_NODE_ID="${KAFKA_NODE_ID:-1}"
KAFKA_CLUSTER_ID="${KAFKA_CLUSTER_ID:-}"
KAFKA_REPLICATION_FACTOR="${KAFKA_REPLICATION_FACTOR:-1}"
KAFKA_MIN_ISR="${KAFKA_MIN_ISR:-1}"

# Relative paths would break pid matching and the broker's log.dirs: make them absolute.
[[ "$TESSERA_CACHE" == /* ]] || TESSERA_CACHE="$PWD/$TESSERA_CACHE"
[[ "$KAFKA_DATA_DIR" == /* ]] || KAFKA_DATA_DIR="$PWD/$KAFKA_DATA_DIR"

readonly HOST="127.0.0.1"
KAFKA_VOTERS="${KAFKA_VOTERS:-$KAFKA_NODE_ID@$HOST:$KAFKA_CONTROLLER_PORT}"
BOOTSTRAP="$HOST:$KAFKA_PORT"
KAFKA_HOME="$TESSERA_CACHE/kafka-$KAFKA_VERSION"
LIBS_DIR="$KAFKA_HOME/libs"
CLASSPATH_GLOB="$LIBS_DIR/*"
LOG_DIRS="$KAFKA_DATA_DIR/logs"
SERVER_PROPERTIES="$KAFKA_DATA_DIR/server.properties"
PID_FILE="$KAFKA_DATA_DIR/broker.pid"
BROKER_LOG="$KAFKA_DATA_DIR/broker.log"
LOG4J_CONFIG="$TEMPLATE_DIR/log4j2.properties"
FETCH_POM_TEMPLATE="$TEMPLATE_DIR/fetch-pom.xml"

usage() {
  cat <<EOF
Usage: $SCRIPT_NAME <command> [args]

Runs a real standalone Apache Kafka $KAFKA_VERSION broker (KRaft mode, combined
broker+controller, node.id=$KAFKA_NODE_ID, bound to $HOST only) from Maven Central jars.

Commands:
  start           Fetch jars if needed, format storage once, start the broker in the
                  background and wait until it answers an ApiVersions request. No-op if running.
  stop            SIGTERM the broker, wait up to KAFKA_STOP_TIMEOUT s, then SIGKILL.
                  No-op if not running.
  status          Print whether the broker is running. Exit 0 if running, 3 if not.
  restart         stop, then start.
  reset           stop, then delete KAFKA_DATA_DIR (all topics and offsets).
  logs [-f]       Show the last 100 lines of broker.log (-f: follow).
  fetch           Only download the jars into the cache (no broker is started).
  classpath       Print the java classpath of the cached jars (fetching if needed),
                  e.g.: java -cp "\$($SCRIPT_NAME classpath)" org.apache.kafka.tools.TopicCommand ...
  topics [args]   Run kafka-topics (org.apache.kafka.tools.TopicCommand) against this
                  broker, e.g.: $SCRIPT_NAME topics --create --topic t1 --partitions 1
  -h, --help      Show this help.

Environment (current value in brackets):
  KAFKA_PORT             client listener PLAINTEXT://$HOST:<port> [$KAFKA_PORT]
  KAFKA_CONTROLLER_PORT  KRaft controller listener, default KAFKA_PORT+1 [$KAFKA_CONTROLLER_PORT]
  TESSERA_CACHE          cache root, default \$HOME/.cache/tessera [$TESSERA_CACHE]
                         jars live in \$TESSERA_CACHE/kafka-\$KAFKA_VERSION/libs
  KAFKA_DATA_DIR         log dirs, server.properties, broker.pid, broker.log,
                         default \$TESSERA_CACHE/kafka-data-\$KAFKA_PORT [$KAFKA_DATA_DIR]
  KAFKA_HEAP             JVM heap flags [$KAFKA_HEAP]
  KAFKA_OPTS             extra JVM flags for the broker [${KAFKA_OPTS:-<empty>}]
  KAFKA_LOG_LEVEL        root log level written to broker.log [$KAFKA_LOG_LEVEL]
  KAFKA_VERSION          Kafka version fetched from Maven Central [$KAFKA_VERSION]
  KAFKA_LOG4J_VERSION    Log4j2 backend version fetched with it [$KAFKA_LOG4J_VERSION]
  KAFKA_START_TIMEOUT    seconds to wait for readiness on start [$KAFKA_START_TIMEOUT]
  KAFKA_STOP_TIMEOUT     seconds to wait for a clean shutdown before SIGKILL [$KAFKA_STOP_TIMEOUT]

For one broker of a multi-broker cluster (scripts/cluster.sh sets these):
  KAFKA_NODE_ID          node.id [$KAFKA_NODE_ID]
  KAFKA_VOTERS           controller.quorum.voters, static quorum, e.g.
                         1@$HOST:9093,2@$HOST:9095,3@$HOST:9097 [$KAFKA_VOTERS]
  KAFKA_CLUSTER_ID       cluster id used when formatting; every broker of a cluster needs
                         the same one [${KAFKA_CLUSTER_ID:-<random>}]
  KAFKA_REPLICATION_FACTOR  default.replication.factor and the replication of the
                         internal topics [$KAFKA_REPLICATION_FACTOR]
  KAFKA_MIN_ISR          min.insync.replicas, also of the transaction and share-group
                         state topics [$KAFKA_MIN_ISR]

Broker settings (defaults, single node): all internal topics (__consumer_offsets,
__transaction_state, share-group state) use replication factor 1 / min ISR 1 so that
transactions and Kafka Streams exactly-once work; group.initial.rebalance.delay.ms=0;
num.partitions=1; auto.create.topics.enable=false - topics must be created explicitly
(the application creates its own; for ad-hoc use run '$SCRIPT_NAME topics --create ...').

Jars are fetched on first use with 'mvn dependency:copy-dependencies' from a throwaway
POM (kafka_2.13, kafka-tools, log4j-core + log4j-slf4j-impl); nothing is written to the
repository. Exit codes: 0 ok, 1 error, 2 usage error, 3 not running (status), 4 a port is
in use (start; a script that picked the ports picks others and tries again).
EOF
}

# ---------------------------------------------------------------------- helpers
log() { printf '[kafka-local] %s\n' "$*"; }
err() { printf '[kafka-local] ERROR: %s\n' "$*" >&2; }
die() { err "$*"; exit 1; }
readonly EXIT_PORT_IN_USE=4

validate_config() {
  local name value
  for name in KAFKA_PORT KAFKA_CONTROLLER_PORT KAFKA_START_TIMEOUT KAFKA_STOP_TIMEOUT \
      KAFKA_NODE_ID KAFKA_REPLICATION_FACTOR KAFKA_MIN_ISR; do
    value="${!name}"
    [[ "$value" =~ ^[0-9]+$ ]] || die "$name must be a positive integer (got '$value')"
  done
  ((KAFKA_PORT > 0 && KAFKA_PORT < 65536)) || die "KAFKA_PORT out of range: $KAFKA_PORT"
  ((KAFKA_CONTROLLER_PORT > 0 && KAFKA_CONTROLLER_PORT < 65536)) \
    || die "KAFKA_CONTROLLER_PORT out of range: $KAFKA_CONTROLLER_PORT"
  ((KAFKA_PORT != KAFKA_CONTROLLER_PORT)) || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"
  [[ "$KAFKA_VERSION" =~ ^[0-9A-Za-z._-]+$ ]] || die "invalid KAFKA_VERSION '$KAFKA_VERSION'"
  [[ "$KAFKA_LOG4J_VERSION" =~ ^[0-9A-Za-z._-]+$ ]] || die "invalid KAFKA_LOG4J_VERSION '$KAFKA_LOG4J_VERSION'"
  [[ "$KAFKA_VOTERS" =~ ^[0-9]+@[^,:]+:[0-9]+(,[0-9]+@[^,:]+:[0-9]+)*$ ]] \
    || die "KAFKA_VOTERS must look like 1@host:port,2@host:port (got '$KAFKA_VOTERS')"
  [[ ",$KAFKA_VOTERS" == *",$KAFKA_NODE_ID@"* ]] \
    || die "KAFKA_VOTERS ($KAFKA_VOTERS) does not name KAFKA_NODE_ID $KAFKA_NODE_ID"
  [[ -z "$KAFKA_CLUSTER_ID" || "$KAFKA_CLUSTER_ID" =~ ^[A-Za-z0-9_-]{22}$ ]] \
    || die "KAFKA_CLUSTER_ID must be a 22-character base64url uuid (got '$KAFKA_CLUSTER_ID')"
  ((KAFKA_MIN_ISR >= 1 && KAFKA_MIN_ISR <= KAFKA_REPLICATION_FACTOR)) \
    || die "KAFKA_MIN_ISR must be between 1 and KAFKA_REPLICATION_FACTOR ($KAFKA_REPLICATION_FACTOR)"
}

require_java() {
  command -v java >/dev/null 2>&1 || die "'java' not found on PATH (JDK 17+ required)"
}

# Prints the command line of a process, or nothing if it does not exist.
proc_cmdline() {
  local pid="$1"
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true
  else
    ps -p "$pid" -o args= 2>/dev/null || true
  fi
}

# True if $1 is a live process that is our Kafka broker (guards against pid reuse).
is_broker_pid() {
  local pid="$1"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ "$(proc_cmdline "$pid")" == *kafka.Kafka*"$SERVER_PROPERTIES"* ]]
}

# Prints the pid of the running broker and returns 0, or returns 1 (removing a stale pid file).
running_pid() {
  local pid
  [[ -f "$PID_FILE" ]] || return 1
  pid="$(tr -d '[:space:]' <"$PID_FILE" 2>/dev/null || true)"
  if is_broker_pid "$pid"; then
    printf '%s\n' "$pid"
    return 0
  fi
  rm -f "$PID_FILE"
  return 1
}

# True if something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

libs_present() {
  [[ -f "$LIBS_DIR/kafka_2.13-$KAFKA_VERSION.jar" && -f "$LIBS_DIR/kafka-tools-$KAFKA_VERSION.jar" ]]
}

# ------------------------------------------------------------------------ fetch
fetch_libs() {
  libs_present && return 0
  command -v mvn >/dev/null 2>&1 || die "'mvn' not found on PATH; it is needed once to fetch the Kafka jars"
  [[ -f "$FETCH_POM_TEMPLATE" ]] || die "missing template $FETCH_POM_TEMPLATE"
  mkdir -p "$KAFKA_HOME"
  # Sweep temp dirs of fetches that were killed hard (older than an hour).
  find "$KAFKA_HOME" -maxdepth 1 -name '.fetch.*' -type d -mmin +60 -exec rm -rf {} + 2>/dev/null || true

  # Download into a temp dir inside the cache and rename it into place, so an
  # interrupted fetch never leaves a half-populated libs dir behind.
  local tmp mvn_pid
  tmp="$(mktemp -d "$KAFKA_HOME/.fetch.XXXXXX")"
  sed -e "s/@KAFKA_VERSION@/$KAFKA_VERSION/g" -e "s/@LOG4J_VERSION@/$KAFKA_LOG4J_VERSION/g" \
    "$FETCH_POM_TEMPLATE" >"$tmp/pom.xml"

  log "fetching Kafka $KAFKA_VERSION jars from Maven Central (one-time) ..."
  (cd "$tmp" && exec mvn -q -B -f "$tmp/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp/libs") >"$tmp/mvn.log" 2>&1 &
  mvn_pid=$!
  # On exit/interrupt: stop mvn and drop the temp dir (values expanded now, they are local).
  # shellcheck disable=SC2064
  trap "kill $mvn_pid 2>/dev/null || true; rm -rf '$tmp'; rmdir '$KAFKA_HOME' 2>/dev/null || true" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if ! wait "$mvn_pid"; then
    cat "$tmp/mvn.log" >&2 || true
    die "mvn failed to fetch Kafka $KAFKA_VERSION (is the version on Maven Central?)"
  fi
  [[ -f "$tmp/libs/kafka_2.13-$KAFKA_VERSION.jar" ]] \
    || die "fetch finished but kafka_2.13-$KAFKA_VERSION.jar is missing"

  # libs only ever appears through this rename, so it is either absent or complete.
  if [[ ! -e "$LIBS_DIR" ]] && mv "$tmp/libs" "$LIBS_DIR"; then
    log "jars cached in $LIBS_DIR ($(find "$LIBS_DIR" -name '*.jar' | wc -l | tr -d ' ') jars)"
  elif libs_present; then
    log "another process fetched the jars concurrently; using those"
  else
    die "$LIBS_DIR exists but is incomplete; delete it and retry"
  fi
  rm -rf "$tmp"
  trap - EXIT INT TERM
}

# ---------------------------------------------------------------------- config
write_server_properties() {
  mkdir -p "$KAFKA_DATA_DIR" "$LOG_DIRS"
  local tmp="$SERVER_PROPERTIES.tmp.$$" shape="Single-node KRaft cluster"
  if [[ "$KAFKA_VOTERS" == *,* ]]; then
    shape="One node of a multi-node KRaft cluster"
  fi
  cat >"$tmp" <<EOF
# Generated by $SCRIPT_NAME on every start - edit the script, not this file.
# $shape: this JVM is both broker and controller.
process.roles=broker,controller
node.id=$KAFKA_NODE_ID
controller.quorum.voters=$KAFKA_VOTERS
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$LOG_DIRS

# Every internal topic must be satisfiable with the brokers there are (one for a single
# node), otherwise transactions / Kafka Streams exactly-once hang (e.g. stuck in REBALANCING).
offsets.topic.replication.factor=$KAFKA_REPLICATION_FACTOR
transaction.state.log.replication.factor=$KAFKA_REPLICATION_FACTOR
transaction.state.log.min.isr=$KAFKA_MIN_ISR
share.coordinator.state.topic.replication.factor=$KAFKA_REPLICATION_FACTOR
share.coordinator.state.topic.min.isr=$KAFKA_MIN_ISR
default.replication.factor=$KAFKA_REPLICATION_FACTOR
min.insync.replicas=$KAFKA_MIN_ISR

# Fast, predictable local behaviour.
group.initial.rebalance.delay.ms=0
num.partitions=1
auto.create.topics.enable=false
EOF
  mv -f "$tmp" "$SERVER_PROPERTIES"
}

# Formats the log dir exactly once (skipped when meta.properties exists).
format_storage_once() {
  if [[ -f "$LOG_DIRS/meta.properties" ]]; then
    return 0
  fi
  local cluster_id="$KAFKA_CLUSTER_ID"
  [[ -n "$cluster_id" ]] || cluster_id="$(java -cp "$CLASSPATH_GLOB" -Dlog4j2.configurationFile="$LOG4J_CONFIG" \
    -Dtessera.kafka.log.level=WARN kafka.tools.StorageTool random-uuid 2>/dev/null \
    | grep -E '^[A-Za-z0-9_-]{22}$' | tail -n 1 || true)"
  [[ -n "$cluster_id" ]] || die "could not generate a cluster id with kafka.tools.StorageTool random-uuid"
  log "formatting storage in $LOG_DIRS (cluster id $cluster_id)"
  # Static quorum (controller.quorum.voters) -> format without --standalone.
  if ! java -cp "$CLASSPATH_GLOB" -Dlog4j2.configurationFile="$LOG4J_CONFIG" \
      -Dtessera.kafka.log.level=WARN \
      kafka.tools.StorageTool format --cluster-id="$cluster_id" -c "$SERVER_PROPERTIES" >"$KAFKA_DATA_DIR/format.log" 2>&1; then
    cat "$KAFKA_DATA_DIR/format.log" >&2 || true
    die "storage format failed"
  fi
}

# ----------------------------------------------------------------- readiness
# Real readiness check, independent of kcat and of the JVM tools: send a Kafka
# ApiVersions v0 request over bash's /dev/tcp and require a response carrying our
# correlation id and error_code 0. The broker only starts serving client requests
# at the very end of startup (after it is registered and unfenced).
# Request bytes: size=12 | api_key=18 | api_version=0 | correlation_id=0x4b4c | client_id="kl"
# $1: seconds to wait for the response.
api_versions_ok() {
  local out
  out="$(
    exec 2>/dev/null 3<>"/dev/tcp/$HOST/$KAFKA_PORT" || exit 1
    printf '\000\000\000\014\000\022\000\000\000\000\113\114\000\002kl' >&3
    timeout "$1" od -An -tx1 -N10 <&3
  )" || return 1
  out="${out//[[:space:]]/}"
  # response: size(4 bytes, any) | correlation_id=00004b4c | error_code=0000
  [[ "$out" =~ ^[0-9a-f]{8}00004b4c0000$ ]]
}

wait_until_ready() {
  local pid="$1" started_at="$2" deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! pid_alive "$pid"; then
      err "broker process $pid exited during startup; last lines of $BROKER_LOG:"
      tail -n 40 "$BROKER_LOG" >&2 || true
      rm -f "$PID_FILE"
      # Another process bound one of our ports between the check above and the broker's bind.
      grep -q 'Address already in use' "$BROKER_LOG" 2>/dev/null && return "$EXIT_PORT_IN_USE"
      return 1
    fi
    # 1) the server logs this once the broker is unfenced and serving requests;
    # 2) a real ApiVersions round trip on the client listener succeeds.
    if grep -q 'Kafka Server started' "$BROKER_LOG" 2>/dev/null \
        && api_versions_ok 5; then
      log "broker ready at $BOOTSTRAP after $((SECONDS - started_at))s (pid $pid)"
      return 0
    fi
    sleep 0.25
  done
  err "broker not ready after ${KAFKA_START_TIMEOUT}s; last lines of $BROKER_LOG:"
  tail -n 40 "$BROKER_LOG" >&2 || true
  err "stopping the unready broker (pid $pid)"
  stop_pid "$pid" || true
  rm -f "$PID_FILE"
  return 1
}

# ------------------------------------------------------------------- commands
cmd_start() {
  local pid
  if pid="$(running_pid)"; then
    log "already running (pid $pid), bootstrap $BOOTSTRAP"
    return 0
  fi
  require_java
  [[ -f "$LOG4J_CONFIG" ]] || die "missing $LOG4J_CONFIG"
  local port
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$port"; then
      err "port $HOST:$port is already in use by another process (set KAFKA_PORT / KAFKA_CONTROLLER_PORT)"
      exit "$EXIT_PORT_IN_USE"
    fi
  done

  local started_at=$SECONDS
  fetch_libs
  write_server_properties
  format_storage_once

  # Keep the previous run's log for post-mortems; readiness is detected in the fresh one.
  if [[ -f "$BROKER_LOG" ]]; then
    mv -f "$BROKER_LOG" "$BROKER_LOG.1"
  fi
  : >"$BROKER_LOG"

  local -a jvm_opts heap_opts extra_opts
  read -r -a heap_opts <<<"$KAFKA_HEAP"
  read -r -a extra_opts <<<"$KAFKA_OPTS"
  jvm_opts=(
    ${heap_opts[@]+"${heap_opts[@]}"}
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError
    -XX:ErrorFile="$KAFKA_DATA_DIR/hs_err_pid%p.log"
    -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$LOG4J_CONFIG"
    -Dtessera.kafka.log.level="$KAFKA_LOG_LEVEL"
    -Dkafka.logs.dir="$KAFKA_DATA_DIR"
    ${extra_opts[@]+"${extra_opts[@]}"}
  )

  log "starting Kafka $KAFKA_VERSION on $BOOTSTRAP (controller $HOST:$KAFKA_CONTROLLER_PORT), data in $KAFKA_DATA_DIR"
  # Detach from the terminal (own session if setsid exists) and run from the data dir;
  # the inner shell records its own pid and execs java, so the pid file always holds
  # the JVM's pid (even if setsid has to fork).
  local -a detach=()
  command -v setsid >/dev/null 2>&1 && detach=(setsid)
  rm -f "$PID_FILE"
  # shellcheck disable=SC2016 # $$ / $1 are expanded by the inner shell
  (
    cd "$KAFKA_DATA_DIR"
    exec nohup ${detach[@]+"${detach[@]}"} sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$PID_FILE" \
      java "${jvm_opts[@]}" -cp "$CLASSPATH_GLOB" kafka.Kafka "$SERVER_PROPERTIES" \
      >>"$BROKER_LOG" 2>&1 </dev/null
  ) &

  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$PID_FILE" ]] && break
    sleep 0.1
  done
  [[ -s "$PID_FILE" ]] || die "broker did not record its pid in $PID_FILE"
  pid="$(tr -d '[:space:]' <"$PID_FILE")"

  wait_until_ready "$pid" "$started_at" || exit $?
  log "bootstrap: $BOOTSTRAP"
}

# True while $1 exists and is not a zombie (an exited child not yet reaped).
pid_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local state
  state="$(ps -o stat= -p "$1" 2>/dev/null || true)"
  [[ "$state" != Z* ]]
}

# Sends SIGTERM, waits up to KAFKA_STOP_TIMEOUT seconds, then SIGKILL.
stop_pid() {
  local pid="$1" deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
  kill -TERM "$pid" 2>/dev/null || return 0
  # Wait for the pid to vanish entirely (a dying JVM holds its ports until then).
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      err "broker (pid $pid) did not exit within ${KAFKA_STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 10))
      while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
        sleep 0.2
      done
      break
    fi
    sleep 0.2
  done
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    log "not running (port $KAFKA_PORT)"
    return 0
  fi
  log "stopping broker (pid $pid) ..."
  local t0=$SECONDS
  stop_pid "$pid"
  rm -f "$PID_FILE"
  log "stopped after $((SECONDS - t0))s"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    log "running (pid $pid), bootstrap $BOOTSTRAP, data $KAFKA_DATA_DIR"
    return 0
  fi
  log "not running (bootstrap would be $BOOTSTRAP, data $KAFKA_DATA_DIR)"
  return 3
}

cmd_reset() {
  cmd_stop
  if [[ ! -d "$KAFKA_DATA_DIR" ]]; then
    log "nothing to reset ($KAFKA_DATA_DIR does not exist)"
    return 0
  fi
  # Only delete directories that look like ours.
  if [[ -f "$SERVER_PROPERTIES" || -d "$LOG_DIRS" || -z "$(ls -A "$KAFKA_DATA_DIR")" ]]; then
    rm -rf -- "$KAFKA_DATA_DIR"
    log "deleted $KAFKA_DATA_DIR"
  else
    die "$KAFKA_DATA_DIR does not look like a kafka-local data dir; refusing to delete it"
  fi
}

cmd_logs() {
  [[ -f "$BROKER_LOG" ]] || die "no log file at $BROKER_LOG"
  if [[ "${1:-}" == "-f" ]]; then
    exec tail -n 100 -F "$BROKER_LOG"
  fi
  tail -n 100 "$BROKER_LOG"
}

cmd_topics() {
  require_java
  fetch_libs >&2
  exec java -cp "$CLASSPATH_GLOB" -Dlog4j2.configurationFile="$LOG4J_CONFIG" \
    -Dtessera.kafka.log.level=WARN \
    org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" "$@"
}

main() {
  if (($# == 0)); then
    usage >&2
    exit 2
  fi
  local cmd="$1"
  shift
  case "$cmd" in
    -h | --help | help) usage; exit 0 ;;
  esac
  validate_config
  case "$cmd" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    restart) cmd_stop; cmd_start ;;
    reset) cmd_reset ;;
    logs) cmd_logs "$@" ;;
    fetch) fetch_libs; log "jars in $LIBS_DIR" ;;
    classpath) fetch_libs >&2; printf '%s\n' "$CLASSPATH_GLOB" ;;
    topics) cmd_topics "$@" ;;
    *) err "unknown command '$cmd'"; usage >&2; exit 2 ;;
  esac
}

main "$@"
