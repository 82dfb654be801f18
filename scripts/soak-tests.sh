#!/usr/bin/env bash
# soak-tests.sh - proof by repetition: runs the integration tests and the two script tests again
# and again, and reports every failure with its cause. Not part of CI (it takes hours); run it on a
# quiet machine after a change to the tests, the harness or anything timing-dependent, and put
# the counts in docs/OPERATIONS.md ("Tests and their stability").
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/soak-tests.sh [--its N] [--e2e N] [--only its|kcat|cluster] [--out DIR]

Builds once (mvn -B package -DskipTests), then runs
  --its N   the integration test suite (mvn -B verify, every *IT, unit tests skipped) N times
            (default 3)
  --e2e N   scripts/e2e-kcat.sh and scripts/e2e-cluster.sh N times each (default 10)
  --only W  just one of them: its, kcat or cluster
  --out DIR where the summary, each run's output and each failure's logs go
            (default target/soak-<date>)
Prints one line per run (what, run, result, seconds, cause) and a summary; exits 1 if any run
failed. The cause of a failure is the failing test and the first line of its message (ITs), or
the checks that failed and the waits that timed out (script tests); the whole output is kept.
Environment: MVN_ARGS  extra arguments for mvn (e.g. "-o" offline)
USAGE
}

its=3
e2e=10
only=""
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --its) its=$2; shift 2 ;;
    --e2e) e2e=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
case "$only" in "" | its | kcat | cluster) ;; *) usage >&2; exit 2 ;; esac
[[ "$its" =~ ^[0-9]+$ && "$e2e" =~ ^[0-9]+$ ]] || { usage >&2; exit 2; }

cd "$(dirname "$0")/.."
root=$(pwd)
out=${out:-$root/target/soak-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
summary=$out/summary.txt
: >"$summary"
mvn_args=(-B ${MVN_ARGS:-})

# Brokers and nodes of the script tests keep their data in memory where the machine has a tmpfs,
# as the Maven tests do (pom.xml, profile tmpfs-for-tests): RocksDB writes a lot for little data.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then export TMPDIR=/dev/shm; fi
note() { echo "$*" | tee -a "$summary"; }
note "soak on $(hostname) $(date -Is), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
note "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"

echo "building (mvn package -DskipTests) ..."
mvn "${mvn_args[@]}" -q package -DskipTests >"$out/build.log" 2>&1 \
  || { cat "$out/build.log"; echo "the build failed" >&2; exit 1; }

passed=0
failed=0
declare -A ran pass

# it_cause LOG: the failing IT methods and the first line of each failure, from Failsafe's output.
it_cause() {
  { grep -E '<<< (FAILURE|ERROR)!' "$1" || true; } | { grep -v 'Tests run' || true; } \
    | sed 's/ -- Time elapsed.*//; s/^\[ERROR\] //' \
    | head -n 5 | while read -r test; do
      printf '%s: %s; ' "$test" "$(grep -A2 -F "$test" "$1" | sed -n '2p' | cut -c1-160)"
    done
}
# e2e_cause LOG: the checks that failed and the waits that timed out.
# A log with none of them (a script stopped by its hard time budget) gives an empty cause, not an
# error that would end the soak under set -e.
e2e_cause() {
  { grep -E '^FAIL |timed out waiting|ERROR|^Terminated' "$1" || true; } | head -n 5 | tr '\n' ';' \
    | cut -c1-400
}

run() { # run WHAT N: runs WHAT for the Nth time, records and prints its line
  local what=$1 n=$2 log=$out/$1-$2.log t0=$SECONDS rc=0 cause=""
  case "$what" in
    its)
      # -Dtest matches no unit test, so only Failsafe's *IT run; formatting was checked by the build.
      rm -f ./*/target/gc-it-*.log
      mvn "${mvn_args[@]}" verify -Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false \
        -Dspotless.check.skip=true >"$log" 2>&1 || rc=$?
      # Each class's summary (with its time) always; its output and GC logs when the run failed.
      mkdir -p "$out/$what-$n-reports"
      cp ./*/target/failsafe-reports/*IT.txt "$out/$what-$n-reports/" 2>/dev/null || true
      [ $rc -eq 0 ] || {
        cause=$(it_cause "$log")
        cp ./*/target/failsafe-reports/*-output.txt ./*/target/gc-it-*.log \
          "$out/$what-$n-reports/" 2>/dev/null || true
        [ -d model-server/target/cluster-fault-it ] \
          && cp -r model-server/target/cluster-fault-it "$out/$what-$n-reports/" 2>/dev/null || true
      }
      ;;
    kcat) scripts/e2e-kcat.sh >"$log" 2>&1 || rc=$? ;;
    cluster) scripts/e2e-cluster.sh >"$log" 2>&1 || rc=$? ;;
  esac
  [ $rc -eq 0 ] || [ -n "$cause" ] || cause=$(e2e_cause "$log")
  [ $rc -ne 124 ] || cause="stopped by its hard time budget (timeout, exit 124); ${cause}"
  ran[$what]=$((${ran[$what]:-0} + 1))
  if [ $rc -eq 0 ]; then
    passed=$((passed + 1)); pass[$what]=$((${pass[$what]:-0} + 1))
    note "$(printf '%-8s run %2d  ok    %4ds' "$what" "$n" $((SECONDS - t0)))"
  else
    failed=$((failed + 1))
    note "$(printf '%-8s run %2d  FAIL  %4ds  exit %d: %s (output: %s)' "$what" "$n" \
      $((SECONDS - t0)) "$rc" "${cause:-see the output}" "$log")"
  fi
}

if [ -z "$only" ] || [ "$only" = its ]; then
  for ((i = 1; i <= its; i++)); do run its "$i"; done
fi
for ((i = 1; i <= e2e; i++)); do
  if [ -z "$only" ] || [ "$only" = kcat ]; then run kcat "$i"; fi
  if [ -z "$only" ] || [ "$only" = cluster ]; then run cluster "$i"; fi
done

note "summary: $passed passed, $failed failed"
for what in its kcat cluster; do
  [ -n "${ran[$what]:-}" ] && note "  $what: ${pass[$what]:-0}/${ran[$what]} passed"
done
note "load average at the end $(cut -d' ' -f1-3 /proc/loadavg); output in $out"
[ $failed -eq 0 ]
