#!/usr/bin/env bash
# Script test: Debian's kcat as an independent Kafka client against a standalone broker
# (scripts/kafka-local.sh) and the built tessera.jar. Produces JSON orders and a bad record with
# kcat, a customer row and clicks, checks every kind of feature, batch lookups and a prediction
# over HTTP with curl, reads predictions and dead letters
# back with kcat. Loopback only; everything it starts is stopped on exit.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/e2e-kcat.sh [-h]

Needs kcat, curl, jq and model-server/target/tessera.jar (run `mvn -B package` first, or
scripts/test.sh which does both). Uses random free ports and a temporary data directory.
Environment: E2E_TIMEOUT  seconds to wait for each condition (default 90)
USAGE
}
case "${1:-}" in -h | --help) usage; exit 0 ;; esac

cd "$(dirname "$0")/.."
root=$(pwd)
jar=$root/model-server/target/tessera.jar
[ -f "$jar" ] || { echo "missing $jar: run mvn -B package first" >&2; exit 2; }
for tool in kcat curl jq; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install $tool" >&2; exit 2; }
done

timeout_s=${E2E_TIMEOUT:-90}
work=$(mktemp -d "${TMPDIR:-/var/tmp}/tessera-e2e.XXXXXX")
# shellcheck source=scripts/lib/ports.sh
source scripts/lib/ports.sh
# The broker's ports are picked outside the ephemeral range (kafka_local_start); the node binds
# port 0 itself and reports the port it got.
export KAFKA_DATA_DIR=$work/kafka
bootstrap=""
base=""
node_pid=""

cleanup() {
  local rc=$?
  if [ -n "$node_pid" ]; then
    kill "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
  fi
  "$root/scripts/kafka-local.sh" stop >/dev/null 2>&1 || true
  if [ $rc -ne 0 ]; then
    echo "--- tessera log (tail) ---"; tail -n 40 "$work/tessera.log" 2>/dev/null || true
    echo "--- broker log (tail) ---"; tail -n 20 "$KAFKA_DATA_DIR/broker.log" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT INT TERM

WAIT_POLL_S=0.2
# shellcheck source=scripts/lib/checks.sh
source scripts/lib/checks.sh
json_true() { jq -e "$1" >/dev/null <<<"$2"; }

echo "Starting a standalone broker ..."
kafka_local_start "$root/scripts/kafka-local.sh" >/dev/null
bootstrap=127.0.0.1:$KAFKA_PORT
echo "broker on $bootstrap"

echo "Starting tessera serve on a port of its choosing ..."
ORT_DISABLE_TELEMETRY=1 java -Xmx512m -jar "$jar" serve --bootstrap-servers "$bootstrap" \
  --http-port 0 --state-dir "$work/state" -D application.id=e2e-kcat \
  >"$work/tessera.log" 2>&1 &
node_pid=$!
node_port() { sed -n 's/^Tessera node up: HTTP port \([0-9]*\)\..*/\1/p' "$work/tessera.log"; }
wait_for "tessera to report its port" grep -q '^Tessera node up: HTTP port' "$work/tessera.log"
base=http://127.0.0.1:$(node_port)
wait_for "tessera to be ready" curl -sf -m 5 "$base/health/ready"
echo "tessera serves $base"

now_ms=$(($(date +%s) * 1000))
hour_ms=3600000
# A customer row first, so that K-1's orders join its region on the way to region_orders.
echo "K-1|{\"customer_id\":\"K-1\",\"signup_ts\":$((now_ms - 100 * 24 * hour_ms)),\"subscription_tier\":\"premium\",\"region\":\"eu-west\",\"home_lat\":52.52,\"home_lon\":13.40}" \
  | kcat -b "$bootstrap" -t customers -P -K '|'
churn_field() { curl -sf "$base/features/customer_churn/K-1" | jq ".features.$1.value"; }
is_premium() { [ "$(churn_field subscription_tier)" = "2" ]; }
check "customer row produced with kcat is served (premium = ordinal 2)" wait_for "K-1's row" is_premium
check "region is one-hot encoded" [ "$(curl -sf "$base/features/customer_churn/K-1" \
  | jq -c '[.features.region_eu_west.value, .features.region_us_east.value]')" = "[1,0]" ]
check "account_age_days is computed at lookup (100 days)" \
  jq -e '. > 99.9 and . < 100.1' <<<"$(churn_field account_age_days)"

# Clicks: two page views 5 minutes apart, then an add to cart an hour later: two sessions.
{
  for spec in "c1:page_view:$((now_ms - 2 * hour_ms))" "c2:page_view:$((now_ms - 2 * hour_ms + 300000))" \
      "c3:add_to_cart:$((now_ms - hour_ms))"; do
    IFS=: read -r id type ts <<<"$spec"
    echo "K-1|{\"event_id\":\"$id\",\"customer_id\":\"K-1\",\"event_type\":\"$type\",\"event_ts\":$ts}"
  done
} | kcat -b "$bootstrap" -t clicks -P -K '|'
has_two_sessions() { [ "$(churn_field sessions_last_30d)" = "2" ]; }
check "clicks make two sessions (30 min gap)" wait_for "K-1 to have 2 sessions" has_two_sessions
check "page views and cart adds are counted apart" \
  [ "$(churn_field page_views_30d) $(churn_field cart_adds_30d)" = "2 1" ]
check "avg_session_duration is (300 s + 0 s) / 2" [ "$(churn_field avg_session_duration)" = "150" ]

{
  echo "K-1|{\"order_id\":\"k1\",\"customer_id\":\"K-1\",\"order_ts\":$((now_ms - 86400000)),\"order_total\":30.0,\"product_category\":\"books\"}"
  echo "K-1|this is not an order"
  echo "K-1|{\"order_id\":\"k2\",\"customer_id\":\"K-1\",\"order_ts\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\",\"order_total\":12.0,\"product_category\":\"toys\"}"
  echo "K-2|{\"order_id\":\"k3\",\"customer_id\":\"K-2\",\"order_ts\":$now_ms,\"order_total\":\"cheap\",\"product_category\":\"toys\"}"
} | kcat -b "$bootstrap" -t orders -P -K '|'

has_two_orders() {
  [ "$(curl -sf "$base/features/customer_churn/K-1" | jq '.features.total_orders.value')" = "2" ]
}
check "JSON orders produced with kcat are counted" wait_for "K-1 to have 2 orders" has_two_orders
features=$(curl -sf "$base/features/customer_churn/K-1")
check "orders_30d counts both orders" [ "$(jq '.features.orders_30d.value' <<<"$features")" = "2" ]

# Twelve customers with one order each from kcat, twelve from Python, both with their default
# settings: librdkafka's partitioner hashes keys with CRC32 where Java's uses murmur2, so most of
# these land on another partition of the 3 than a lookup reads; each must be counted, once.
order_line() { echo "$1|{\"order_id\":\"$1-o\",\"customer_id\":\"$1\",\"order_ts\":$now_ms,\"order_total\":5.0,\"product_category\":\"books\"}"; }
for i in $(seq 1 12); do order_line "KC-$i"; done | kcat -b "$bootstrap" -t orders -P -K '|'
python=/usr/bin/python3
"$python" - "$bootstrap" "$now_ms" <<'PY' >"$work/python-producer.log" 2>&1 || true
import json, sys
from confluent_kafka import Producer

producer = Producer({"bootstrap.servers": sys.argv[1]})
for i in range(1, 13):
    key = f"PY-{i}"
    order = {"order_id": f"{key}-o", "customer_id": key, "order_ts": int(sys.argv[2]),
             "order_total": 5.0, "product_category": "books"}
    producer.produce("orders", key=key, value=json.dumps(order))
producer.flush()
PY
keys_json=$(for i in $(seq 1 12); do printf '"KC-%s","PY-%s",' "$i" "$i"; done | sed 's/,$//')
counted_once() {
  curl -sf "$base/features/lookup" -H 'Content-Type: application/json' \
    -d "{\"view\":\"customer_churn\",\"keys\":[$keys_json]}" \
    | jq -e '[.results[] | .features.total_orders.value] | length == 24 and all(. == 1)' >/dev/null
}
check "24 customers' orders from kcat and Python with default settings are each counted once" \
  wait_for "every KC- and PY- customer to have 1 order" counted_once
check "they landed on more than one partition" [ "$(kcat -b "$bootstrap" -t orders -C -e -q \
  -f '%k %p\n' | grep -E '^(KC|PY)-' | cut -d' ' -f2 | sort -u | wc -l)" -gt 1 ]

risk=$(curl -sf "$base/features/customer_risk/K-1?amount=250&lat=48.8566&lon=2.3522")
# Berlin to Paris is about 878 km; (250 - mean 21) / sample stddev 12.73 is about 17.99.
check "distance_from_home_km from request lat/lon" json_true \
  '.features.distance_from_home_km.value | (. > 870 and . < 885)' "$risk"
check "amount_zscore from request amount" json_true \
  '.features.amount_zscore.value | (. > 17.9 and . < 18.1)' "$risk"
check "orders_last_5m counts the order of now" json_true '.features.orders_last_5m.value == 1' "$risk"
region_avg() {
  curl -sf "$base/features/customer_risk/K-1" | jq -e '.features.region_avg_order_value_365d.value == 21'
}
check "region_avg_order_value_365d averages the region's orders" wait_for "eu-west's average" region_avg

batch=$(curl -sf "$base/features/lookup" -H 'Content-Type: application/json' \
  -d '{"view":"customer_churn","keys":["K-1","K-2","nobody"]}')
check "POST /features/lookup answers every key in order" json_true \
  '[.results[] | .key] == ["K-1","K-2","nobody"] and [.results[] | .found] == [true,false,false]' "$batch"
check "an unknown key gets the declared defaults" json_true \
  '.results[2].features.days_since_last_order.value == -1' "$batch"
unknown=$(curl -s -w ' %{http_code}' "$base/features/no_such_view/K-1")
check "an unknown view is a 404 naming the views" grep -q 'customer_churn.* 404$' <<<"$unknown"

reply=$(curl -sf "$base/serving-endpoints/churn/invocations" -H 'Content-Type: application/json' \
  -d '{"dataframe_records":[{"customer_id":"K-1"}]}')
check "invocation answers a probability" json_true '.predictions[0].probability | (. > 0 and . < 1)' "$reply"
check "invocation names the model version" json_true '.predictions[0].model_version == "1"' "$reply"

bad=$(curl -s -o /dev/stdout -w ' %{http_code}' "$base/serving-endpoints/churn/invocations" -d '{oops')
check "bad JSON is a 400 with an error code" grep -q 'MALFORMED_REQUEST.* 400$' <<<"$bad"

check "kcat reads the prediction keyed by K-1" wait_for "a prediction for K-1" bash -c \
  "kcat -b $bootstrap -t predictions -C -e -q -f '%k\n' | grep -qx K-1"
magic=$(kcat -b "$bootstrap" -t predictions -C -e -q -c 1 -f '%s' | head -c 2 | od -An -tx1 | tr -d ' \n')
check "predictions are Avro single-object encoded (c3 01)" [ "$magic" = "c301" ]

dlq() { kcat -b "$bootstrap" -t tessera-dlq -C -e -q -f '%h|%s\n'; }
check "both bad records reach the dead-letter topic" wait_for "2 dead letters" bash -c \
  "[ \$(kcat -b $bootstrap -t tessera-dlq -C -e -q -f '%s\n' | wc -l) -ge 2 ]"
letters=$(dlq)
check "and nothing else: no good record is dead-lettered" \
  [ "$(kcat -b "$bootstrap" -t tessera-dlq -C -e -q -f '%s\n' | wc -l)" -eq 2 ]
check "dead letter keeps the raw value" grep -q '|this is not an order$' <<<"$letters"
check "dead letter names source topic and offset" grep -q 'tessera.dlq.source.topic=orders.*tessera.dlq.source.offset=1' <<<"$letters"
check "dead letter says why (bad field)" grep -q 'order_total' <<<"$letters"

# The packaged jar builds a point-in-time training set from the topics (the offline engine runs
# the topology in TopologyTestDriver, which must be in the jar).
printf 'customer_id,ts,label\nK-1,%s,1\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$work/labels.csv"
java -Xmx512m -jar "$jar" training-set --bootstrap-servers "$bootstrap" --state-dir "$work/offline" \
  --feature-service churn_v1 --labels "$work/labels.csv" --out "$work/train.csv" \
  >"$work/training-set.log" 2>&1 || true
check "training-set from the topics gives K-1's two orders" \
  grep -q '^K-1,.*,1,2.0,2.0$' "$work/train.csv"

# --- A topic of the user's own, declared in a definition file with no Java (docs/FEATURES.md,
# "Declared sources and entities"): nested JSON with epoch-second times, produced with no key by
# kcat and keyed by a transaction id by Python, both with their default settings.
kill "$node_pid" 2>/dev/null || true
wait "$node_pid" 2>/dev/null || true
defs=$work/features.yaml
# The node's own definitions only (no churn views, so no seed churn endpoint either).
cat >"$defs" <<'YAML'
entities:
  - {name: buyer, keys: [buyer_id]}
  - {name: buyer_shop, keys: [buyer_id, shop]}
sources:
  - name: purchases
    topic: purchases
    format: json
    fields:
      - {name: buyer_id, path: user.id}
      - {name: shop, path: merchant.name}
      - {name: amount, path: payment.amount, type: double}
    time: {path: ts, unit: epoch_s}
views:
  - name: user_transactions
    entity: buyer
    sources: [purchases]
    features:
      - {name: transactions_5m, source: purchases, aggregation: count, window: 5m}
      - {name: amount_total, source: purchases, aggregation: sum, field: amount, window: lifetime}
  - name: user_merchant_transactions
    entity: buyer_shop
    sources: [purchases]
    features:
      - {name: transactions_1d, source: purchases, aggregation: count, window: 1d}
YAML
echo "Starting tessera serve with declared sources ($defs) ..."
ORT_DISABLE_TELEMETRY=1 java -Xmx512m -jar "$jar" serve --bootstrap-servers "$bootstrap" \
  --http-port 0 --state-dir "$work/state-declared" -D application.id=e2e-declared \
  -D features.file="$defs" >"$work/tessera.log" 2>&1 &
node_pid=$!
wait_for "tessera to report its port" grep -q '^Tessera node up: HTTP port' "$work/tessera.log"
base=http://127.0.0.1:$(node_port)
wait_for "tessera to be ready" curl -sf -m 5 "$base/health/ready"
now_s=$(date +%s)
txn() { echo "{\"id\":\"$1-$2\",\"user\":{\"id\":\"$1\",\"country\":\"DE\"},\"merchant\":{\"name\":\"$2\"},\"payment\":{\"amount\":$3,\"currency\":\"EUR\"},\"ts\":$now_s}"; }
{
  for i in $(seq 1 12); do txn "KU-$i" m-a 10.0; txn "KU-$i" m-b 2.5; done
  echo "{\"user\":{},\"merchant\":{\"name\":\"m-a\"},\"payment\":{\"amount\":1.0},\"ts\":$now_s}"
  echo "{\"user\":{\"id\":\"KU-1\"},\"payment\":{\"amount\":\"lots\"},\"ts\":$now_s}"
} | kcat -b "$bootstrap" -t purchases -P
"$python" - "$bootstrap" "$now_s" <<'PY' >"$work/python-transactions.log" 2>&1 || true
import json, sys
from confluent_kafka import Producer

producer = Producer({"bootstrap.servers": sys.argv[1]})
for i in range(1, 13):
    user = f"PU-{i}"
    txn = {"id": f"t-{user}", "user": {"id": user}, "merchant": {"name": "m-a"},
           "payment": {"amount": 4.0}, "ts": int(sys.argv[2])}
    producer.produce("purchases", key=f"t-{user}", value=json.dumps(txn))
producer.flush()
PY
rows_json=$(for i in $(seq 1 12); do printf '{"buyer_id":"KU-%s"},{"buyer_id":"PU-%s"},' "$i" "$i"; done | sed 's/,$//')
users_counted() {
  curl -sf "$base/features/lookup" -H 'Content-Type: application/json' \
    -d "{\"view\":\"user_transactions\",\"rows\":[$rows_json]}" \
    | jq -e '[.results[] | .features.transactions_5m.value] == ([range(12)] | map(2, 1))' >/dev/null
}
check "24 buyers' nested JSON purchases from kcat and Python are counted by user.id" \
  wait_for "every KU- user to have 2 and every PU- user 1 transaction" users_counted
totals=$(curl -sf "$base/features/lookup" -H 'Content-Type: application/json' \
  -d '{"view":"user_transactions","rows":[{"buyer_id":"KU-1"},{"buyer_id":"PU-1"}]}')
check "amounts are read from payment.amount" json_true \
  '[.results[] | .features.amount_total.value] == [12.5, 4]' "$totals"
pair=$(curl -sf "$base/features/lookup" -H 'Content-Type: application/json' \
  -d '{"view":"user_merchant_transactions","rows":[{"buyer_id":"KU-3","shop":"m-b"},{"buyer_id":"PU-3","shop":"m-b"}]}')
check "a (buyer_id, shop) pair is its own entity" json_true \
  '[.results[] | .features.transactions_1d.value] == [1, 0]' "$pair"
declared_dlq() { kcat -b "$bootstrap" -t tessera-dlq -C -e -q -f '%h\n' | grep 'topic=purchases'; }
check "both bad purchases reach the dead-letter topic" wait_for "2 dead purchases" \
  bash -c "[ \$(kcat -b $bootstrap -t tessera-dlq -C -e -q -f '%h\n' | grep -c 'topic=purchases') -eq 2 ]"
check "a purchase without user.id is dead-lettered naming the field" \
  grep -q 'reason=purchases: missing key field buyer_id (path user.id)' <<<"$(declared_dlq)"
check "a purchase with a text amount is dead-lettered naming the path and value" \
  grep -q 'reason=purchases: payment.amount: expected a number, got string "lots"' <<<"$(declared_dlq)"
check "a node of the user's own definitions has no seed churn endpoint" \
  json_true '.endpoints == []' "$(curl -sf "$base/api/2.0/serving-endpoints")"

echo "kcat e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
