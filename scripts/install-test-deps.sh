#!/usr/bin/env bash
# Installs what the integration tests run for real and that Maven cannot fetch: etcd (Debian package
# etcd-server), and Chromium with its chromedriver for the dashboard's browser tests (Debian's builds, so no
# test ever downloads a browser). ZooKeeper and Eureka come from Maven Central with the build.
# Also the original Node client's auth library (keystone-client, npm registry, pinned by its lock file)
# that registry's OriginalNodeClientIT runs with node.
set -euo pipefail
node_it="$(dirname "$0")/../registry/src/test/node"
if [ ! -d "$node_it/node_modules/keystone-client" ]; then
  echo "installing keystone-client for OriginalNodeClientIT (npm ci in registry/src/test/node)" >&2
  (cd "$node_it" && npm ci --no-audit --no-fund --loglevel=error)
fi
need=()
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  need+=(chromium chromium-driver fonts-liberation)   # the fonts: a readable screenshot without the recommends
fi
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing ${need[*]} (needed by the integration and browser tests)" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
