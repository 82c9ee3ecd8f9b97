#!/bin/bash
# Registry soak: does the live heap level off over time? 5,000 services heartbeat at 2,000/s (LoadGen) while
# rounds of 500 services join three churn tenants, every other round deleted, the rest left to time out (3 s);
# every minute the live heap (the old generation after a full GC), RSS and threads are printed. Loopback only.
#   bench/registry-soak.sh                                   # 12 minutes
#   DURATION=360 AUTOREG_SERVER_EVENTS_MAX_TOTAL=30000 bench/registry-soak.sh
# The registry gets the README's flags and inherits the environment (AUTOREG_SERVER_* settings).
set -u
cd "$(dirname "$0")/.."
DUR=${DURATION:-720}
[ -f registry/target/autoreg-registry.jar ] || ./mvnw -B -q install -DskipTests -pl registry -am
W=$(mktemp -d /tmp/autoreg-soak.XXXXXX)
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
java -Xms40m -Xmx256m -Xmn24m -XX:+UseSerialGC -Xss512k -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=32m \
  -XX:TrimNativeHeapInterval=2000 \
  -jar registry/target/autoreg-registry.jar --port "$PORT" --bind 127.0.0.1 --data "$W/data" > "$W/registry.log" 2>&1 &
RPID=$!
trap 'kill $RPID 2>/dev/null; kill $(jobs -p) 2>/dev/null; rm -rf "$W"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/v1.0/x/services" >/dev/null && break; sleep 0.1; done
B="http://127.0.0.1:$PORT"
java bench/BenchLoader.java services "$B" soak svc 5000 30 16 "$W/tokens.txt"
sample() {
  jcmd $RPID GC.run >/dev/null; sleep 1
  live=$(jcmd $RPID GC.heap_info | grep "tenured generation" | grep -o "used [0-9]*K" | grep -o "[0-9]*K")
  rss=$(grep VmRSS /proc/$RPID/status | awk '{print $2}')
  counts=$(curl -s "$B/metrics" | grep -E '^autoreg_(live_services|expiries_total|heartbeats_total|events_kept) ' \
    | sed 's/^autoreg_//' | awk '{printf "%s=%d ", $1, $2}')
  echo "$(date +%T) t=$1 live_heap=$live rss=${rss}K threads=$(ls /proc/$RPID/task | wc -l) $counts"
}
sample 0
SERVER_PID=$RPID RATE=2000 CONNECTIONS=32 WARMUP=1s DURATION=${DUR}s \
  java bench/LoadGen.java heartbeat "$B/v1.0/soak/services" "$W/tokens.txt" soak > "$W/loadgen.log" 2>&1 &
LG=$!
( n=0; end=$((SECONDS + DUR)); while [ $SECONDS -lt $end ]; do
    n=$((n + 1)); tenant=churn$((n % 3))
    java bench/BenchLoader.java services "$B" $tenant c$n 500 3 8 "$W/churn.txt" >/dev/null 2>&1
    if [ $((n % 2)) -eq 0 ]; then java bench/BenchLoader.java delete "$B" $tenant 8 "$W/churn.txt" >/dev/null 2>&1; fi
  done; echo "churn rounds=$n" ) > "$W/churn.log" 2>&1 &
CHURN=$!
t=0; while kill -0 $LG 2>/dev/null; do sleep 60; t=$((t + 60)); sample $t; done
wait $CHURN
cat "$W/churn.log"; grep RESULT "$W/loadgen.log"
