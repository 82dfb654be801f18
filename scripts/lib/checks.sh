# shellcheck shell=bash
# checks.sh - assertions and bounded waits shared by the script tests (e2e-kcat.sh, e2e-cluster.sh).
# Source it after setting timeout_s (seconds a wait_for may take); it counts into passed/failed.
passed=0
failed=0
WAIT_POLL_S="${WAIT_POLL_S:-0.2}"
: "${timeout_s:?set timeout_s before sourcing checks.sh}"

check() { # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name"
  fi
}

wait_for() { # wait_for DESCRIPTION COMMAND...: polls every WAIT_POLL_S until COMMAND succeeds
  local what=$1; shift
  local deadline=$((SECONDS + timeout_s))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then echo "timed out waiting for $what" >&2; return 1; fi
    sleep "$WAIT_POLL_S"
  done
}
