#!/usr/bin/env bash
# Moves the tests onto the one copy of the shared test support, the autoreg-testing module (testing/, package
# io.autoreg.testing; issue 13): rewrites every reference to a per-module copy of Await, Http and the
# child-process helpers to io.autoreg.testing.*, adds the import where a test used a copy of its own package
# without one, and deletes the copies.
#
# Idempotent: run it again after merging a branch that added tests against the old copies (or brought a copy
# back); a second run over a moved tree changes nothing. The unified classes keep every method name and
# argument order of the copies, so only imports change. The modules' poms already take autoreg-testing with
# <scope>test</scope>; a new module needs that dependency added by hand.
#
# Usage: scripts/dev/use-autoreg-testing.sh [--force]   (from anywhere inside the repository; prints what it changed)
set -euo pipefail

root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$root"

# old package | class name | the copy's file
copies=(
  "io.autoreg.agent.testing|Await|agent/src/test/java/io/autoreg/agent/testing/Await.java"
  "io.autoreg.agent.testing|Http|agent/src/test/java/io/autoreg/agent/testing/Http.java"
  "io.autoreg.agent.testing|ChildJvm|agent/src/test/java/io/autoreg/agent/testing/ChildJvm.java"
  "io.autoreg.core.testing|Await|src-shared/src/test/java/io/autoreg/core/testing/Await.java"
  "io.autoreg.backendsit|Await|backends-it/engines/src/test/java/io/autoreg/backendsit/Await.java"
  "io.autoreg.backendsit|Http|backends-it/engines/src/test/java/io/autoreg/backendsit/Http.java"
  "io.autoreg.backendsit|ChildProcess|backends-it/engines/src/test/java/io/autoreg/backendsit/ChildProcess.java"
  "io.autoreg.backendsit|LoggedChild|backends-it/engines/src/test/java/io/autoreg/backendsit/LoggedChild.java"
  "io.autoreg.registry.support|Await|registry/src/test/java/io/autoreg/registry/support/Await.java"
  "io.autoreg.registry.support|Http|registry/src/test/java/io/autoreg/registry/support/Http.java"
  "io.autoreg.registry.conformance|Await|registry/src/test/java/io/autoreg/registry/conformance/Await.java"
  "io.autoreg.sidecar.testing|Await|sidecar/src/test/java/io/autoreg/sidecar/testing/Await.java"
  "io.autoreg.sidecar.testing|Child|sidecar/src/test/java/io/autoreg/sidecar/testing/Child.java"
)

# every Java source outside the testing module and build output
mapfile -t sources < <(git ls-files --cached --others --exclude-standard -- '*.java' | grep -v '^testing/' | grep -v '/target/' || true)

# the commit the copies were moved from: a copy that differs from its version there was changed by a merged
# branch, and deleting it would lose that change: it is kept (and the script fails) until the change is ported
# to testing/ and the script is run with --force
moved_from=4e4ba86
force=false
[[ "${1:-}" == "--force" ]] && force=true

changed=0
kept=()
for entry in "${copies[@]}"; do
  IFS='|' read -r pkg name copy <<<"$entry"
  if [[ -f "$copy" ]]; then
    if ! $force && git cat-file -e "$moved_from" 2>/dev/null \
        && ! git show "$moved_from:$copy" 2>/dev/null | cmp -s - "$copy"; then
      echo "KEPT $copy: changed since $moved_from; port the change to testing/src/main/java/io/autoreg/testing/$name.java, then run again with --force" >&2
      kept+=("$copy")
      continue
    fi
    git rm -q -- "$copy" 2>/dev/null || rm -f -- "$copy"
    echo "deleted $copy"
    changed=$((changed + 1))
  fi
done
for entry in "${copies[@]}"; do
  IFS='|' read -r pkg name copy <<<"$entry"
  [[ -f "$copy" ]] && continue   # kept: its users stay on it until it is moved
  qualified="${pkg//./\\.}\\.$name"
  for file in "${sources[@]}"; do
    [[ -f "$file" ]] || continue
    # 1. imports (single, static) and fully qualified uses of the copy
    if grep -qE "\\b${qualified}\\b" "$file"; then
      sed -i -E "s/\\b${qualified}\\b/io.autoreg.testing.${name}/g" "$file"
      echo "rewrote $file ($pkg.$name)"
      changed=$((changed + 1))
    fi
    # 2. a test in the copy's own package (or importing it on demand) used it without an import
    if grep -qE "^package ${pkg//./\\.};" "$file" || grep -qE "^import ${pkg//./\\.}\\.\\*;" "$file"; then
      if grep -qE "\\b${name}\\b" "$file" \
          && ! grep -qE "^import io\\.autoreg\\.testing\\.(${name}|\\*);" "$file" \
          && ! grep -qE "^(public |final |abstract )*(class|interface|record|enum) ${name}\\b" "$file"; then
        if grep -qE '^import ' "$file"; then
          # before the first import, so it sits with the project's own imports
          sed -i -E "0,/^import /s//import io.autoreg.testing.${name};\\nimport /" "$file"
        else
          sed -i -E "0,/^package .*;/s//&\\n\\nimport io.autoreg.testing.${name};/" "$file"
        fi
        echo "imported io.autoreg.testing.$name in $file"
        changed=$((changed + 1))
      fi
    fi
  done
done
echo "use-autoreg-testing: $changed change(s)"
if (( ${#kept[@]} > 0 )); then
  echo "use-autoreg-testing: ${#kept[@]} changed copy(ies) kept, see above" >&2
  exit 1
fi
