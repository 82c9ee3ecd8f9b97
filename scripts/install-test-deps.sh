#!/usr/bin/env bash
# Installs what the integration tests run for real and that Maven cannot fetch: etcd (Debian package
# etcd-server), and Chromium with its chromedriver for the dashboard's browser tests (Debian's builds, so no
# test ever downloads a browser). ZooKeeper and Eureka come from Maven Central with the build.
set -euo pipefail
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
