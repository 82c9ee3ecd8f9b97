#!/usr/bin/env bash
# The agent's full path (a config file: the core's settings reader and the nested libraries jar), builds side by side
# (not part of `mvn verify`). From the repository root:
#   agent/bench/full-path-bench.sh [RUNS] [label=AGENT_JAR ...]
# Starts the registry, etcd when `etcd` is installed and the Eureka fixture (backends-it/eureka-server), on free loopback
# ports; for service-registry, etcd and Eureka runs RUNS alternating cold starts (default 10) of the sample app under
# the current agent build ("current") and each build given, each configured by a file (etcd and Eureka also by the
# agent's arguments, which the agent reads itself), and prints per build the medians of start -> visible in the registry, the
# process's CPU 1.5 s after that, the agent's threads' CPU, and the runs that printed a JVM warning on the host's
# stderr, with ratios over the current build. A build of an earlier commit: `git worktree add /tmp/before <commit>`,
# `./mvnw -B -q -pl agent -am package -DskipTests` there, then `before=/tmp/before/agent/target/autoreg-agent.jar`.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-10}"
shift || true
JAVA="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}/bin/java"

if [[ ! -f agent/target/autoreg-agent.jar || ! -f sample-app/target/sample-app.jar || ! -f registry/target/autoreg-registry.jar ]]; then
  ./mvnw -B -q -pl agent,registry,sample-app -am package -DskipTests
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
DATA=$(mktemp -d)
PIDS=()
# under set -e a failing command in the trap ends the script with its status: a killed server's 143
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$DATA"' EXIT
PORT=$(free_port)
"$JAVA" -jar registry/target/autoreg-registry.jar --port "$PORT" --bind 127.0.0.1 --data "$DATA/registry" >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/v1.0/default/services" >/dev/null && break; sleep 0.1; done
ETCD_URL=-
if command -v etcd >/dev/null; then
  CLIENT=$(free_port)
  PEER=$(free_port)
  etcd --data-dir "$DATA/etcd" --listen-client-urls "http://127.0.0.1:$CLIENT" --advertise-client-urls "http://127.0.0.1:$CLIENT" \
    --listen-peer-urls "http://127.0.0.1:$PEER" --initial-advertise-peer-urls "http://127.0.0.1:$PEER" \
    --initial-cluster "default=http://127.0.0.1:$PEER" >/dev/null 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do curl -fs -X POST "http://127.0.0.1:$CLIENT/v3/kv/range" -d '{"key":"AA=="}' >/dev/null && break; sleep 0.1; done
  ETCD_URL="http://127.0.0.1:$CLIENT"
else
  echo "etcd not installed: service-registry only" >&2
fi

EUREKA_URL=-
EUREKA_JAR=backends-it/eureka-server/target/autoreg-eureka-fixture-exec.jar
if [[ ! -f "$EUREKA_JAR" ]]; then
  ./mvnw -B -q -pl backends-it/eureka-server package -DskipTests || echo "Eureka fixture not built: no Eureka runs" >&2
fi
if [[ -f "$EUREKA_JAR" ]]; then
  EPORT=$(free_port)
  "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -jar "$EUREKA_JAR" --server.port="$EPORT" >/dev/null 2>&1 &
  PIDS+=($!)
  for _ in $(seq 600); do curl -fs "http://127.0.0.1:$EPORT/eureka/apps" >/dev/null && break; sleep 0.1; done
  EUREKA_URL="http://127.0.0.1:$EPORT/eureka"
fi

echo "$(nproc) cores; JDK: $("$JAVA" -version 2>&1 | head -1); load before: $(uptime | sed 's/.*load average: //')"
"$JAVA" agent/bench/FullPathBench.java "$JAVA" sample-app/target/sample-app.jar "http://127.0.0.1:$PORT/v1.0/default" \
  "$ETCD_URL" "$EUREKA_URL" "$RUNS" "current=agent/target/autoreg-agent.jar" "$@"
echo
echo "load after: $(uptime | sed 's/.*load average: //')"
