#!/usr/bin/env bash
# podman as autoreg's scripts and tests run it: runc as the runtime and cgroupfs as the cgroup manager (no
# systemd inside these machines), CONTAINERS_CONF pointing at deploy/podman/containers.conf unless set.
# Usage: scripts/podman.sh ARGS…   (the same arguments as podman)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/deploy/podman/containers.conf}"
exec podman --runtime "${AUTOREG_PODMAN_RUNTIME:-/usr/sbin/runc}" --cgroup-manager=cgroupfs "$@"
