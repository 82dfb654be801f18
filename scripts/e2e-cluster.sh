#!/usr/bin/env bash
# Script test: a 3-broker, 3-node cluster from scripts/cluster.sh on free loopback ports.
# Produces customers and orders with kcat, reads every key from every node (forwarded lookups),
# SIGKILLs node 2 under a steady stream of lookups (counts the failed ones and how long they
# lasted), SIGKILLs broker 3 while producing (no order is lost or counted twice, processing
# resumes), brings both back and checks node 2 again. Bounded by a hard timeout; the cluster is
# stopped and its data deleted on every exit.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/e2e-cluster.sh [-h]

Needs kcat, curl, jq and model-server/target/tessera.jar (run `mvn -B package` first, or
scripts/test.sh which does both). Starts 3 brokers and 3 nodes with scripts/cluster.sh on free
ports and a temporary data directory, and stops them on exit.
Environment:
  E2E_CLUSTER_BUDGET  hard limit of the whole test in seconds, cleanup included (default 240)
  E2E_TIMEOUT         seconds to wait for each condition (default 60)
USAGE
}
case "${1:-}" in -h | --help) usage; exit 0 ;; esac

budget=${E2E_CLUSTER_BUDGET:-240}
if [ -z "${E2E_CLUSTER_BOUNDED:-}" ]; then
  # The test runs under a hard timeout; 30 s of the budget are kept for the cleanup trap.
  export E2E_CLUSTER_BOUNDED=1
  exec timeout -k 30 $((budget - 30)) "$0" "$@"
fi

cd "$(dirname "$0")/.."
root=$(pwd)
jar=$root/model-server/target/tessera.jar
[ -f "$jar" ] || { echo "missing $jar: run mvn -B package first" >&2; exit 2; }
for tool in kcat curl jq timeout; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install $tool" >&2; exit 2; }
done

timeout_s=${E2E_TIMEOUT:-60}
t_start=$SECONDS
work=$(mktemp -d "${TMPDIR:-/var/tmp}/tessera-e2e-cluster.XXXXXX")

# shellcheck source=scripts/lib/ports.sh
source scripts/lib/ports.sh
# A base port outside the ephemeral range whose 9 ports (brokers B+1..3, controllers B+11..13,
# nodes B+21..23) are all free.
free_base() { pick_port_block 24 1 2 3 11 12 13 21 22 23; }

export CLUSTER_DIR=$work/cluster CLUSTER_BASE_PORT CLUSTER_APP_ID=e2e-cluster
CLUSTER_BASE_PORT=$(free_base)
# A crashed node's partitions move after the consumer session timeout: 10 s instead of 45 s keeps
# the test short. Standbys answer lookups meanwhile either way.
export CLUSTER_NODE_SETTINGS="kafka.session.timeout.ms=10000"
export CLUSTER_STOP_TIMEOUT=10 CLUSTER_START_TIMEOUT=$timeout_s
cluster=$root/scripts/cluster.sh
bootstrap_of() { echo "127.0.0.1:$(($1 + 1)),127.0.0.1:$(($1 + 2)),127.0.0.1:$(($1 + 3))"; }
bootstrap=$(bootstrap_of "$CLUSTER_BASE_PORT")
node_url() { echo "http://127.0.0.1:$((CLUSTER_BASE_PORT + 20 + $1))"; }
load_pid=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$load_pid" ]; then kill "$load_pid" 2>/dev/null || true; fi
  if [ $rc -ne 0 ]; then
    "$cluster" status || true
    for n in 1 2 3; do
      echo "--- node $n log (tail) ---"; tail -n 15 "$CLUSTER_DIR/node-$n/node.log" 2>/dev/null || true
    done
  fi
  CLUSTER_STOP_TIMEOUT=5 "$cluster" down >/dev/null 2>&1 || true
  if [ $rc -ne 0 ]; then
    # Keep the logs of a failed run (not the data) for a post-mortem.
    local logs="$work.logs"
    mkdir -p "$logs"
    for f in "$CLUSTER_DIR"/node-*/node.log* "$CLUSTER_DIR"/broker-*/broker.log*; do
      [ -f "$f" ] && cp "$f" "$logs/$(basename "$(dirname "$f")")-$(basename "$f")"
    done
    [ -f "$work/lookups.txt" ] && cp "$work/lookups.txt" "$logs/"
    echo "logs kept in $logs"
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 143' INT TERM

WAIT_POLL_S=0.5
# shellcheck source=scripts/lib/checks.sh
source scripts/lib/checks.sh
now_ms() { date +%s%3N; }

keys=()
for i in $(seq 1 30); do keys+=("E-$i"); done
declare -A expected
for k in "${keys[@]}"; do expected[$k]=0; done

kcat_produce() { # kcat_produce TOPIC < lines: fails if any record is not acknowledged by min ISR
  local topic=$1 errors
  errors=$(kcat -b "$bootstrap" -X enable.idempotence=true \
    -X message.timeout.ms=30000 -t "$topic" -P -K '|' 2>&1 >/dev/null | grep -i 'deliver' || true)
  [ -z "$errors" ] || { echo "$errors" >&2; return 1; }
}
produce_orders() { # produce_orders ROUND: one order per key, counted in expected
  local round=$1 ts k
  ts=$(now_ms)
  for k in "${keys[@]}"; do
    echo "$k|{\"order_id\":\"$k-$round\",\"customer_id\":\"$k\",\"order_ts\":$ts,\"order_total\":$((round * 10)).5,\"product_category\":\"books\"}"
  done | kcat_produce orders || return 1
  for k in "${keys[@]}"; do expected[$k]=$((expected[$k] + 1)); done
}
want_json() { # {"E-1":n,...} of the expected lifetime order counts
  local k out="{"
  for k in "${keys[@]}"; do out+="\"$k\":${expected[$k]},"; done
  echo "${out%,}}"
}
# Node $1 answers every key (batch lookup, forwarded to the owners) with the expected count.
counts_right_at() {
  local body
  body=$(curl -sf -m 5 "$(node_url "$1")/features/lookup" -H 'Content-Type: application/json' \
    -d "{\"view\":\"customer_churn\",\"keys\":$(printf '%s\n' "${keys[@]}" | jq -R . | jq -sc .)}") \
    || return 1
  jq -e --argjson want "$(want_json)" \
    '[.results[] | {(.key): .features.total_orders.value}] | add == $want' <<<"$body" >/dev/null
}
counts_right_on() { local n; for n in "$@"; do counts_right_at "$n" || return 1; done; }
# Every key by GET /features/customer_churn/{key} from node $1: prints the nodes that answered.
served_by_each_key() {
  local k body
  for k in "${keys[@]}"; do
    body=$(curl -sf -m 5 "$(node_url "$1")/features/customer_churn/$k") || return 1
    jq -e --argjson n "${expected[$k]}" '.features.total_orders.value == $n' <<<"$body" >/dev/null \
      || return 1
    jq -r .served_by <<<"$body"
  done
}

t0=$SECONDS
for attempt in 1 2 3; do
  echo "cluster.sh up on base port $CLUSTER_BASE_PORT (data in $CLUSTER_DIR) ..."
  rc=0
  "$cluster" up >"$work/up.log" 2>&1 || rc=$?
  [ $rc -eq 0 ] && break
  cat "$work/up.log"
  # Another process took one of the ports before its server bound it: start over on others.
  [ $rc -eq "$PORTS_IN_USE_EXIT" ] && [ $attempt -lt 3 ] || exit 1
  CLUSTER_STOP_TIMEOUT=5 "$cluster" reset >/dev/null 2>&1 || true
  CLUSTER_BASE_PORT=$(free_base)
  bootstrap=$(bootstrap_of "$CLUSTER_BASE_PORT")
  echo "a port was taken; trying again on base port $CLUSTER_BASE_PORT"
done
up_s=$((SECONDS - t0))
echo "cluster up in ${up_s}s"

ts=$(now_ms)
for k in "${keys[@]}"; do
  echo "$k|{\"customer_id\":\"$k\",\"signup_ts\":$((ts - 40 * 86400000)),\"subscription_tier\":\"basic\",\"region\":\"eu-west\"}"
done | kcat_produce customers
produce_orders 1
produce_orders 2
check "orders produced with kcat are counted, every key from every node (batch)" \
  wait_for "every key's 2 orders on every node" counts_right_on 1 2 3
forwarded=1
for n in 1 2 3; do
  owners=$(served_by_each_key "$n") || { forwarded=0; break; }
  # A node answers some keys itself and forwards the others: each node sees all 3 owners.
  [ "$(sort -u <<<"$owners" | wc -l)" -eq 3 ] || forwarded=0
done
check "GET of every key from every node answers, served by all 3 owners (forwarded lookups)" \
  [ $forwarded -eq 1 ]

# --- kill-node 2 under a steady stream of lookups at nodes 1 and 3 --------------------------
lookup_log=$work/lookups.txt
stop_file=$work/stop-lookups
lookups() { # until the stop file appears (or 60 s): one GET at a time, alternating nodes and keys
  local i=0 n k start deadline=$((SECONDS + 60))
  while [ ! -e "$stop_file" ] && [ $SECONDS -lt $deadline ]; do
    n=$((i % 2 == 0 ? 1 : 3))
    k=${keys[$((i % ${#keys[@]}))]}
    start=$(now_ms)
    printf '%s %s\n' "$start" \
      "$(curl -s -m 3 -o /dev/null -w '%{http_code} %{time_total}' "$(node_url "$n")/features/customer_churn/$k")"
    i=$((i + 1))
  done >"$lookup_log"
}
lookups &
load_pid=$!
sleep 2
kill_ms=$(now_ms)
"$cluster" kill-node 2 >/dev/null
# Standbys answer at once; the 10 s session timeout later moves node 2's partitions in a rebalance.
echo "node 2 killed; lookups continue for 16 s (past the session timeout and the rebalance) ..."
sleep 16
touch "$stop_file"
wait "$load_pid" || true
load_pid=""
total=$(wc -l <"$lookup_log")
after=$(awk -v t="$kill_ms" '$1 >= t' "$lookup_log" | wc -l)
fails=$(awk '$2 != 200' "$lookup_log" | wc -l)
fail_window_ms=$(awk '$2 != 200 { if (!f) f = $1; l = $1 + $3 * 1000 } END { print f ? int(l - f) : 0 }' "$lookup_log")
fail_codes=$(awk '$2 != 200 { c[$2]++ } END { for (k in c) printf "%s%s x%d", (n++ ? ", " : ""), k, c[k] }' "$lookup_log")
first_fail=$(awk -v t="$kill_ms" '$2 != 200 { printf "%+d ms", $1 - t; exit }' "$lookup_log")
max_ms=$(awk -v t="$kill_ms" '$1 >= t && $3 * 1000 > m { m = $3 * 1000 } END { printf "%d", m }' "$lookup_log")
p50_ms=$(awk -v t="$kill_ms" '$1 >= t { print $3 * 1000 }' "$lookup_log" | sort -n \
  | awk '{ v[NR] = $1 } END { printf "%.1f", NR ? v[int((NR + 1) / 2)] : 0 }')
echo "lookups during kill-node 2: $total in all, $after after the kill, $fails failed" \
  "(${fail_codes:-none}; first at ${first_fail:-n/a} from the kill, spanning ${fail_window_ms} ms)," \
  "after the kill p50 ${p50_ms} ms, max ${max_ms} ms"
check "lookups went on after the kill (at least 20)" [ "$after" -ge 20 ]
check "every key answers again from nodes 1 and 3 with its count" \
  wait_for "every key on nodes 1 and 3" counts_right_on 1 3

# --- kill-broker 3 while producing -----------------------------------------------------------
"$cluster" kill-broker 3 >/dev/null
t0=$SECONDS
produced_ok=1
for round in 3 4 5; do produce_orders "$round" || produced_ok=0; done
check "3 rounds of orders acknowledged with broker 3 down (min ISR 2)" [ $produced_ok -eq 1 ]
check "nothing lost or counted twice: each key's lifetime count = orders produced (5)" \
  wait_for "5 orders per key on nodes 1 and 3" counts_right_on 1 3
resume_s=$((SECONDS - t0))
echo "processing resumed: all counts current ${resume_s}s after broker 3 died (node 2's" \
  "partitions moved to nodes 1 and 3 after the session timeout)"

# --- bring both back ---------------------------------------------------------------------------
t0=$SECONDS
check "start-broker 3" "$cluster" start-broker 3
broker_s=$((SECONDS - t0))
t0=$SECONDS
check "start-node 2: node 2 ready again" "$cluster" start-node 2
node_s=$((SECONDS - t0))
produce_orders 6
check "node 2 answers every key with its count (6), after a restart" \
  wait_for "6 orders per key on every node" counts_right_on 2 1 3
# A node that rejoins can set off a follow-up rebalance (its restored tasks move back), during which
# every node reports not ready for a moment: wait for the group to settle.
check "status: all 6 processes up and ready once the group settles" \
  wait_for "all 6 processes ready" "$cluster" status
"$cluster" status

total_s=$((SECONDS - t_start))
echo
echo "cluster e2e: $passed passed, $failed failed in ${total_s}s (cleanup follows) - up ${up_s}s;" \
  "kill-node 2: $fails of $after lookups failed, failures spanned ${fail_window_ms} ms, max lookup" \
  "${max_ms} ms; kill-broker 3: counts current after ${resume_s}s; start-broker ${broker_s}s," \
  "start-node ${node_s}s"
if [ "$failed" -eq 0 ]; then echo "PASS"; else echo "FAIL"; fi
[ "$failed" -eq 0 ]
