# Shared by the bench scripts (sourced, not run): the clean-up of started processes, waiting for an HTTP
# answer, building the registry jar, and the etcd 3.4 anchor. The sourcing script sets HERE, ROOT, WORK, JAR,
# SERVICES, ETCD_PORT, ETCD_PEER and log().

PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ "${KEEP_WORK:-0}" != 1 ]]; then rm -rf "$WORK"; else echo "work dir kept: $WORK"; fi
}
trap cleanup EXIT

# wait_http URL SECONDS: until the URL answers at all (any status)
wait_http() {
  local deadline=$((SECONDS + $2))
  until curl -s -o /dev/null "$1"; do
    ((SECONDS < deadline)) || { log "no answer from $1"; return 1; }
    sleep 0.2
  done
}

# ensure_registry_jar: builds $JAR (registry/target/autoreg-registry.jar) when it is missing or older than the
# registry's or the core's sources, unless the caller named its own jar(s) (REGISTRY_JAR, REGISTRY_JARS); offline
# first, then with the network (a fresh machine's first build)
ensure_registry_jar() {
  [[ -n "${REGISTRY_JAR:-}${REGISTRY_JARS:-}" ]] && return 0
  if [[ ! -f "$JAR" ]] || [[ -n "$(find "$ROOT/registry/src/main" "$ROOT/src-shared/src/main" -newer "$JAR" -type f 2>/dev/null | head -1)" ]]; then
    log "building the registry jar"
    (cd "$ROOT" && { ./mvnw -B -q -o -pl registry -am package -DskipTests || ./mvnw -B -q -pl registry -am package -DskipTests; })
  fi
}

# Starts a one-member etcd on loopback with its data in $WORK, waits until it answers and grants $SERVICES
# leases (600 s TTL) into $WORK/leases.txt. Sets ETCD (its URL) and ETCD_PID; cleanup stops it.
start_etcd() {
  ETCD="http://127.0.0.1:$ETCD_PORT"
  etcd --name bench --data-dir "$WORK/etcd-data" --listen-client-urls "$ETCD" --advertise-client-urls "$ETCD" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER" \
    --initial-cluster "bench=http://127.0.0.1:$ETCD_PEER" >"$WORK/etcd.log" 2>&1 &
  ETCD_PID=$!
  PIDS+=("$ETCD_PID")
  wait_http "$ETCD/health" 60
  log "granting $SERVICES etcd leases"
  timeout 300 java "$HERE/BenchLoader.java" leases "$ETCD" "$SERVICES" 600 32 "$WORK/leases.txt"
}
