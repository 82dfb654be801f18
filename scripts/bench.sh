#!/usr/bin/env bash
# bench.sh - the benchmarks of bench/ against a real broker: ingestion (shipped views against a
# one-count baseline), freshness, lookup latency (against Redis HGETALL), predict over HTTP
# (against a no-op Javalin handler), figures written into docs/BENCHMARKS.md.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd -P)"

RUNS=3
EVENTS=500000
BUDGET=20
CUSTOMERS=10000
FRESHNESS_RATE=200
FRESHNESS_SECONDS=12
LOOKUP_SECONDS=6
PREDICT_CUSTOMERS=2000
PREDICT_EVENTS=40000
PREDICT_RATES=500,1000,2000
PREDICT_SECONDS=10
PIPELINE=1
PREDICT=1
BUILD=1
REDIS=1
WRITE=1
KEEP=0
JVM_OPTS="${BENCH_JVM_OPTS:--Xmx2g}"

usage() {
  cat <<EOF
Usage: scripts/bench.sh [options]

Starts its own Kafka broker (scripts/kafka-local.sh, random free ports, a temporary data dir)
and, if available, its own redis-server, then runs every benchmark --runs times, each in a fresh
JVM ($JVM_OPTS), and writes the medians and min-max of the runs into docs/BENCHMARKS.md between
<!-- bench:start --> and <!-- bench:end --> (sections 1 and 2), and between
<!-- bench:predict:start --> and <!-- bench:predict:end --> (section 3); a section not run
leaves its block alone:

  1. preload --events orders and clicks of --customers customers (plus one customer row each)
     over the last 30 days, in event-time order, into 3-partition topics (Avro single-object,
     idempotent producer); then per run, each a fresh application with exactly-once v2:
       shipped       the shipped views (FeaturePipeline) for --budget seconds of processing,
                     or until caught up: events/s from the first record to the last commit
       one-count     a topology counting events per key in one windowed store: the baseline
       churn-region  the shipped views without customer_risk (diagnosis)
  2. preload the same events shuffled (the event topics are recreated); then per run:
       shipped       until caught up, then in the same JVM:
                     freshness: single orders at --freshness-rate/s, open loop, until a lookup
                     shows them: p50/p99/max from the intended send time;
                     lookups: whole vectors of customer_churn and customer_risk, one thread
       one-count     as above
       redis         HGETALL of a hash as wide as the customer_churn vector (Jedis, loopback)
  3. preload --predict-events orders and clicks of --predict-customers customers (in event-time
     order, the event topics recreated); then per run, in one JVM:
       predict       a Tessera node (TesseraNode, shipped views, bootstrap ONNX model on the
                     churn endpoint) caught up with them, and a no-op Javalin handler next to it;
                     one-row MLflow invocations of random customers at each --predict-rates rate
                     for --predict-seconds, open loop (latency from each request's intended
                     start), then closed loop for the most each does: p50/p99/p99.9/max, req/s

The defaults take about 12 minutes on 2 cores (the predict section alone, about 3). Nothing else should load the machine meanwhile:
the load average is recorded next to the figures.

Options:
  --runs N                runs of each benchmark [$RUNS]
  --events N              orders + clicks to preload [$EVENTS]
  --customers N           customers [$CUSTOMERS]
  --budget N              seconds of processing the shipped views get on the time-ordered
                          history before their rate is taken [$BUDGET]
  --freshness-rate N      orders per second of the freshness benchmark [$FRESHNESS_RATE]
  --freshness-seconds N   measured seconds of freshness, after 12 s of the same traffic unmeasured
                          (the pipeline settles after catching up) [$FRESHNESS_SECONDS]
  --lookup-seconds N      measured seconds per lookup benchmark (after 2 s warm-up) [$LOOKUP_SECONDS]
  --only SECTION          run one section: pipeline (1 and 2) or predict (3)
  --no-predict            skip the predict section (same as --only pipeline)
  --predict-customers N   customers of the predict section [$PREDICT_CUSTOMERS]
  --predict-events N      orders + clicks of the predict section [$PREDICT_EVENTS]
  --predict-rates LIST    open-loop rates, requests per second, comma-separated [$PREDICT_RATES]
  --predict-seconds N     measured seconds per rate and server (after a warm-up) [$PREDICT_SECONDS]
  --no-build              use the classes already built (bench/target/bench-classpath.txt)
  --no-redis              skip the Redis baseline
  --no-write              leave docs/BENCHMARKS.md alone; figures go to bench/target/results.txt
  --keep                  keep the temporary dir (results, logs, broker data)
  -h, --help              show this help

Environment: BENCH_JVM_OPTS  JVM options of the benchmark JVMs [$JVM_OPTS]
The build is 'mvn -B -q -DskipTests -pl bench -am package' (nothing is installed to ~/.m2).
Redis: redis-server from PATH; if missing, installed with apt-get when possible, else skipped.
EOF
}

log() { printf '[bench.sh] %s\n' "$*"; }
die() { printf '[bench.sh] ERROR: %s\n' "$*" >&2; exit 1; }

positive() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 needs a positive whole number, got '$2'"; }

while (($#)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --runs) positive "$1" "${2:-}"; RUNS="$2"; shift 2 ;;
    --events) positive "$1" "${2:-}"; EVENTS="$2"; shift 2 ;;
    --customers) positive "$1" "${2:-}"; CUSTOMERS="$2"; shift 2 ;;
    --freshness-rate) positive "$1" "${2:-}"; FRESHNESS_RATE="$2"; shift 2 ;;
    --freshness-seconds) positive "$1" "${2:-}"; FRESHNESS_SECONDS="$2"; shift 2 ;;
    --lookup-seconds) positive "$1" "${2:-}"; LOOKUP_SECONDS="$2"; shift 2 ;;
    --budget) positive "$1" "${2:-}"; BUDGET="$2"; shift 2 ;;
    --only)
      case "${2:-}" in
        pipeline) PIPELINE=1; PREDICT=0 ;;
        predict) PIPELINE=0; PREDICT=1 ;;
        *) die "--only takes pipeline or predict, got '${2:-}'" ;;
      esac
      shift 2 ;;
    --no-predict) PREDICT=0; shift ;;
    --predict-customers) positive "$1" "${2:-}"; PREDICT_CUSTOMERS="$2"; shift 2 ;;
    --predict-events) positive "$1" "${2:-}"; PREDICT_EVENTS="$2"; shift 2 ;;
    --predict-rates)
      [[ "${2:-}" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] \
        || die "$1 needs positive whole numbers separated by commas, got '${2:-}'"
      PREDICT_RATES="$2"; shift 2 ;;
    --predict-seconds) positive "$1" "${2:-}"; PREDICT_SECONDS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-redis) REDIS=0; shift ;;
    --no-write) WRITE=0; shift ;;
    --keep) KEEP=1; shift ;;
    *) usage >&2; exit 2 ;;
  esac
done

cd "$ROOT"
started=$SECONDS

if ((BUILD)); then
  log "building bench/ and what it needs (mvn package, tests skipped) ..."
  mvn -B -q -DskipTests -pl bench -am package
fi
CLASSPATH_FILE="$ROOT/bench/target/bench-classpath.txt"
[[ -f "$CLASSPATH_FILE" && -d "$ROOT/bench/target/classes" ]] \
  || die "bench/ is not built; run without --no-build"
CP="$ROOT/bench/target/classes:$(cat "$CLASSPATH_FILE")"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tessera-bench.XXXXXX")"
RESULTS="$WORK/results.txt"
KAFKA_DATA="$WORK/kafka"
REDIS_PID=""

free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      return
    fi
  done
}
KAFKA_PORT="$(free_port)"
KAFKA_CONTROLLER_PORT="$(free_port)"
while ((KAFKA_CONTROLLER_PORT == KAFKA_PORT)); do KAFKA_CONTROLLER_PORT="$(free_port)"; done
export KAFKA_PORT KAFKA_CONTROLLER_PORT
export KAFKA_DATA_DIR="$KAFKA_DATA"
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"

cleanup() {
  local rc=$?
  if [[ -n "$REDIS_PID" ]]; then
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  "$SCRIPT_DIR/kafka-local.sh" stop >/dev/null 2>&1 || true
  if ((KEEP)) || ((rc != 0)); then
    log "logs and results kept in $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$SCRIPT_DIR/kafka-local.sh" start
BROKER_VERSION="$(sed -n 's/.*Apache Kafka \([0-9][0-9A-Za-z.-]*\) broker.*/\1/p' <("$SCRIPT_DIR/kafka-local.sh" -h) | head -n 1)"

((PIPELINE || PREDICT)) || die "--no-predict and --only predict leave nothing to run"

REDIS_DESC=""
if ((REDIS && PIPELINE)); then
  if ! command -v redis-server >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    log "installing redis-server with apt-get ..."
    sudo_cmd=""
    [[ "$(id -u)" -eq 0 ]] || sudo_cmd="sudo"
    if ! { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        $sudo_cmd apt-get install -y -qq redis-server; } >"$WORK/apt.log" 2>&1; then
      log "could not install redis-server (see $WORK/apt.log); the Redis baseline is skipped"
    fi
  fi
  if command -v redis-server >/dev/null 2>&1; then
    REDIS_PORT="$(free_port)"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
      --dir "$WORK" --logfile "$WORK/redis.log" &
    REDIS_PID=$!
    for _ in $(seq 50); do
      (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && break
      sleep 0.1
    done
    REDIS_DESC="redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on loopback, persistence off"
    log "redis-server on 127.0.0.1:$REDIS_PORT (pid $REDIS_PID)"
  else
    log "redis-server not available; the Redis baseline is skipped"
  fi
fi

# Runs one benchmark JVM; its log goes to $WORK, its figures ([bench] lines) to the terminal.
run_java() {
  local name="$1"
  shift
  local logfile="$WORK/$name.log"
  log "$name ..."
  # shellcheck disable=SC2086 # JVM_OPTS is a list of options
  if ! java $JVM_OPTS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" "$@" \
      --results "$RESULTS" >"$logfile" 2>&1; then
    tail -n 40 "$logfile" >&2
    die "$name failed (log: $logfile)"
  fi
  sed -n 's/^\[bench\] /    /p' "$logfile"
}

# ingest <scenario> <variant> <run> [options...]
ingest() {
  local scenario="$1" variant="$2" run="$3"
  shift 3
  run_java "$scenario-$variant-run$run" dev.tessera.bench.IngestionBench \
    --bootstrap "$BOOTSTRAP" --work "$WORK/state" --customers "$CUSTOMERS" \
    --scenario "$scenario" --variant "$variant" "$@"
}

preload() {
  run_java "preload-$1" dev.tessera.bench.Preload --bootstrap "$BOOTSTRAP" --events "$EVENTS" \
    --customers "$CUSTOMERS" --order "$1" --reset true
}

if ((PIPELINE)); then
  # 1. History in event-time order, as the topics of a live shop hold it.
  preload time
  for ((run = 1; run <= RUNS; run++)); do
    log "time-ordered history, run $run of $RUNS"
    shipped() { ingest ordered shipped "$run" --topology shipped --budget-seconds "$BUDGET"; }
    one_count() { ingest ordered one-count "$run" --topology one-count; }
    # Alternate which topology goes first, so that drift on the machine hits both alike.
    if ((run % 2 == 1)); then shipped; one_count; else one_count; shipped; fi
    ingest ordered churn-region "$run" --topology shipped --views customer_churn,region_orders
  done

  # 2. The same events shuffled; the caught-up shipped pipeline then serves freshness and lookups.
  preload shuffled
  for ((run = 1; run <= RUNS; run++)); do
    log "shuffled history, run $run of $RUNS"
    shipped() {
      ingest shuffled shipped "$run" --topology shipped --serve true \
        --freshness-rate "$FRESHNESS_RATE" --freshness-seconds "$FRESHNESS_SECONDS" \
        --lookup-seconds "$LOOKUP_SECONDS"
    }
    one_count() { ingest shuffled one-count "$run" --topology one-count; }
    if ((run % 2 == 1)); then shipped; one_count; else one_count; shipped; fi
    if [[ -n "$REDIS_PID" ]]; then
      run_java "redis-run$run" dev.tessera.bench.RedisBench --port "$REDIS_PORT" \
        --customers "$CUSTOMERS" --seconds "$LOOKUP_SECONDS"
    fi
  done
fi

# 3. A smaller history, for a node that must catch up in every run; predict against a no-op.
if ((PREDICT)); then
  run_java preload-predict dev.tessera.bench.Preload --bootstrap "$BOOTSTRAP" \
    --events "$PREDICT_EVENTS" --customers "$PREDICT_CUSTOMERS" --order time --reset true \
    --results-prefix predict.preload
  for ((run = 1; run <= RUNS; run++)); do
    log "predict over HTTP, run $run of $RUNS"
    run_java "predict-run$run" dev.tessera.bench.PredictBench --bootstrap "$BOOTSTRAP" \
      --work "$WORK/state" --customers "$PREDICT_CUSTOMERS" --rates "$PREDICT_RATES" \
      --seconds "$PREDICT_SECONDS"
  done
fi

if ((WRITE)); then
  run_java report dev.tessera.bench.Report --doc "$ROOT/docs/BENCHMARKS.md" --runs "$RUNS" \
    --broker-version "${BROKER_VERSION:-unknown}" --jvm-options "$JVM_OPTS" --redis "$REDIS_DESC" \
    --budget-seconds "$BUDGET"
  log "figures written to docs/BENCHMARKS.md"
else
  cp "$RESULTS" "$ROOT/bench/target/results.txt" 2>/dev/null || true
  log "figures in bench/target/results.txt (docs/BENCHMARKS.md left alone)"
fi
log "done in $((SECONDS - started)) s"
