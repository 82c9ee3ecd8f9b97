#!/usr/bin/env bash
# Builds the release jars twice from clean and compares their SHA-256 sums: with
# project.build.outputTimestamp set (root pom.xml) every jar of one commit must come out byte-identical.
# Prints both sums per jar; exits 1 on the first difference. About twice a `package -DskipTests`.
# Usage: scripts/check-reproducible.sh [extra maven arguments, e.g. -o]
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | awk 'NR == 1')"
jars=(src-shared/target/autoreg-core-"$version".jar registry/target/autoreg-registry.jar sidecar/target/autoreg-sidecar.jar
      agent/target/autoreg-agent.jar sample-app/target/sample-app.jar)
build() {
  ./mvnw -B -q "$@" clean package -DskipTests -pl src-shared,registry,sidecar,agent,sample-app -am >/dev/null
  sha256sum "${jars[@]}"
}
first="$(build "$@")"
sleep 2   # a different wall-clock second: file times must not leak into the jars
second="$(build "$@")"
echo "first build:";  echo "$first"
echo "second build:"; echo "$second"
if [ "$first" = "$second" ]; then
  echo "reproducible: ${#jars[@]} jars identical"
else
  diff <(echo "$first") <(echo "$second") || true
  echo "NOT reproducible" >&2
  exit 1
fi
