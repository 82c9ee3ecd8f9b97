#!/usr/bin/env bash
# The registry benchmark: one command, bounded (~4 minutes), loopback only, not part of `mvn verify`.
#
#   bench/registry-bench.sh
#
# Measures, with wrk on this machine:
#   1. heartbeats/s against 10,000 live services with rotating tokens, p50/p99, server CPU and RSS;
#   2. GET /services?limit=1000 per second;
#   3. RSS with 100,000 live services;
#   4. the same way: etcd's POST /v3/lease/keepalive on 10,000 leases, and a bare Undertow "hello" POST
#      handler (the ceiling of the HTTP stack), and prints our rate as a ratio of each.
# Each heartbeat/baseline row is measured twice: with wrk (-t64, one connection per thread) and with
# LoadGen.java (2 NIO threads, per-connection state; see bench/README.md for why both).
# Environment: REGISTRY_JAVA_OPTS (default: the JVM flags the README recommends), DURATION (15s),
# CONNECTIONS (64), SERVICES (10000), BIG (100000), KEEP_WORK=1 to keep the temp dir with the logs,
# PHASES (default "heartbeat list big hello etcd": the rows to run), GENERATORS ("wrk loadgen"),
# LOADGEN_THREADS (2), LOADGEN_RATE (0 = closed loop; N = a fixed N req/s, coordinated-omission honest),
# REGISTRY_JAR (default registry/target/autoreg-registry.jar, built if older than the sources; another jar
# is used as it is, for A/B runs), SERVER_JFR=1 (JFR recording of the registry, kept in the work dir).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
DURATION="${DURATION:-15s}"
WARMUP="${WARMUP:-5s}"
CONNECTIONS="${CONNECTIONS:-64}"
SERVICES="${SERVICES:-10000}"
BIG="${BIG:-100000}"
REGISTRY_JAVA_OPTS="${REGISTRY_JAVA_OPTS:--Xms40m -Xmx256m -Xmn24m -XX:+UseSerialGC -Xss512k -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=32m -XX:TrimNativeHeapInterval=2000}"
JAR="${REGISTRY_JAR:-$ROOT/registry/target/autoreg-registry.jar}"
PHASES=" ${PHASES:-heartbeat list big hello etcd} "
GENERATORS=" ${GENERATORS:-wrk loadgen} "
LOADGEN_THREADS="${LOADGEN_THREADS:-2}"
LOADGEN_RATE="${LOADGEN_RATE:-0}"
WORK="$(mktemp -d /tmp/autoreg-bench.XXXXXX)"
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"

log() { echo "[bench] $*" >&2; }

ensure_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v etcd >/dev/null || missing+=(etcd-server)
  if ((${#missing[@]})); then
    log "installing ${missing[*]} with apt-get"
    apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; }
  fi
}

phase() { [[ "$PHASES" == *" $1 "* ]]; }
generator() { [[ "$GENERATORS" == *" $1 "* ]]; }

build() {
  ensure_registry_jar
  mkdir -p "$WORK/classes"
  javac -nowarn -cp "$JAR" -d "$WORK/classes" "$HERE/HelloUndertow.java" "$HERE/LoadGen.java"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
CLK_TCK="$(getconf CLK_TCK)"

# run_wrk NAME PID THREADS SCRIPT URL ARGS... -> sets R_RATE R_P50 R_P99 R_BAD R_CPU R_RSS, records a row
run_wrk() {
  local name="$1" pid="$2" threads="$3" script="$4" url="$5"; shift 5
  local before after out
  before="$(cpu_ticks "$pid")"
  out="$(timeout 120 wrk -t"$threads" -c"$CONNECTIONS" -d"$DURATION" --timeout 2s -s "$script" "$url" -- "$@")"
  after="$(cpu_ticks "$pid")"
  record "$name" "$pid" "$((after - before))" "$out"
}

# run_loadgen NAME PID MODE URL ARGS...: the same row, measured with LoadGen.java (its own warm-up)
run_loadgen() {
  local name="$1" pid="$2"; shift 2
  local out
  out="$(SERVER_PID="$pid" CONNECTIONS="$CONNECTIONS" THREADS="$LOADGEN_THREADS" RATE="$LOADGEN_RATE" \
    WARMUP="$WARMUP" DURATION="$DURATION" timeout 180 java -XX:+UseSerialGC -Xmx256m -cp "$WORK/classes" LoadGen "$@")"
  record "$name" "$pid" "$(sed -nE 's/.*server_cpu_ticks=([0-9]+).*/\1/p' <<<"$out")" "$out"
  R_P999="$(sed -nE 's/.*p999_us=([0-9]+).*/\1/p' <<<"$result")"
  R_MAX="$(sed -nE 's/.*max_us=([0-9]+).*/\1/p' <<<"$result")"
  log "$name: p99.9 ${R_P999}us max ${R_MAX}us"
}

# record NAME PID CPU_TICKS OUTPUT: parses a RESULT line (wrk's Lua or LoadGen) into R_* and a table row
record() {
  local name="$1" pid="$2" ticks="$3" out="$4"
  result="$(grep '^RESULT' <<<"$out")" || { echo "$out" >&2; return 1; }
  local requests duration_us
  requests="$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$result")"
  duration_us="$(sed -E 's/.*duration_us=([0-9]+).*/\1/' <<<"$result")"
  R_P50="$(sed -E 's/.*p50_us=([0-9]+).*/\1/' <<<"$result")"
  R_P99="$(sed -E 's/.*p99_us=([0-9]+).*/\1/' <<<"$result")"
  R_BAD="$(sed -E 's/.*non200=([0-9]+) socket_errors=([0-9]+).*/\1+\2/' <<<"$result")"
  R_RATE="$(awk -v r="$requests" -v d="$duration_us" 'BEGIN {printf "%.0f", r / (d / 1e6)}')"
  R_CPU="$(awk -v t="$ticks" -v hz="$CLK_TCK" -v d="$duration_us" 'BEGIN {printf "%.0f", 100 * t / hz / (d / 1e6)}')"
  R_RSS="$(rss_mib "$pid")"
  ROWS+=("$(printf '%-44s %10s %8s %8s %7s %8s %9s' "$name" "$R_RATE" \
    "$(awk -v v="$R_P50" 'BEGIN {printf "%.2f", v / 1000}')" "$(awk -v v="$R_P99" 'BEGIN {printf "%.2f", v / 1000}')" \
    "$R_CPU%" "$R_RSS" "$R_BAD")")
  grep -q 'example=.' <<<"$result" && log "$name: first failure: $(sed -E 's/.*example=//' <<<"$result")"
  grep -q '^SMALLEST_BODY' <<<"$out" && log "$name: smallest answer body $(sed -nE 's/^SMALLEST_BODY //p' <<<"$out") bytes"
  log "$name: $R_RATE/s p50 ${R_P50}us p99 ${R_P99}us cpu $R_CPU% rss ${R_RSS}MiB failed $R_BAD"
}

warm() { # warm NAME THREADS SCRIPT URL ARGS...: same as run_wrk, but short and not recorded
  local threads="$2" script="$3" url="$4"; shift 4
  timeout 60 wrk -t"$threads" -c"$CONNECTIONS" -d"$WARMUP" --timeout 2s -s "$script" "$url" -- "$@" >/dev/null
}

live_services() { curl -s "$1/metrics" | awk '/^autoreg_live_services/ {print $2; exit}'; }

ROWS=()
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
ensure_tools
build
mapfile -t PORTS < <(java "$HERE/BenchLoader.java" ports 4)
REG_PORT="${PORTS[0]}" HELLO_PORT="${PORTS[1]}" ETCD_PORT="${PORTS[2]}" ETCD_PEER="${PORTS[3]}"
REG="http://127.0.0.1:$REG_PORT"
cat >"$WORK/bench.conf" <<CONF
autoreg.server {
  quotas { service = 1000000, session = 1000, configuration-value = 1000 }
  # Heartbeats are never counted; the list run alone would pass the default reads budget.
  rate-limit { reads = 1000000000, writes = 1000000000, window = 1h }
}
CONF

# --- 1. our registry ------------------------------------------------------------------------------
OUR_RATE=0 OUR_P99=0 OUR_BAD=0+0 LG_RATE=0 LG_P99=0 LG_BAD=0+0 LG_HELLO=0 LG_ETCD=0
HELLO_RATE=0 HELLO_RATE_T2=0 ETCD_RATE=0 ETCD_RATE_T2=0 LIST_RATE=0
if phase heartbeat || phase list || phase big; then
  SERVER_OPTS="$REGISTRY_JAVA_OPTS"
  # The profile settings (stacks every 10-20 ms, allocation samples, every GC pause), with monitor
  # waits and parks from 1 ms instead of 10: a blocked IO thread is what a tail of a few ms is made of.
  [[ "${SERVER_JFR:-0}" == 1 ]] && SERVER_OPTS+=" -XX:StartFlightRecording:settings=profile,jdk.JavaMonitorEnter#threshold=1ms,jdk.ThreadPark#threshold=1ms,filename=$WORK/registry.jfr,dumponexit=true"
  log "registry: java $SERVER_OPTS -jar $JAR on $REG"
  java $SERVER_OPTS -jar "$JAR" --port "$REG_PORT" --bind 127.0.0.1 --data "$WORK/registry-data" \
    --config "$WORK/bench.conf" >"$WORK/registry.log" 2>&1 &
  REG_PID=$!
  PIDS+=("$REG_PID")
  wait_http "$REG/healthz" 60
  log "creating $SERVICES services (heartbeat_timeout 120)"
  timeout 300 java "$HERE/BenchLoader.java" services "$REG" bench svc "$SERVICES" 120 32 "$WORK/tokens.txt"
  if phase heartbeat; then
    if generator loadgen; then
      # First, as LoadGen rewrites tokens.txt with every service's latest token when it ends (wrk cannot).
      log "LoadGen heartbeats: $WARMUP warm-up, then $DURATION, $LOADGEN_THREADS threads, rate $LOADGEN_RATE (0 = closed loop)"
      run_loadgen "registry heartbeats (LoadGen)" "$REG_PID" heartbeat "$REG" "$WORK/tokens.txt" bench
      LG_RATE="$R_RATE" LG_P99="$R_P99" LG_BAD="$R_BAD"
    fi
    if generator wrk; then
      # Warm the JIT on services of their own, deleted afterwards: a heartbeat in flight when wrk stops may
      # have rotated a token whose answer wrk never hands to Lua, so tokens never pass from one wrk run to the next.
      log "warming up for $WARMUP on 1,000 other services, then heartbeats for $DURATION (one connection per wrk thread)"
      timeout 300 java "$HERE/BenchLoader.java" services "$REG" warmup warm 1000 120 32 "$WORK/warmup.txt"
      warm heartbeat "$CONNECTIONS" "$HERE/heartbeat.lua" "$REG" "$WORK/warmup.txt" warmup "$CONNECTIONS"
      timeout 300 java "$HERE/BenchLoader.java" delete "$REG" warmup 32 "$WORK/warmup.txt"
      run_wrk "registry heartbeats, 10k services, rotating" "$REG_PID" "$CONNECTIONS" "$HERE/heartbeat.lua" "$REG" \
        "$WORK/tokens.txt" bench "$CONNECTIONS"
      OUR_RATE="$R_RATE" OUR_P99="$R_P99" OUR_BAD="$R_BAD"
    fi
    RSS_10K="$R_RSS"
  fi
  if phase list; then
    warm list 2 "$HERE/static.lua" "$REG" GET "/v1.0/bench/services?limit=1000"
    run_wrk "registry GET /services?limit=1000 (-t2)" "$REG_PID" 2 "$HERE/static.lua" "$REG" GET "/v1.0/bench/services?limit=1000"
    LIST_RATE="$R_RATE" RSS_10K_AFTER_LISTS="$R_RSS"
    LIST_BYTES="$(curl -s "$REG/v1.0/bench/services?limit=1000" | wc -c)"
    LIST_COUNT="$(curl -s "$REG/v1.0/bench/services?limit=1000" | grep -o '"count":[0-9]*' | head -1)"
    log "one list answer: $LIST_BYTES bytes, $LIST_COUNT"
  fi
  if phase big; then
    log "creating $((BIG - SERVICES)) more services for $BIG live"
    timeout 300 java "$HERE/BenchLoader.java" services "$REG" bench100k big "$((BIG - SERVICES))" 120 32 -
    RSS_100K="$(rss_mib "$REG_PID")"
    LIVE_100K="$(live_services "$REG" || true)"
  fi
  kill "$REG_PID"; wait "$REG_PID" 2>/dev/null || true
  [[ "${SERVER_JFR:-0}" == 1 ]] && log "JFR recording: $WORK/registry.jfr (KEEP_WORK=1 keeps it)"
fi

# --- 2. the bare Undertow handler -------------------------------------------------------------------
if phase hello; then
  HELLO="http://127.0.0.1:$HELLO_PORT"
  java $REGISTRY_JAVA_OPTS -cp "$JAR:$WORK/classes" HelloUndertow "$HELLO_PORT" >"$WORK/hello.log" 2>&1 &
  HELLO_PID=$!
  PIDS+=("$HELLO_PID")
  wait_http "$HELLO/" 30
  BODY='{"token":"00000000-0000-0000-0000-000000000000"}'
  if generator loadgen; then
    run_loadgen "bare Undertow hello POST (LoadGen)" "$HELLO_PID" post "$HELLO" /hello "$BODY"
    LG_HELLO="$R_RATE"
  fi
  if generator wrk; then
    warm hello "$CONNECTIONS" "$HERE/static.lua" "$HELLO" POST /hello "$BODY"
    run_wrk "bare Undertow hello POST" "$HELLO_PID" "$CONNECTIONS" "$HERE/static.lua" "$HELLO" POST /hello "$BODY"
    HELLO_RATE="$R_RATE"
    run_wrk "bare Undertow hello POST (-t2)" "$HELLO_PID" 2 "$HERE/static.lua" "$HELLO" POST /hello "$BODY"
    HELLO_RATE_T2="$R_RATE"
  fi
  kill "$HELLO_PID"; wait "$HELLO_PID" 2>/dev/null || true
fi

# --- 3. etcd ------------------------------------------------------------------------------------------
if phase etcd; then
  start_etcd
  if generator loadgen; then
    run_loadgen "etcd 3.4 lease keepalive (LoadGen)" "$ETCD_PID" etcd "$ETCD" "$WORK/leases.txt"
    LG_ETCD="$R_RATE"
  fi
  if generator wrk; then
    warm etcd "$CONNECTIONS" "$HERE/etcd-keepalive.lua" "$ETCD" "$WORK/leases.txt" - "$CONNECTIONS"
    run_wrk "etcd 3.4 lease keepalive, 10k leases" "$ETCD_PID" "$CONNECTIONS" "$HERE/etcd-keepalive.lua" "$ETCD" \
      "$WORK/leases.txt" - "$CONNECTIONS"
    ETCD_RATE="$R_RATE"
    run_wrk "etcd 3.4 lease keepalive (-t2)" "$ETCD_PID" 2 "$HERE/etcd-keepalive.lua" "$ETCD" "$WORK/leases.txt" - 2
    ETCD_RATE_T2="$R_RATE"
  fi
  kill "$ETCD_PID"; wait "$ETCD_PID" 2>/dev/null || true
fi

# --- the table ----------------------------------------------------------------------------------------
# truncated, not rounded, so that 4.998 never prints as a met 5.00
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? int(100 * a / b) / 100 : 0)}'; }
verdict() { awk -v ok="$1" 'BEGIN {print ok ? "yes" : "NO"}'; }
fig() { printf '%-58s %12s %10s %4s\n' "$@"; }
ms() { awk -v v="$1" 'BEGIN {printf "%.2f ms", v / 1000}'; }
at_least() { verdict "$(awk -v a="$1" -v b="$2" -v k="$3" 'BEGIN {print (b > 0 && a >= k * b)}')"; }
no_failures() { verdict "$(awk -v v="$1" 'BEGIN {split(v, p, "+"); print (p[1] + p[2] == 0)}')"; }
echo
echo "autoreg registry benchmark: $(nproc) cores, wrk -c$CONNECTIONS -d$DURATION (-t$CONNECTIONS unless marked -t2)," \
  "LoadGen -c$CONNECTIONS with $LOADGEN_THREADS threads (rate ${LOADGEN_RATE}/s, 0 = closed loop)," \
  "registry at $REGISTRY_JAVA_OPTS, $(date -u +%FT%TZ)"
echo "load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every figure)"
# CPU pressure (share of time some runnable task waited for a core): tells a busy machine from a slow server
[[ -r /proc/pressure/cpu ]] && echo "CPU pressure after the run: $(head -1 /proc/pressure/cpu | cut -d' ' -f2-4)"
echo "CPU = server CPU time during the run in % of one core; RSS = server VmRSS after the run"
printf '%-44s %10s %8s %8s %7s %8s %9s\n' "run" "req/s" "p50 ms" "p99 ms" "CPU" "RSS MiB" "failed"
for row in "${ROWS[@]}"; do echo "$row"; done
echo
fig "figure" "measured" "target" "met"
if phase heartbeat && generator loadgen; then
  phase etcd && fig "heartbeats / etcd keepalives (LoadGen)" "$(ratio "$LG_RATE" "$LG_ETCD")x" ">= 5x" "$(at_least "$LG_RATE" "$LG_ETCD" 5)"
  phase hello && fig "heartbeats / bare Undertow handler (LoadGen)" "$(ratio "$LG_RATE" "$LG_HELLO")x" ">= 0.5x" "$(at_least "$LG_RATE" "$LG_HELLO" 0.5)"
  fig "heartbeat p99 (LoadGen)" "$(ms "$LG_P99")" "< 5 ms" "$(verdict "$(awk -v v="$LG_P99" 'BEGIN {print (v < 5000)}')")"
  fig "failed heartbeats (LoadGen)" "$LG_BAD" "0" "$(no_failures "$LG_BAD")"
fi
if phase heartbeat && generator wrk; then
  phase etcd && fig "heartbeats / etcd keepalives (wrk)" "$(ratio "$OUR_RATE" "$ETCD_RATE")x" ">= 5x" "$(at_least "$OUR_RATE" "$ETCD_RATE" 5)"
  phase hello && fig "heartbeats / bare Undertow handler (wrk)" "$(ratio "$OUR_RATE" "$HELLO_RATE")x" ">= 0.5x" "$(at_least "$OUR_RATE" "$HELLO_RATE" 0.5)"
  fig "heartbeat p99 (wrk)" "$(ms "$OUR_P99")" "< 5 ms" "$(verdict "$(awk -v v="$OUR_P99" 'BEGIN {print (v < 5000)}')")"
  fig "failed heartbeats (wrk: non-200 + socket errors)" "$OUR_BAD" "0" "$(no_failures "$OUR_BAD")"
fi
if phase list; then
  fig "lists of 1,000 / s (Eureka 2,979/s)" "$LIST_RATE" ">= 5958" "$(verdict "$((LIST_RATE >= 5958))")"
  fig "RSS with $SERVICES services (after the list run)" "$RSS_10K_AFTER_LISTS MiB" "< 128" "$(verdict "$((RSS_10K_AFTER_LISTS < 128))")"
  printf '%-58s %12s\n' "one list answer (bytes, $LIST_COUNT)" "$LIST_BYTES"
fi
phase heartbeat && fig "RSS with $SERVICES services (after heartbeats)" "$RSS_10K MiB" "< 128" "$(verdict "$((RSS_10K < 128))")"
phase big && fig "RSS with $BIG services (live per /metrics: ${LIVE_100K:-n/a})" "$RSS_100K MiB" "< 512" "$(verdict "$((RSS_100K < 512))")"
if generator wrk && phase hello && phase etcd; then
  printf '%-58s %12s\n' "reference at -t2: bare handler / etcd keepalives" "$HELLO_RATE_T2 / $ETCD_RATE_T2"
fi
