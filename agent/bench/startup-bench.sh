#!/usr/bin/env bash
# Start-up benchmark of the agent (not part of `mvn verify`). From the repository root:
#   agent/bench/startup-bench.sh [RUNS] [JAVA_HOME]
# Builds what is missing, downloads the OpenTelemetry Java agent from Maven Central (once, cached in
# agent/target/bench), starts the registry on a free loopback port, and prints a table: median
# start -> first HTTP 200 and peak RSS of the sample app with no agent / autoreg / OpenTelemetry
# (exporters off) and with a no-op agent (the JVM's own cost of any -javaagent), RUNS alternating runs
# each (default 15), and autoreg's bind -> visible p50/p99. CPU time columns are less sensitive than wall
# time to other load on the machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-15}"
JAVA_HOME_BENCH="${2:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}"
JAVA="$JAVA_HOME_BENCH/bin/java"
OTEL_VERSION=2.33.1
OTEL_JAR=agent/target/bench/opentelemetry-javaagent-$OTEL_VERSION.jar

if [[ ! -f agent/target/autoreg-agent.jar || ! -f sample-app/target/sample-app.jar || ! -f registry/target/autoreg-registry.jar ]]; then
  ./mvnw -B -q -pl agent,registry,sample-app -am install -DskipTests
fi
mkdir -p agent/target/bench
if [[ ! -f "$OTEL_JAR" ]]; then
  curl -fsSL -o "$OTEL_JAR.tmp" \
    "https://repo1.maven.org/maven2/io/opentelemetry/javaagent/opentelemetry-javaagent/$OTEL_VERSION/opentelemetry-javaagent-$OTEL_VERSION.jar" \
    && mv "$OTEL_JAR.tmp" "$OTEL_JAR" || { echo "OpenTelemetry agent not downloaded: benchmarking without it" >&2; OTEL_JAR=-; }
fi

NOOP_JAR=agent/target/bench/noop-agent.jar
if [[ ! -f "$NOOP_JAR" ]]; then
  "$JAVA_HOME_BENCH/bin/javac" -d agent/target/bench/noop agent/bench/noop/NoopAgent.java
  printf 'Premain-Class: NoopAgent\nCan-Retransform-Classes: true\n' > agent/target/bench/noop/MANIFEST.MF
  "$JAVA_HOME_BENCH/bin/jar" cfm "$NOOP_JAR" agent/target/bench/noop/MANIFEST.MF -C agent/target/bench/noop NoopAgent.class
fi

DATA=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$JAVA" -jar registry/target/autoreg-registry.jar --port "$PORT" --bind 127.0.0.1 --data "$DATA" >/dev/null 2>&1 &
REGISTRY=$!
trap 'kill $REGISTRY 2>/dev/null; wait $REGISTRY 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/v1.0/default/services" >/dev/null && break; sleep 0.1; done

echo "JDK: $("$JAVA" -version 2>&1 | head -1); $(nproc) cores; $RUNS alternating runs"
"$JAVA" agent/bench/StartupBench.java "$JAVA" sample-app/target/sample-app.jar agent/target/autoreg-agent.jar \
  "$OTEL_JAR" "http://127.0.0.1:$PORT/v1.0/default" "$RUNS" "$NOOP_JAR"
