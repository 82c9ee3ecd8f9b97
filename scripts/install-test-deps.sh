#!/usr/bin/env bash
# Installs the servers the integration tests run for real and that Maven cannot fetch:
# etcd (Debian package etcd-server). ZooKeeper and Eureka come from Maven Central with the build.
set -euo pipefail
need=()
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing ${need[*]} (needed by the backend integration tests)" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
