#!/usr/bin/env bash
# cluster.sh - a whole Tessera cluster on one machine, loopback only: three Kafka brokers
# (KRaft, each a combined broker+controller, static 3-voter quorum, replication 3, min ISR 2)
# started through scripts/kafka-local.sh, and three tessera nodes sharing one application id.
#
# See `cluster.sh --help` for commands and configuration.
set -euo pipefail

SCRIPT_PATH="$(readlink -f "${BASH_SOURCE[0]}" 2>/dev/null || printf '%s' "${BASH_SOURCE[0]}")"
SCRIPT_NAME="$(basename "$SCRIPT_PATH")"
SCRIPT_DIR="$(cd "$(dirname "$SCRIPT_PATH")" && pwd -P)"
ROOT_DIR="$(cd "$SCRIPT_DIR/.." && pwd -P)"
KAFKA_LOCAL="$SCRIPT_DIR/kafka-local.sh"

# ---------------------------------------------------------------- configuration
readonly HOST="127.0.0.1"
readonly SIZE=3
TESSERA_CACHE="${TESSERA_CACHE:-$HOME/.cache/tessera}"
[[ "$TESSERA_CACHE" == /* ]] || TESSERA_CACHE="$PWD/$TESSERA_CACHE"
CLUSTER_DIR="${CLUSTER_DIR:-$TESSERA_CACHE/cluster}"
[[ "$CLUSTER_DIR" == /* ]] || CLUSTER_DIR="$PWD/$CLUSTER_DIR"
CLUSTER_BASE_PORT="${CLUSTER_BASE_PORT:-29090}"
CLUSTER_JAR="${CLUSTER_JAR:-$ROOT_DIR/model-server/target/tessera.jar}"
CLUSTER_APP_ID="${CLUSTER_APP_ID:-tessera-cluster}"
CLUSTER_NODE_HEAP="${CLUSTER_NODE_HEAP:--Xmx768m -Xms128m}"
CLUSTER_NODE_OPTS="${CLUSTER_NODE_OPTS:-}"
CLUSTER_NODE_CONFIG="${CLUSTER_NODE_CONFIG:-}"
CLUSTER_NODE_SETTINGS="${CLUSTER_NODE_SETTINGS:-}"
CLUSTER_BROKER_HEAP="${CLUSTER_BROKER_HEAP:--Xmx512m -Xms128m}"
CLUSTER_START_TIMEOUT="${CLUSTER_START_TIMEOUT:-180}"
CLUSTER_STOP_TIMEOUT="${CLUSTER_STOP_TIMEOUT:-30}"

usage() {
  cat <<EOF
Usage: $SCRIPT_NAME <command> [N]

A Tessera cluster on one machine, bound to $HOST only: $SIZE Apache Kafka brokers (KRaft, each
a combined broker+controller, static $SIZE-voter quorum, default.replication.factor 3,
min.insync.replicas 2, offsets and transaction state topics RF 3 / min ISR 2), run with
scripts/kafka-local.sh from its Maven Central jars, and $SIZE tessera nodes
(java -jar tessera.jar serve) with one application id, each with its own state dir,
application.server = its HTTP address, num.standby.replicas=1, topic.replication.factor=3.

Commands:
  up              Build the jar if missing, start every broker and node that is not running,
                  wait until the brokers answer and every node's /health/ready is 200.
  down            Stop the nodes (SIGTERM, then SIGKILL after CLUSTER_STOP_TIMEOUT s), then the
                  brokers. Data stays in CLUSTER_DIR; 'up' carries on with it.
  status          One line per process: up or down, pid, address. Exit 0 if all are up, 3 if not.
  kill-node N     SIGKILL tessera node N (1-$SIZE) and wait until it is gone.
  kill-broker N   SIGKILL broker N (1-$SIZE) and wait until it is gone.
  start-node N    Start node N and wait until it is ready.
  start-broker N  Start broker N and wait until it answers (needs 2 of the $SIZE controllers).
  reset           down, then delete CLUSTER_DIR (all topics, offsets and state).
  -h, --help      Show this help.

Ports (loopback; CLUSTER_BASE_PORT = B [$CLUSTER_BASE_PORT]):
  broker N        Kafka clients B+N ($(ports_line broker_port)),
                  controller B+10+N ($(ports_line controller_port))
  node N          HTTP B+20+N ($(ports_line http_port))

Environment (current value in brackets):
  CLUSTER_BASE_PORT      see above [$CLUSTER_BASE_PORT]
  CLUSTER_DIR            logs, pids, broker data and node state [$CLUSTER_DIR]
                         broker-N/ (broker.log, broker.pid), node-N/ (node.log, node.pid, state/)
  TESSERA_CACHE          cache root; the Kafka jars live there [$TESSERA_CACHE]
  CLUSTER_JAR            tessera jar, built with mvn when missing [$CLUSTER_JAR]
  CLUSTER_APP_ID         application.id of the nodes [$CLUSTER_APP_ID]
  CLUSTER_NODE_HEAP      JVM heap flags of a node [$CLUSTER_NODE_HEAP]
  CLUSTER_NODE_OPTS      extra JVM flags of a node [${CLUSTER_NODE_OPTS:-<empty>}]
  CLUSTER_NODE_CONFIG    properties file passed to every node with --config [${CLUSTER_NODE_CONFIG:-<none>}]
  CLUSTER_NODE_SETTINGS  extra settings for every node, space-separated key=value (-D)
                         [${CLUSTER_NODE_SETTINGS:-<empty>}]
  CLUSTER_BROKER_HEAP    JVM heap flags of a broker [$CLUSTER_BROKER_HEAP]
  CLUSTER_START_TIMEOUT  seconds to wait for a process to be ready [$CLUSTER_START_TIMEOUT]
  CLUSTER_STOP_TIMEOUT   seconds to wait for a clean stop before SIGKILL [$CLUSTER_STOP_TIMEOUT]
  TESSERA_*              settings of the nodes (docs/OPERATIONS.md), inherited by every node

Exit codes: 0 ok, 1 error, 2 usage error, 3 not all up (status), 4 a port is in use (up,
start-node, start-broker; a script that picked CLUSTER_BASE_PORT picks another and tries again).
EOF
}

# ---------------------------------------------------------------------- helpers
log() { printf '[cluster] %s\n' "$*"; }
err() { printf '[cluster] ERROR: %s\n' "$*" >&2; }
die() { err "$*"; exit 1; }
readonly EXIT_PORT_IN_USE=4
die_port() { err "$*"; exit "$EXIT_PORT_IN_USE"; }
# die_after RC MESSAGE: exits 4 if RC says a port was in use, else 1.
die_after() { if (($1 == EXIT_PORT_IN_USE)); then die_port "$2"; else die "$2"; fi; }

broker_port() { echo $((CLUSTER_BASE_PORT + $1)); }
controller_port() { echo $((CLUSTER_BASE_PORT + 10 + $1)); }
http_port() { echo $((CLUSTER_BASE_PORT + 20 + $1)); }
ports_line() {
  local fn="$1" i out=""
  for ((i = 1; i <= SIZE; i++)); do out+="${out:+, }$("$fn" "$i")"; done
  printf '%s' "$out"
}
bootstrap_servers() {
  local i out=""
  for ((i = 1; i <= SIZE; i++)); do out+="${out:+,}$HOST:$(broker_port "$i")"; done
  printf '%s' "$out"
}
voters() {
  local i out=""
  for ((i = 1; i <= SIZE; i++)); do out+="${out:+,}$i@$HOST:$(controller_port "$i")"; done
  printf '%s' "$out"
}

validate_config() {
  local name value
  for name in CLUSTER_BASE_PORT CLUSTER_START_TIMEOUT CLUSTER_STOP_TIMEOUT; do
    value="${!name}"
    [[ "$value" =~ ^[0-9]+$ ]] || die "$name must be a positive integer (got '$value')"
  done
  ((CLUSTER_BASE_PORT >= 1024 && CLUSTER_BASE_PORT + 20 + SIZE < 65536)) \
    || die "CLUSTER_BASE_PORT out of range: $CLUSTER_BASE_PORT"
  [[ -z "$CLUSTER_NODE_CONFIG" || -f "$CLUSTER_NODE_CONFIG" ]] \
    || die "CLUSTER_NODE_CONFIG $CLUSTER_NODE_CONFIG does not exist"
}

member() { # member N: checks 1 <= N <= SIZE
  if ! [[ "${1:-}" =~ ^[0-9]+$ ]] || (($1 < 1 || $1 > SIZE)); then
    err "expected a member number 1-$SIZE (got '${1:-}')"
    exit 2
  fi
}

# Runs kafka-local.sh for broker $1 with the cluster's settings.
kafka_local() {
  local n="$1"
  shift
  KAFKA_PORT="$(broker_port "$n")" KAFKA_CONTROLLER_PORT="$(controller_port "$n")" \
    KAFKA_NODE_ID="$n" KAFKA_VOTERS="$(voters)" KAFKA_CLUSTER_ID="$(cluster_id)" \
    KAFKA_REPLICATION_FACTOR=3 KAFKA_MIN_ISR=2 KAFKA_DATA_DIR="$CLUSTER_DIR/broker-$n" \
    KAFKA_HEAP="$CLUSTER_BROKER_HEAP" KAFKA_START_TIMEOUT="$CLUSTER_START_TIMEOUT" \
    KAFKA_STOP_TIMEOUT="$CLUSTER_STOP_TIMEOUT" TESSERA_CACHE="$TESSERA_CACHE" \
    "$KAFKA_LOCAL" "$@"
}

# One cluster id for all brokers, made once per CLUSTER_DIR (a Kafka Uuid: 16 random bytes,
# base64url without padding).
cluster_id() {
  local file="$CLUSTER_DIR/cluster-id"
  if [[ ! -s "$file" ]]; then
    mkdir -p "$CLUSTER_DIR"
    head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$file.tmp.$$"
    mv -f "$file.tmp.$$" "$file"
  fi
  cat "$file"
}

broker_pid() { # prints the pid of broker $1 if it runs
  local pid_file="$CLUSTER_DIR/broker-$1/broker.pid" pid
  [[ -s "$pid_file" ]] || return 1
  pid="$(tr -d '[:space:]' <"$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" \
    && [[ "$(cmdline "$pid")" == *kafka.Kafka*"$CLUSTER_DIR/broker-$1/server.properties"* ]] \
    && printf '%s\n' "$pid"
}

node_dir() { printf '%s' "$CLUSTER_DIR/node-$1"; }

node_pid() { # prints the pid of node $1 if it runs (guards against pid reuse by its state dir)
  local dir pid
  dir="$(node_dir "$1")"
  [[ -s "$dir/node.pid" ]] || return 1
  pid="$(tr -d '[:space:]' <"$dir/node.pid")"
  [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" && [[ "$(cmdline "$pid")" == *" serve "*"$dir/state"* ]] \
    && printf '%s\n' "$pid"
}

cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || ps -p "$1" -o args= 2>/dev/null || true; }

# True while $1 exists and is not a zombie.
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [[ "$(ps -o stat= -p "$1" 2>/dev/null || true)" != Z* ]]
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

node_ready() { curl -sf -m 2 -o /dev/null "http://$HOST:$(http_port "$1")/health/ready"; }

# Waits up to $2 s for pid $1 to be gone.
wait_gone() {
  local deadline=$((SECONDS + $2))
  while kill -0 "$1" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

ensure_jar() {
  [[ -f "$CLUSTER_JAR" ]] && return 0
  [[ "$CLUSTER_JAR" == "$ROOT_DIR/model-server/target/tessera.jar" ]] \
    || die "CLUSTER_JAR $CLUSTER_JAR does not exist"
  command -v mvn >/dev/null 2>&1 || die "'mvn' not found; it is needed to build $CLUSTER_JAR"
  log "building $CLUSTER_JAR (mvn package, a few minutes the first time) ..."
  (cd "$ROOT_DIR" && mvn -B -q -pl model-server -am package -DskipTests) \
    || die "the build failed"
}

# ------------------------------------------------------------------- brokers
start_brokers() { # start_brokers N...: starts them in parallel (a lone controller has no quorum)
  local n pids=() failed=0 rc
  for n in "$@"; do
    kafka_local "$n" start >"$CLUSTER_DIR/broker-$n.start.log" 2>&1 &
    pids+=($!)
  done
  for ((i = 0; i < ${#pids[@]}; i++)); do
    n="${*:i+1:1}"
    rc=0
    wait "${pids[$i]}" || rc=$?
    if ((rc == 0)); then
      log "broker $n up at $HOST:$(broker_port "$n")"
    else
      # A port taken wins: the caller can then pick other ports.
      if ((rc == EXIT_PORT_IN_USE)); then failed=$EXIT_PORT_IN_USE; elif ((failed == 0)); then failed=1; fi
      err "broker $n did not start:"
      sed 's/^/  /' "$CLUSTER_DIR/broker-$n.start.log" >&2 || true
    fi
  done
  return "$failed"
}

# ---------------------------------------------------------------------- nodes
# Starts node $1 in the background, detached, recording its JVM pid.
launch_node() {
  local n="$1" dir port
  dir="$(node_dir "$n")"
  port="$(http_port "$n")"
  if node_pid "$n" >/dev/null; then
    log "node $n already running (pid $(node_pid "$n"))"
    return 0
  fi
  port_open "$port" && die_port "port $HOST:$port is already in use (set CLUSTER_BASE_PORT)"
  mkdir -p "$dir/state"
  [[ -f "$dir/node.log" ]] && mv -f "$dir/node.log" "$dir/node.log.1"
  : >"$dir/node.log"

  local -a heap extra settings=() args
  read -r -a heap <<<"$CLUSTER_NODE_HEAP"
  read -r -a extra <<<"$CLUSTER_NODE_OPTS"
  local kv
  for kv in $CLUSTER_NODE_SETTINGS; do settings+=(-D "$kv"); done
  args=(serve --bootstrap-servers "$(bootstrap_servers)" --http-host "$HOST" --http-port "$port"
    --state-dir "$dir/state"
    -D "application.id=$CLUSTER_APP_ID" -D "application.server=$HOST:$port"
    -D num.standby.replicas=1 -D topic.replication.factor=3)
  [[ -n "$CLUSTER_NODE_CONFIG" ]] && args+=(--config "$CLUSTER_NODE_CONFIG")
  # Settings last, so that CLUSTER_NODE_SETTINGS can override the ones above.
  args+=(${settings[@]+"${settings[@]}"})

  local -a detach=()
  command -v setsid >/dev/null 2>&1 && detach=(setsid)
  rm -f "$dir/node.pid"
  # shellcheck disable=SC2016 # $$ / $1 are expanded by the inner shell
  (
    cd "$dir"
    export ORT_DISABLE_TELEMETRY=1
    exec nohup ${detach[@]+"${detach[@]}"} sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$dir/node.pid" \
      java ${heap[@]+"${heap[@]}"} -XX:+ExitOnOutOfMemoryError -XX:ErrorFile="$dir/hs_err_pid%p.log" \
      -Djava.io.tmpdir="$dir" ${extra[@]+"${extra[@]}"} -jar "$CLUSTER_JAR" "${args[@]}" \
      >>"$dir/node.log" 2>&1 </dev/null
  ) &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$dir/node.pid" ]] && break
    sleep 0.1
  done
  [[ -s "$dir/node.pid" ]] || die "node $n did not record its pid in $dir/node.pid"
  log "node $n starting (pid $(tr -d '[:space:]' <"$dir/node.pid")), http://$HOST:$port"
}

wait_nodes_ready() { # wait_nodes_ready N...: all ready within CLUSTER_START_TIMEOUT
  local started=$SECONDS deadline=$((SECONDS + CLUSTER_START_TIMEOUT)) n pending
  while :; do
    pending=()
    for n in "$@"; do
      if ! node_pid "$n" >/dev/null; then
        err "node $n exited while starting; last lines of $(node_dir "$n")/node.log:"
        tail -n 30 "$(node_dir "$n")/node.log" >&2 || true
        grep -q 'Address already in use' "$(node_dir "$n")/node.log" && return "$EXIT_PORT_IN_USE"
        return 1
      fi
      node_ready "$n" || pending+=("$n")
    done
    ((${#pending[@]} == 0)) && break
    if ((SECONDS >= deadline)); then
      err "node(s) ${pending[*]} not ready after ${CLUSTER_START_TIMEOUT}s (see $CLUSTER_DIR/node-N/node.log)"
      return 1
    fi
    sleep 0.5
  done
  log "node(s) $* ready after $((SECONDS - started))s"
}

stop_node() { # SIGTERM, then SIGKILL after CLUSTER_STOP_TIMEOUT
  local n="$1" pid
  pid="$(node_pid "$n")" || { log "node $n not running"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" "$CLUSTER_STOP_TIMEOUT"; then
    err "node $n (pid $pid) did not stop within ${CLUSTER_STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || true
  fi
  rm -f "$(node_dir "$n")/node.pid"
  log "node $n stopped"
}

# ------------------------------------------------------------------- commands
cmd_up() {
  local started=$SECONDS n
  command -v curl >/dev/null 2>&1 || die "'curl' not found (apt-get install curl)"
  ensure_jar
  mkdir -p "$CLUSTER_DIR"
  kafka_local 1 fetch >/dev/null
  local brokers=()
  for ((n = 1; n <= SIZE; n++)); do broker_pid "$n" >/dev/null || brokers+=("$n"); done
  if ((${#brokers[@]} > 0)); then
    log "starting broker(s) ${brokers[*]} ..."
    start_brokers "${brokers[@]}" || die_after $? "brokers did not start"
  fi
  local nodes=()
  for ((n = 1; n <= SIZE; n++)); do node_pid "$n" >/dev/null || nodes+=("$n"); done
  for n in ${nodes[@]+"${nodes[@]}"}; do launch_node "$n"; done
  wait_nodes_ready 1 2 3 || die_after $? "the cluster did not come up"
  log "cluster up after $((SECONDS - started))s: bootstrap $(bootstrap_servers)," \
    "nodes on $HOST ports $(ports_line http_port)"
}

cmd_down() {
  local n pid pids=()
  for ((n = 1; n <= SIZE; n++)); do
    stop_node "$n" &
    pids+=($!)
  done
  wait "${pids[@]}" || true
  # The last broker standing has no controller quorum left to acknowledge its controlled
  # shutdown and waits for it until SIGKILL, hence the shorter timeout. Its logs are recovered
  # at the next start.
  local broker_timeout=$((CLUSTER_STOP_TIMEOUT < 15 ? CLUSTER_STOP_TIMEOUT : 15))
  pids=()
  rm -f "$CLUSTER_DIR"/broker-*.stop.log
  for ((n = 1; n <= SIZE; n++)); do
    if broker_pid "$n" >/dev/null; then
      CLUSTER_STOP_TIMEOUT=$broker_timeout kafka_local "$n" stop >"$CLUSTER_DIR/broker-$n.stop.log" 2>&1 &
      pids+=($!)
    fi
  done
  ((${#pids[@]} == 0)) || wait "${pids[@]}" || true
  for ((n = 1; n <= SIZE; n++)); do
    if grep -q SIGKILL "$CLUSTER_DIR/broker-$n.stop.log" 2>/dev/null; then
      log "broker $n stopped with SIGKILL after ${broker_timeout}s (no quorum left for a controlled shutdown)"
    fi
    if pid="$(broker_pid "$n")"; then
      err "broker $n (pid $pid) still running"
      return 1
    fi
  done
  log "cluster down (data kept in $CLUSTER_DIR)"
}

cmd_status() {
  local n pid all=0
  for ((n = 1; n <= SIZE; n++)); do
    if pid="$(broker_pid "$n")"; then
      printf 'broker %d  up      pid %-8s %s:%s\n' "$n" "$pid" "$HOST" "$(broker_port "$n")"
    else
      printf 'broker %d  down    %-12s %s:%s\n' "$n" "" "$HOST" "$(broker_port "$n")"
      all=3
    fi
  done
  for ((n = 1; n <= SIZE; n++)); do
    if pid="$(node_pid "$n")"; then
      local state="up"
      node_ready "$n" || { state="unready"; all=3; }
      printf 'node   %d  %-7s pid %-8s http://%s:%s\n' "$n" "$state" "$pid" "$HOST" "$(http_port "$n")"
    else
      printf 'node   %d  down    %-12s http://%s:%s\n' "$n" "" "$HOST" "$(http_port "$n")"
      all=3
    fi
  done
  return "$all"
}

cmd_kill() { # cmd_kill broker|node N
  local what="$1" n="$2" pid
  if ! pid="$("${what}_pid" "$n")"; then
    log "$what $n is not running"
    return 0
  fi
  kill -KILL "$pid"
  wait_gone "$pid" 10 || die "$what $n (pid $pid) still there 10s after SIGKILL"
  log "$what $n killed (SIGKILL, pid $pid)"
}

cmd_start_node() {
  ensure_jar
  launch_node "$1"
  wait_nodes_ready "$1" || die_after $? "node $1 did not become ready"
}

cmd_reset() {
  cmd_down
  if [[ -d "$CLUSTER_DIR" ]]; then
    [[ -f "$CLUSTER_DIR/cluster-id" || -z "$(ls -A "$CLUSTER_DIR")" ]] \
      || die "$CLUSTER_DIR does not look like a cluster.sh data dir; refusing to delete it"
    rm -rf -- "$CLUSTER_DIR"
    log "deleted $CLUSTER_DIR"
  fi
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
    up | down | status | reset) (($# == 0)) || { err "$cmd takes no argument"; exit 2; } ;;
    kill-node | kill-broker | start-node | start-broker)
      (($# == 1)) || { err "$cmd takes one member number 1-$SIZE"; exit 2; }
      member "$1"
      ;;
  esac
  case "$cmd" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    reset) cmd_reset ;;
    kill-node) cmd_kill node "$1" ;;
    kill-broker) cmd_kill broker "$1" ;;
    start-node) cmd_start_node "$1" ;;
    start-broker)
      mkdir -p "$CLUSTER_DIR"
      start_brokers "$1" || die_after $? "broker $1 did not start"
      ;;
    *) err "unknown command '$cmd'"; usage >&2; exit 2 ;;
  esac
}

main "$@"
