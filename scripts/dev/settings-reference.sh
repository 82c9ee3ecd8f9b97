#!/usr/bin/env bash
# Regenerates docs/settings.md from the settings schema (SettingsSchema, AgentSettings.SCHEMA, SidecarSchema,
# ServerSchema) and checks the result. Run it after changing a declared setting, then commit docs/settings.md;
# SettingsReferenceTest (deploy module) fails until then.
# The test phase (not verify): the deploy module then reads the front ends' classes, not their packaged jars.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl deploy -am test -Dtest=SettingsReferenceTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsettings.reference.write=true "$@"
echo "docs/settings.md regenerated; review with: git diff docs/settings.md"
