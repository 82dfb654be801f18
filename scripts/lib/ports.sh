# shellcheck shell=bash
# ports.sh - listening ports for scripts that start servers on ports they choose (the script tests,
# bench.sh), picked outside the kernel's ephemeral range.
#
# Every outgoing connection (the brokers' and nodes' own Kafka clients among them) takes a local
# port from /proc/sys/net/ipv4/ip_local_port_range (32768-60999 on Linux by default). A port in
# that range that is free when checked can be taken by such a connection before the server binds
# it ("Address already in use"), so ports are picked below it (from 10000), or above it where the
# room below is too small. A server that still fails to bind (another picker chose the same port)
# exits with PORTS_IN_USE_EXIT (kafka-local.sh, cluster.sh), and the caller picks again.
# The same rule as dev.tessera.serving.node.ListenPorts in the Java code.

PORTS_IN_USE_EXIT=4
PORTS_LOWEST=10000

# ephemeral_range: prints "LOW HIGH" of the kernel's ephemeral range (Linux's default if unknown).
ephemeral_range() {
  local lo hi
  if read -r lo hi </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null \
      && [[ "$lo" =~ ^[0-9]+$ && "$hi" =~ ^[0-9]+$ ]] && ((lo <= hi)); then
    echo "$lo $hi"
  else
    echo "32768 60999"
  fi
}

# port_candidates SPAN: prints "FROM TO", where a block of SPAN ports starting at any base in
# FROM..TO lies wholly outside the ephemeral range.
port_candidates() {
  local span=$1 lo hi below above
  read -r lo hi <<<"$(ephemeral_range)"
  below=$((lo - span - PORTS_LOWEST))
  above=$((65536 - span - (hi + 1 > PORTS_LOWEST ? hi + 1 : PORTS_LOWEST)))
  if ((below >= above && below >= 1000)); then
    echo "$PORTS_LOWEST $((lo - span))"
  elif ((above >= 1000)); then
    local from=$((hi + 1 > PORTS_LOWEST ? hi + 1 : PORTS_LOWEST))
    echo "$from $((65536 - span))"
  else
    echo "no room for listening ports outside the ephemeral range $lo-$hi" \
      "(/proc/sys/net/ipv4/ip_local_port_range)" >&2
    return 1
  fi
}

# port_free PORT: true when nothing listens on 127.0.0.1:PORT.
port_free() { ! (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pick_port_block SPAN OFFSET...: prints a base B outside the ephemeral range (with B+SPAN) such
# that every B+OFFSET is free now.
pick_port_block() {
  local span=$1 from to base off ok tries
  shift
  read -r from to <<<"$(port_candidates "$span")" || return 1
  for ((tries = 0; tries < 200; tries++)); do
    base=$((from + (RANDOM * 32768 + RANDOM) % (to - from + 1)))
    ok=1
    for off in "$@"; do port_free $((base + off)) || { ok=0; break; }; done
    ((ok)) && { echo "$base"; return 0; }
  done
  echo "no free block of $span ports found in $from-$to" >&2
  return 1
}

# pick_ports N: prints N distinct ports, free now and outside the ephemeral range, on one line.
pick_ports() {
  local n=$1 out=() port
  while ((${#out[@]} < n)); do
    port=$(pick_port_block 1 0) || return 1
    [[ " ${out[*]} " == *" $port "* ]] || out+=("$port")
  done
  echo "${out[*]}"
}

# kafka_local_start KAFKA_LOCAL_SH: starts a broker with kafka-local.sh on two ports picked here
# (exported as KAFKA_PORT and KAFKA_CONTROLLER_PORT), picking others should one be taken before the
# broker binds it. Returns kafka-local.sh's exit code.
kafka_local_start() {
  local script=$1 attempt rc=0
  for attempt in 1 2 3; do
    read -r KAFKA_PORT KAFKA_CONTROLLER_PORT <<<"$(pick_ports 2)" || return 1
    export KAFKA_PORT KAFKA_CONTROLLER_PORT
    rc=0
    "$script" start || rc=$?
    ((rc == PORTS_IN_USE_EXIT)) || return "$rc"
    echo "a port was taken before the broker bound it; picking others" >&2
  done
  return "$rc"
}
