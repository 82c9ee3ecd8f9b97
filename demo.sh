#!/usr/bin/env bash
# The main job, end to end: the registry, the sample app under the agent, and the sidecar beside a second
# sample app that has no agent; then the registry's services as a table.
#   ./demo.sh          keep running and refresh the table every 5 s until Ctrl-C
#   ./demo.sh --once   print the table when both are registered and again once both have heartbeated, then stop
set -euo pipefail
cd "$(dirname "$0")"

once=false
[ "${1:-}" = "--once" ] && once=true

# A jar is stale when it is missing or older than a main source it is built from (test sources are not in it,
# and the sample app does not use the core: counting those rebuilt on every run, as Maven leaves a jar whose
# classes did not change untouched).
stale() { [ ! -f "$1" ] || [ -n "$(find "${@:2}" -newer "$1" -print -quit 2>/dev/null)" ]; }
if stale registry/target/autoreg-registry.jar registry/src/main src-shared/src/main ||
  stale agent/target/autoreg-agent.jar agent/src/main src-shared/src/main ||
  stale sidecar/target/autoreg-sidecar.jar sidecar/src/main src-shared/src/main ||
  stale sample-app/target/sample-app.jar sample-app/src/main; then
  echo "building (./mvnw package -DskipTests)…"
  ./mvnw -B -q package -DskipTests
fi

# A free loopback port: ask the kernel for one rather than hoping 8870 is free.
free_port() { java scripts/FreePort.java; }

work=$(mktemp -d -t autoreg-demo.XXXXXX)
pids=()
stop_all() {
  trap - EXIT INT TERM
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

registry_port=$(free_port)
neighbour_port=$(free_port)
export AUTOREG_REGISTRY_URL="http://127.0.0.1:${registry_port}/v1.0/demo"

java -jar registry/target/autoreg-registry.jar --port "$registry_port" --bind 127.0.0.1 \
  --data "$work/registry-data" >"$work/registry.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$registry_port") 2>/dev/null && break
  sleep 0.1
done

# 1. A JVM app under the agent: no code change, port 0, registered the moment it listens.
java -javaagent:agent/target/autoreg-agent.jar \
  -Dautoreg.service.name=orders -Dautoreg.service.tags=demo,jvm -Dautoreg.heartbeat.timeout=10s \
  -jar sample-app/target/sample-app.jar --port 0 --name orders >"$work/orders.log" 2>&1 &
pids+=($!)

# 2. A neighbour without the agent, watched by the sidecar's HTTP health check.
java -jar sample-app/target/sample-app.jar --port "$neighbour_port" --name payments >"$work/payments.log" 2>&1 &
pids+=($!)
java -jar sidecar/target/autoreg-sidecar.jar run --name payments --port "$neighbour_port" \
  --check http --path /health --interval 1s --heartbeat-timeout 10s --tags demo,sidecar >"$work/sidecar.log" 2>&1 &
pids+=($!)

cli() { java -jar sidecar/target/autoreg-sidecar.jar "$@"; }
echo "registry: http://127.0.0.1:${registry_port}/  (dashboard; logs in $work)"
for _ in $(seq 150); do
  count=$(cli services list --format csv 2>/dev/null | tail -n +2 | grep -c . || true)
  [ "${count:-0}" -ge 2 ] && break
  sleep 0.2
done
cli services list
if $once; then
  # Listed the moment they listen, "new" until their first heartbeat, which comes 6 s after the registration
  # with a 10 s timeout (0.6 x the timeout): show that one too.
  for _ in $(seq 60); do
    passing=$(cli services list 2>/dev/null | grep -c ' passing ' || true)
    [ "${passing:-0}" -ge 2 ] && break
    sleep 0.5
  done
  printf '\nafter their first heartbeat:\n'
  cli services list
  exit 0
fi
echo "refreshing every 5 s; Ctrl-C stops the registry, both apps and the sidecar"
while sleep 5; do
  printf '\n%s\n' "$(date +%T)"
  cli services list || true
done
