#!/usr/bin/env bash
# Runs every test of the project: unit tests (Surefire), real-broker integration tests
# (Failsafe), then the kcat script test against a standalone broker and the cluster script test
# (3 brokers, 3 nodes, node and broker failures). Installs what the tests need.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/test.sh [-h]

Runs all tests:
  1. mvn -B verify          unit tests (*Test), integration tests against a real in-process
                            Kafka broker (*IT), formatting and lint checks
  2. scripts/e2e-kcat.sh    Debian's kcat as an independent client against scripts/kafka-local.sh
                            and the built tessera.jar
  3. scripts/e2e-cluster.sh scripts/cluster.sh: 3 brokers and 3 nodes; a node and a broker are
                            SIGKILLed and brought back (at most 4 minutes)

Installs kcat, jq, curl and python3-confluent-kafka (the producers the script tests use with
their default settings) with apt-get when they are missing (needs root or sudo).
Environment: MVN_ARGS  extra arguments for mvn (e.g. "-o" offline)
USAGE
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") ;;
  *) usage; exit 2 ;;
esac

cd "$(dirname "$0")/.."

missing=()
for tool in kcat jq curl; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
/usr/bin/python3 -c 'import confluent_kafka' >/dev/null 2>&1 || missing+=(python3-confluent-kafka)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} with apt-get ..."
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Brokers and nodes of the script tests keep their data in memory where the machine has a tmpfs,
# as the Maven tests do (pom.xml, profile tmpfs-for-tests): RocksDB writes a lot for little data.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then export TMPDIR=/dev/shm; fi
# shellcheck disable=SC2086
mvn -B ${MVN_ARGS:-} verify
scripts/e2e-kcat.sh
scripts/e2e-cluster.sh
