#!/usr/bin/env bash
# The watchers benchmark (issue 16, part 1): one command, loopback only, not part of `mvn verify`.
#
#   bench/watchers-bench.sh
#
# N watchers (default 10,000) on the registry's events feed — long polls (GET …/events?marker=&wait=) and the
# server-sent-events stream, spread over 100 tenants and all on one tenant — while 10,000 services heartbeat
# at a fixed rate; then the same with etcd 3.4's JSON gateway watch (POST /v3/watch, one watch per connection
# on a key prefix) while 10,000 leases get keepalives at the same rate. A change is a service joining (etcd: a
# put with a lease) and, TTL seconds later, the same service timing out (etcd: the lease expiring); the
# figure is change -> each watcher holding the event, p50/p99/max over every watcher and change, after WARMUPS
# changes that are made and delivered the same way but not counted (both servers' and the client's first pass).
# Environment: WATCHERS (10000), SERVICES (10000), HB_RATE (heartbeats/s offered, 4000), CHANGES (3), WARMUPS (5),
# TTL (3), MODES ("poll sse"), ETCD (1; 0 skips the etcd rows), REGISTRY_JAVA_OPTS (the README's flags),
# REGISTRY_EXTRA_OPTS (e.g. -XX:StartFlightRecording=filename=/tmp/r.jfr), REGISTRY_JAR (another build, for an
# A/B), REGISTRY_JARS ("before=/tmp/a.jar after=/tmp/b.jar": the registry rows of each build, labelled, side by
# side in one run with one etcd anchor), KEEP_WORK=1 to keep the logs.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
WATCHERS="${WATCHERS:-10000}"
SERVICES="${SERVICES:-10000}"
HB_RATE="${HB_RATE:-4000}"
CHANGES="${CHANGES:-3}"
WARMUPS="${WARMUPS:-5}"
TTL="${TTL:-3}"
MODES="${MODES-poll sse}" # MODES= (empty): etcd's rows only
for mode in $MODES; do
  [[ "$mode" == poll || "$mode" == sse ]] || { echo "MODES: poll and/or sse, not '$mode'" >&2; exit 2; }
done
REGISTRY_JAVA_OPTS="${REGISTRY_JAVA_OPTS:--Xms40m -Xmx256m -Xmn24m -XX:+UseSerialGC -Xss512k -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=32m -XX:TrimNativeHeapInterval=2000}"
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx1g -XX:+UseSerialGC}"
JAR="${REGISTRY_JAR:-$ROOT/registry/target/autoreg-registry.jar}"
WORK="$(mktemp -d /tmp/autoreg-watchers.XXXXXX)"
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"

log() { echo "[watchers-bench] $(date -u +%T) $*" >&2; }

# Each watcher is a socket in the bench and one in the server (both inherit this limit).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
((WATCHERS + 200 < $(ulimit -n))) || { log "ulimit -n $(ulimit -n) is too low for $WATCHERS watchers"; exit 1; }

if ! command -v etcd >/dev/null; then
  log "installing etcd-server with apt-get"
  apt-get install -y -qq etcd-server >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq etcd-server; }
fi
ensure_registry_jar
mkdir -p "$WORK/classes"
javac -nowarn -d "$WORK/classes" "$HERE/WatchersBench.java"

ROWS=()
# bench NAME MODE TENANTS PREFIX BASE PID HBFILE [GCLOG]
bench() {
  local name="$1" mode="$2" tenants="$3" prefix="$4" base="$5" pid="$6" hbfile="$7" gclog="${8:-}" load out
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  log "$name: $WATCHERS watchers on $tenants tenant(s), heartbeats at $HB_RATE/s (load $load)"
  out="$(timeout 600 java $BENCH_JAVA_OPTS -cp "$WORK/classes" WatchersBench mode="$mode" base="$base" \
    watchers="$WATCHERS" tenants="$tenants" prefix="$prefix" changes="$CHANGES" warmups="$WARMUPS" ttl="$TTL" hbfile="$hbfile" \
    hbtenant=bench hbrate="$HB_RATE" hbconns=16 baseline=8 pid="$pid" ${gclog:+gclog="$gclog"} 2>>"$WORK/bench.err")" || {
    log "$name failed: $(tail -5 "$WORK/bench.err")"; return 0; }
  log "$out"
  ROWS+=("$name|$load|$out")
}

mapfile -t PORTS < <(java "$HERE/BenchLoader.java" ports 3)
REG_PORT="${PORTS[0]}" ETCD_PORT="${PORTS[1]}" ETCD_PEER="${PORTS[2]}"
REG="http://127.0.0.1:$REG_PORT"
cat >"$WORK/bench.conf" <<CONF
autoreg.server {
  quotas { service = 1000000, session = 1000, configuration-value = 1000 }
  # 10,000 watchers re-polling after every event are reads: the default budget would refuse them.
  rate-limit { reads = 1000000000, writes = 1000000000, window = 1h }
}
CONF

# --- our registry: a fresh one per row, so RSS and threads are that row's -------------------------------
run_registry_row() { # NAME MODE TENANTS PREFIX
  rm -rf "$WORK/registry-data"
  # gc-PID.log: the pauses inside each join's window (WatchersBench's gclog)
  java $REGISTRY_JAVA_OPTS "-Xlog:gc:file=$WORK/gc-%p.log:timenanos" ${REGISTRY_EXTRA_OPTS:-} -jar "$RUN_JAR" --port "$REG_PORT" --bind 127.0.0.1 \
    --data "$WORK/registry-data" --config "$WORK/bench.conf" >>"$WORK/registry.log" 2>&1 &
  REG_PID=$!
  PIDS+=("$REG_PID")
  wait_http "$REG/healthz" 60
  log "creating $SERVICES services (heartbeat_timeout 120)"
  timeout 300 java "$HERE/BenchLoader.java" services "$REG" bench svc "$SERVICES" 120 32 "$WORK/tokens.txt"
  bench "$1" "$2" "$3" "$4" "$REG" "$REG_PID" "$WORK/tokens.txt" "$WORK/gc-$REG_PID.log"
  kill "$REG_PID"; wait "$REG_PID" 2>/dev/null || true
}
for build in ${REGISTRY_JARS:-"=$JAR"}; do
  label="${build%%=*}" RUN_JAR="${build#*=}"
  log "registry${label:+ $label}: java $REGISTRY_JAVA_OPTS -jar $RUN_JAR on $REG"
  for mode in $MODES; do
    run_registry_row "registry${label:+ $label} $mode, 100 tenants" "$mode" 100 "${mode}100"
    run_registry_row "registry${label:+ $label} $mode, 1 tenant" "$mode" 1 "${mode}1"
  done
done

# --- etcd 3.4 ---------------------------------------------------------------------------------------
if [[ "${ETCD:-1}" == 1 ]]; then
start_etcd
bench "etcd 3.4 watch, 100 prefixes" etcd 100 x100 "$ETCD" "$ETCD_PID" "$WORK/leases.txt"
bench "etcd 3.4 watch, 1 prefix" etcd 1 x1 "$ETCD" "$ETCD_PID" "$WORK/leases.txt"
kill "$ETCD_PID"; wait "$ETCD_PID" 2>/dev/null || true
fi

# --- the table --------------------------------------------------------------------------------------
field() { sed -nE "s/.* $2=([^ ]+).*/\1/p" <<<"$1"; }
etcd_p99() { # etcd_p99 TENANTS KIND
  local row
  for row in "${ROWS[@]}"; do
    [[ "$row" == etcd*"tenants=$1 "* ]] && { field "${row##*|}" "$2_p99"; return; }
  done
  echo 0
}
# WatchersBench says -1 where the CPU per join cannot be told (its CpuAccount.perJoin says when).
cpu_cell() { # cpu_cell RESULT
  local server
  server="$(field "$1" server_cpu_per_join_ms)"
  [[ "$server" == -1 ]] && { echo "-"; return; }
  echo "$server+$(field "$1" client_cpu_per_join_ms)"
}
gc_cell() { # gc_cell RESULT: GC pause ms per join window (full GCs among them), '-' where not logged (etcd)
  local ms
  ms="$(field "$1" gc_pause_per_join_ms)"
  [[ -z "$ms" || "$ms" == -1 ]] && { echo "-"; return; }
  echo "$ms ($(field "$1" gc_full_in_joins) full)"
}
echo
echo "autoreg watchers benchmark: $(nproc) cores, $WATCHERS watchers, $SERVICES services heartbeating at" \
  "$HB_RATE/s offered, $CHANGES joins + $CHANGES timeouts (TTL ${TTL}s) after $WARMUPS not counted, $(date -u +%FT%TZ)"
echo "registry at $REGISTRY_JAVA_OPTS; load = 1/5/15-min load average when the row started (other work skews every figure)"
echo "latency = change -> each watcher holding the event, ms (join: from the client sending it; timeout: from the deadline in the registry's event, for etcd from the lease grant's send + TTL)"
printf '%-38s %-15s %-17s %-17s %7s %5s %6s %5s %9s %11s %11s %13s %12s\n' run load "join p50/p99/max" "timeout p50/p99/max" \
  "p99/etcd" lost fail RSS threads "hb/s alone" "hb/s with" "cpu/join s+c" "gc/join"
for row in "${ROWS[@]}"; do
  IFS='|' read -r name load r <<<"$row"
  tenants="$(field "$r" tenants)"
  jp99="$(field "$r" join_p99)" tp99="$(field "$r" timeout_p99)"
  ej="$(etcd_p99 "$tenants" join)" et="$(etcd_p99 "$tenants" timeout)"
  ratio="$(awk -v a="$jp99" -v b="$ej" -v c="$tp99" -v d="$et" 'BEGIN {printf "%.2f/%.2f", (b > 0 ? a / b : 0), (d > 0 ? c / d : 0)}')"
  hb_alone="$(field "$r" hb_alone)" hb_with="$(field "$r" hb_with)"
  printf '%-38s %-15s %-17s %-17s %7s %5s %6s %5s %9s %11s %11s %13s %12s\n' "$name" "${load// /,}" \
    "$(field "$r" join_p50)/$jp99/$(field "$r" join_max)" "$(field "$r" timeout_p50)/$tp99/$(field "$r" timeout_max)" \
    "$ratio" "$(($(field "$r" join_lost) + $(field "$r" timeout_lost)))" "$(field "$r" failures)" \
    "$(field "$r" rss_peak)" "$(field "$r" threads_peak)" "$hb_alone" \
    "$hb_with ($(awk -v a="$hb_with" -v b="$hb_alone" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')x)" \
    "$(cpu_cell "$r")" "$(gc_cell "$r")"
done
echo "p99/etcd = our join/timeout p99 over etcd's with the same number of tenants (prefixes) in this run; RSS MiB peak"
echo "cpu/join s+c = CPU ms of the server + of the bench (the watchers' client) per join, from its send to the last watcher holding it, less the same span when idle (- when the server was busy over 3/4 of a core with nothing changing, or heartbeats ran below 98 % of their rate alone: work the window pushed out would read as less)"
echo "gc/join = ms per join window the registry spent stopped in GC pauses (its -Xlog:gc), and how many of them were full GCs, over all counted joins"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
