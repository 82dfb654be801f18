#!/usr/bin/env bash
# bench.sh - the benchmarks of bench/ against a real broker: ingestion (shipped views against a
# one-count baseline), freshness, lookup latency (against Redis HGETALL), predict over HTTP
# (against a no-op Javalin handler), ONNX Runtime against XGBoost4J scoring the same model, and
# restore time per GB of state; figures written into docs/BENCHMARKS.md.
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
SCORING_ROWS=10000
SCORING_SECONDS=8
RESTORE_EVENTS=3000000
RESTORE_CUSTOMERS=300000
PIPELINE=1
PREDICT=1
SCORING=1
RESTORE=1
BUILD=1
REDIS=1
WRITE=1
KEEP=0
JVM_OPTS="${BENCH_JVM_OPTS:--Xmx2g}"

usage() {
  cat <<EOF
Usage: scripts/bench.sh [options]

Starts its own Kafka broker (scripts/kafka-local.sh, free ports outside the ephemeral range, a
temporary data dir) and, if available, its own redis-server, then runs every benchmark --runs
times, each in a fresh JVM ($JVM_OPTS), and writes the medians and min-max of the runs into
docs/BENCHMARKS.md between <!-- bench:start --> and <!-- bench:end --> (sections 1 and 2), and between
<!-- bench:NAME:start --> and <!-- bench:NAME:end --> for NAME predict (section 3), scoring
(section 4) and restore (section 5); a section not run leaves its block alone:

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
  4. per run, in one JVM, no broker needed:
       scoring       one XGBoost model (200 trees, depth 6, the churn_v2 vector's 18 features)
                     trained with XgboostTrainer on synthetic churn-shaped rows, exported with
                     XgboostOnnxExporter; both engines must agree within 1e-5 on --scoring-rows
                     rows; then ONNX Runtime (OnnxScorer) and XGBoost4J (Booster.predict, a
                     DMatrix per call), one thread each, score them one row per call and in
                     batches of 100, taking turns in 250 ms slices, --scoring-seconds each after
                     a warm-up: p50/p99/p99.9 per call, rows/s
  5. preload --restore-events orders and clicks of --restore-customers customers (in event-time
     order, the event topics recreated); then per run, in one JVM:
       restore       the shipped views catch up with them (exactly-once, no standby) and stop;
                     the state dir is deleted and the same application starts again: seconds
                     from start() to every store restored and RUNNING, changelog bytes on the
                     broker, seconds per GB, records/s

The defaults take about 25 minutes on 2 cores (predict alone about 3, scoring about 1 per run,
restore about 3 per run, depending most on how fast the views build the state). Nothing else
should load the machine meanwhile: the load average is recorded next to the figures.

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
  --only SECTION          run one section: pipeline (1 and 2), predict (3), scoring (4) or
                          restore (5)
  --no-predict            skip the predict section
  --predict-customers N   customers of the predict section [$PREDICT_CUSTOMERS]
  --predict-events N      orders + clicks of the predict section [$PREDICT_EVENTS]
  --predict-rates LIST    open-loop rates, requests per second, comma-separated [$PREDICT_RATES]
  --predict-seconds N     measured seconds per rate and server (after a warm-up) [$PREDICT_SECONDS]
  --scoring-rows N        benchmark rows of the scoring section, a multiple of 100 [$SCORING_ROWS]
  --scoring-seconds N     measured seconds per engine and mode (after 6 s of warm-up)
                          [$SCORING_SECONDS]
  --restore-events N      orders + clicks of the restore section; the shipped views wrote
                          40-80 bytes of changelog per event in the runs so far, so the
                          default gives ~100-200 MB; several hundred MB take ~10 million
                          events of ~1 million customers [$RESTORE_EVENTS]
  --restore-customers N   customers of the restore section [$RESTORE_CUSTOMERS]
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
      PIPELINE=0; PREDICT=0; SCORING=0; RESTORE=0
      case "${2:-}" in
        pipeline) PIPELINE=1 ;;
        predict) PREDICT=1 ;;
        scoring) SCORING=1 ;;
        restore) RESTORE=1 ;;
        *) die "--only takes pipeline, predict, scoring or restore, got '${2:-}'" ;;
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
    --scoring-rows)
      positive "$1" "${2:-}"
      (($2 % 100 == 0)) || die "$1 needs a multiple of 100, got '$2'"
      SCORING_ROWS="$2"; shift 2 ;;
    --scoring-seconds) positive "$1" "${2:-}"; SCORING_SECONDS="$2"; shift 2 ;;
    --restore-events) positive "$1" "${2:-}"; RESTORE_EVENTS="$2"; shift 2 ;;
    --restore-customers) positive "$1" "${2:-}"; RESTORE_CUSTOMERS="$2"; shift 2 ;;
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

# shellcheck source=scripts/lib/ports.sh
source "$SCRIPT_DIR/lib/ports.sh"
export KAFKA_DATA_DIR="$KAFKA_DATA"
BOOTSTRAP=""

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

((PIPELINE || PREDICT || SCORING || RESTORE)) || die "--no-predict and --only predict leave nothing to run"

# The scoring section alone needs no broker.
if ((PIPELINE || PREDICT || RESTORE)); then
  kafka_local_start "$SCRIPT_DIR/kafka-local.sh" || die "the broker did not start"
  BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
  BROKER_VERSION="$(sed -n 's/.*Apache Kafka \([0-9][0-9A-Za-z.-]*\) broker.*/\1/p' <("$SCRIPT_DIR/kafka-local.sh" -h) | head -n 1)"
fi

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
    REDIS_PORT="$(pick_ports 1)"
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

# preload <order> [options...]
preload() {
  local order="$1" name="preload-$1"
  shift
  [ $# -eq 0 ] || name+="-${*: -1}" # preload-time-misplaced
  run_java "$name" dev.tessera.bench.Preload --bootstrap "$BOOTSTRAP" --events "$EVENTS" \
    --customers "$CUSTOMERS" --order "$order" --reset true "$@"
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

  # 1b. The same history with every event on another partition than its key hashes to, as most
  # keys of a librdkafka producer (kcat, Python, Go) are: each goes through <topic>-by-key.
  preload time --placement misplaced
  for ((run = 1; run <= RUNS; run++)); do
    log "time-ordered history on the wrong partitions, run $run of $RUNS"
    ingest misplaced shipped "$run" --topology shipped --budget-seconds "$BUDGET"
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

# 4. The same model in two engines, in one JVM; no broker.
if ((SCORING)); then
  for ((run = 1; run <= RUNS; run++)); do
    log "ONNX Runtime against XGBoost4J, run $run of $RUNS"
    run_java "scoring-run$run" dev.tessera.bench.ScoringBench --rows "$SCORING_ROWS" \
      --seconds "$SCORING_SECONDS"
  done
fi

# 5. A larger history, whose state the shipped views build, lose and restore in every run.
if ((RESTORE)); then
  run_java preload-restore dev.tessera.bench.Preload --bootstrap "$BOOTSTRAP" \
    --events "$RESTORE_EVENTS" --customers "$RESTORE_CUSTOMERS" --order time --reset true \
    --results-prefix restore.preload
  for ((run = 1; run <= RUNS; run++)); do
    log "restore from changelogs, run $run of $RUNS"
    run_java "restore-run$run" dev.tessera.bench.RestoreBench --bootstrap "$BOOTSTRAP" \
      --work "$WORK/state"
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
