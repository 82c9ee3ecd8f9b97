#!/usr/bin/env bash
# What one heartbeat costs the registry in garbage, a figure the machine's load does not move:
#
#   bench/heartbeat-alloc.sh            (REGISTRY_JAR=other.jar for another build; ~1 minute, loopback only)
#
# Starts the registry (the recommended flags, plus a JFR recording with per-thread allocation totals every
# second), creates SERVICES services, warms up with LoadGen, then: a quiet pause, a JFR dump, LoadGen for
# DURATION, a quiet pause, a second dump. bench/HeartbeatAlloc.java divides what the IO threads allocated
# between the dumps (jdk.ThreadAllocationStatistics: exact, not sampled) and the young collections by the
# heartbeats /metrics counted, and lists the largest allocation sites (docs/benchmarks.md, "Heartbeat tail").
# Environment: REGISTRY_JAR, REGISTRY_JAVA_OPTS, SERVICES (10000), WARMUP (5s), DURATION (10s),
# CONNECTIONS (64), KEEP_WORK=1.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-5s}"
CONNECTIONS="${CONNECTIONS:-64}"
SERVICES="${SERVICES:-10000}"
REGISTRY_JAVA_OPTS="${REGISTRY_JAVA_OPTS:--Xms40m -Xmx256m -Xmn24m -XX:+UseSerialGC -Xss512k -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=32m -XX:TrimNativeHeapInterval=2000}"
JAR="${REGISTRY_JAR:-$ROOT/registry/target/autoreg-registry.jar}"
WORK="$(mktemp -d /tmp/autoreg-alloc.XXXXXX)"
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
log() { echo "[alloc] $*" >&2; }
trap 'log "failed at line $LINENO (exit $?)"' ERR

ensure_registry_jar
mkdir -p "$WORK/classes"
javac -nowarn -cp "$JAR" -d "$WORK/classes" "$HERE/LoadGen.java"

PORT="$(java "$HERE/BenchLoader.java" ports 1)"
REG="http://127.0.0.1:$PORT"
cat >"$WORK/bench.conf" <<CONF
autoreg.server {
  quotas { service = 1000000, session = 1000, configuration-value = 1000 }
  rate-limit { reads = 1000000000, writes = 1000000000, window = 1h }
}
CONF
# shellcheck disable=SC2086 # the options are a list of flags
java $REGISTRY_JAVA_OPTS -XX:StartFlightRecording:name=alloc,settings=profile,jdk.ThreadAllocationStatistics#period=1s \
  -jar "$JAR" --port "$PORT" --bind 127.0.0.1 --data "$WORK/registry-data" --config "$WORK/bench.conf" \
  >"$WORK/registry.log" 2>&1 &
REG_PID=$!
PIDS+=("$REG_PID")
wait_http "$REG/healthz" 60
log "creating $SERVICES services, then LoadGen warm-up ($WARMUP)"
timeout 300 java "$HERE/BenchLoader.java" services "$REG" bench svc "$SERVICES" 120 32 "$WORK/tokens.txt"
loadgen() { # loadgen WARMUP DURATION
  SERVER_PID="$REG_PID" CONNECTIONS="$CONNECTIONS" THREADS=2 RATE=0 WARMUP="$1" DURATION="$2" \
    timeout 180 java -XX:+UseSerialGC -Xmx256m -cp "$WORK/classes" LoadGen heartbeat "$REG" "$WORK/tokens.txt" bench
}
loadgen "$WARMUP" 1s >/dev/null
heartbeats() { curl -s "$REG/metrics" | awk '/^autoreg_heartbeats_total/ {printf "%d", $2; exit}'; }
# Quiet pauses of more than the 1 s sampling period: the dumps' last totals are then the IO threads' own.
sleep 1.5
HB0="$(heartbeats)"
sleep 1.5
jcmd "$REG_PID" JFR.dump name=alloc filename="$WORK/before.jfr" >/dev/null
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
START=$(date +%s.%N)
OUT="$(loadgen 0s "$DURATION")"
END=$(date +%s.%N)
sleep 1.5
jcmd "$REG_PID" JFR.dump name=alloc filename="$WORK/after.jfr" >/dev/null
HB1="$(heartbeats)"
echo "registry: $JAR"
echo "load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep '^RESULT' <<<"$OUT" | sed 's/^RESULT/LOADGEN/'
java "$HERE/HeartbeatAlloc.java" "$WORK/before.jfr" "$WORK/after.jfr" "$((HB1 - HB0))" \
  "$(awk -v a="$START" -v b="$END" 'BEGIN {printf "%.1f", b - a}')" "${TOP:-12}"
