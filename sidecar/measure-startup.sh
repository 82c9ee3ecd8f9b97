#!/usr/bin/env bash
# Sidecar start-up time and RSS while watching one neighbour (the sample app), against the real registry.
#   sidecar/measure-startup.sh [RUNS]      (after ./mvnw -pl sidecar -am package -DskipTests)
# Prints, per JVM flag set, the median time from `java` starting to the neighbour being listed by the
# registry, and the sidecar's RSS 10 s after start (ps -o rss).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d -t autoreg-measure.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
reg=$(free_port); app=$(free_port)
java -jar registry/target/autoreg-registry.jar --port "$reg" --bind 127.0.0.1 --data "$work/data" >"$work/reg.log" 2>&1 & pids+=($!)
java -jar sample-app/target/sample-app.jar --port "$app" >"$work/app.log" 2>&1 & pids+=($!)
until curl -sf "http://127.0.0.1:$reg/v1.0/m/services" >/dev/null && curl -sf "http://127.0.0.1:$app/health" >/dev/null; do sleep 0.1; done

measure() {
  local label=$1; shift
  local times=() rss=0
  for i in $(seq "$runs"); do
    local id="orders-$i-$RANDOM"
    local t0; t0=$(date +%s%N)
    java "$@" -jar sidecar/target/autoreg-sidecar.jar run --registry-url "http://127.0.0.1:$reg/v1.0/m" \
      --port "$app" --name orders --id "$id" --interval 5s >"$work/sc-$i.log" 2>&1 &
    local pid=$!
    until curl -sf "http://127.0.0.1:$reg/v1.0/m/services" | grep -q "\"$id\""; do sleep 0.005; done
    times+=($(( ($(date +%s%N) - t0) / 1000000 )))
    if [ "$i" = 1 ]; then sleep 10; rss=$(( $(ps -o rss= -p "$pid") / 1024 )); fi
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  local median; median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  printf '%-34s registered after %5d ms (median of %d: %s), RSS %d MiB\n' "$label" "$median" "$runs" "${times[*]}" "$rss"
}
small="-XX:+UseSerialGC -Xmx48m -Xss512k -XX:TieredStopAtLevel=1"
measure "default JVM flags"
# shellcheck disable=SC2086
measure "$small" $small
# AppCDS: a training run that watches the app until it is registered, then SIGTERM (the archive is written at exit)
# shellcheck disable=SC2086
java $small -XX:ArchiveClassesAtExit="$work/sidecar.jsa" -jar sidecar/target/autoreg-sidecar.jar run \
  --registry-url "http://127.0.0.1:$reg/v1.0/m" --port "$app" --name orders --id training --interval 5s >"$work/training.log" 2>&1 &
training=$!
until curl -sf "http://127.0.0.1:$reg/v1.0/m/services" | grep -q '"training"'; do sleep 0.05; done
kill "$training"; wait "$training" 2>/dev/null || true
# shellcheck disable=SC2086
measure "same + AppCDS archive" $small -XX:SharedArchiveFile="$work/sidecar.jsa"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
