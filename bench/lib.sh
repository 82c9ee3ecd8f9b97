# Shared by the bench scripts (sourced, not run): the clean-up of started processes, waiting for an HTTP
# answer, and the etcd 3.4 anchor. The sourcing script sets HERE, WORK, SERVICES, ETCD_PORT, ETCD_PEER and log().

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
