#!/usr/bin/env bash
# Moves every package of the core that is not the client API under io.autoreg.core.internal (issue 13,
# "Public vs internal"; OkHttp's okhttp3.internal is the model): only io.autoreg.core.client and
# io.autoreg.core.client.model stay public. The registration SPI (RegistryBackend, RefusedException) moves to
# the package that owns it, internal.lifecycle, which breaks the client <-> backend package cycle
# (client -> backend for the SPI, backend.serviceregistry -> client for the HTTP API).
#
# IDEMPOTENT: run it as often as you like, and again after merging any branch written against the old
# package names. It moves what is still at an old place (files, whole directories, in every module: main and
# test sources and resources) and rewrites every text file of the repository that still says an old name
# (package declarations, imports, fully-qualified names, resource paths, docs, poms, scripts, META-INF/services).
# A second run changes nothing. The rule it establishes is checked by
# src-shared/src/test/java/io/autoreg/core/packaging/PackageStructureTest.java.
#
#   scripts/dev/move-core-internal.sh            # apply (git mv + rewrite), then review `git status`
#   scripts/dev/move-core-internal.sh --check    # exit 1 (and list) if anything still needs moving
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

SELF=scripts/dev/move-core-internal.sh
CHECK=false
[[ "${1:-}" == "--check" ]] && CHECK=true

# The packages that move. Besides this list, any other main-source package directly under io.autoreg.core that
# is not the client API (a package a parallel branch adds) is found and moved too. Test-only packages
# (io.autoreg.core.testing, io.autoreg.core.packaging) ship nowhere and stay.
PKGS=(backend lifecycle http log settings net model)
shopt -s nullglob
for dir in */src/main/*/io/autoreg/core/*/ */*/src/main/*/io/autoreg/core/*/; do
    name=$(basename "$dir")
    case " client internal ${PKGS[*]} " in *" $name "*) ;; *) PKGS+=("$name") ;; esac
done
shopt -u nullglob
ALT=$(IFS='|'; echo "${PKGS[*]}")
# the SPI types that leave internal.backend for internal.lifecycle
SPI='RegistryBackend|RefusedException'

pending=()

# Moves one file, keeping git history when the file is tracked (an untracked file from a merge is moved too).
move() {
    local from=$1 to=$2
    if $CHECK; then pending+=("$from -> $to"); return; fi
    mkdir -p "$(dirname "$to")"
    if [[ -e "$to" ]]; then
        echo "move-core-internal: both $from and $to exist; merge them by hand" >&2
        exit 2
    fi
    if git ls-files --error-unmatch "$from" >/dev/null 2>&1; then
        git mv "$from" "$to"
    else
        mv "$from" "$to"
    fi
}

# 1. Files: every source/resource root in every module (main and test, java/kotlin/resources).
while IFS= read -r root; do
    for pkg in "${PKGS[@]}"; do
        [[ -d "$root/$pkg" ]] || continue
        while IFS= read -r f; do
            move "$f" "$root/internal/$pkg/${f#"$root/$pkg/"}"
        done < <(find "$root/$pkg" -type f | sort)
        $CHECK || find "$root/$pkg" -depth -type d -empty -delete
    done
    # the core's defaults sit next to the loader that reads them
    if [[ -f "$root/autoreg-defaults.conf" ]]; then
        move "$root/autoreg-defaults.conf" "$root/internal/settings/autoreg-defaults.conf"
    fi
    # the SPI to the package that owns it (the lifecycle calls it; the backends implement it)
    for type in RegistryBackend RefusedException; do
        for ext in java kt; do
            if [[ -f "$root/internal/backend/$type.$ext" ]]; then
                move "$root/internal/backend/$type.$ext" "$root/internal/lifecycle/$type.$ext"
            fi
        done
    done
done < <(find . -path ./.git -prune -o -path '*/target' -prune -o -path '*/node_modules' -prune -o \
              -type d -path '*/src/*/io/autoreg/core' -print | sed 's|^\./||' | sort)

# 2. Text: every tracked or new (not ignored) file that can name a class or a resource path. The CHANGELOG keeps
#    the names each release had.
text_files() {
    git ls-files -co --exclude-standard -z \
        | grep -zE '\.(java|kt|kts|conf|md|xml|sh|properties|ya?ml|json|txt|html|adoc|gradle)$|META-INF/services/' \
        | grep -zvxF -e "$SELF" -e CHANGELOG.md \
        | while IFS= read -r -d '' f; do [[ -f "$f" ]] && printf '%s\0' "$f"; done
}
OLD="io[./]autoreg[./]core[./]($ALT)\\b|io/autoreg/core/autoreg-defaults"
while IFS= read -r -d '' f; do
    if $CHECK; then pending+=("$f: $(grep -cE "$OLD" "$f") old name(s)"); continue; fi
    perl -pi -e "
        s{io\\.autoreg\\.core\\.backend\\.($SPI)\\b}{io.autoreg.core.internal.lifecycle.\$1}g;
        s{io/autoreg/core/backend/($SPI)\\b}{io/autoreg/core/internal/lifecycle/\$1}g;
        s{io/autoreg/core/autoreg-defaults}{io/autoreg/core/internal/settings/autoreg-defaults}g;
        s{io\\.autoreg\\.core\\.($ALT)\\b}{io.autoreg.core.internal.\$1}g;
        s{io/autoreg/core/($ALT)\\b}{io/autoreg/core/internal/\$1}g;
    " "$f"
done < <(text_files | xargs -0 -r grep -lZE "$OLD" --)

# 3. Sources of internal.backend itself used the SPI without an import (same package): give them one. Sources of
#    internal.lifecycle that imported it now import their own package: drop the import.
if ! $CHECK; then
    while IFS= read -r -d '' f; do
        case "$f" in
            */io/autoreg/core/internal/lifecycle/RegistryBackend.* | */io/autoreg/core/internal/lifecycle/RefusedException.*)
                perl -pi -e 's{^package io\.autoreg\.core\.internal\.backend\b}{package io.autoreg.core.internal.lifecycle}' "$f" ;;
        esac
        for type in RegistryBackend RefusedException; do
            if grep -qE "^package io\\.autoreg\\.core\\.internal\\.backend;?\\s*\$" "$f" \
                    && grep -vE '^\s*(import|package) ' "$f" | grep -qE "(^|[^.A-Za-z0-9_])$type\\b" \
                    && ! grep -qE "^import io\\.autoreg\\.core\\.internal\\.lifecycle\\.$type;?\\s*\$" "$f"; then
                perl -0pi -e "s{^(package io\\.autoreg\\.core\\.internal\\.backend;?[ \\t]*\\n)(\\s*\\n)?}{\$1\\nimport io.autoreg.core.internal.lifecycle.$type;\\n}m" "$f"
                # keep the blank line between the new import and the rest when the file had no imports
                perl -0pi -e "s{(import io\\.autoreg\\.core\\.internal\\.lifecycle\\.$type;\\n)(?=[^\\ni])}{\$1\\n}" "$f"
            fi
        done
        if grep -qE '^package io\.autoreg\.core\.internal\.lifecycle;?\s*$' "$f"; then
            perl -ni -e 'print unless /^import io\.autoreg\.core\.internal\.lifecycle\.[A-Z]\w*;?\s*$/' "$f"
        fi
    done < <(git ls-files -co --exclude-standard -z -- '*.java' '*.kt' \
                 | while IFS= read -r -d '' f; do [[ -f "$f" ]] && printf '%s\0' "$f"; done)
fi

if $CHECK; then
    if ((${#pending[@]})); then
        printf 'move-core-internal: still to do:\n'; printf '  %s\n' "${pending[@]}"; exit 1
    fi
    echo "move-core-internal: nothing left to move"
else
    echo "move-core-internal: done; review with: git status && scripts/dev/move-core-internal.sh --check"
fi
