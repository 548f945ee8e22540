#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerates tests/data/golden/<example>/ (field values, worksheet and cover text of every
# examples/*.json) from the current build, for review in the diff. Run after a change that is
# meant to change what lecert prints; commit the golden files with that change.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
preset="${1:-dev}"
build="build/$preset"
[ -d "$build" ] || cmake --preset "$preset" >/dev/null
cmake --build "$build" -j2 --target lecert test_golden
# Stale folders go (an example removed or renamed); README.md stays.
find tests/data/golden -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
LECERT_UPDATE_GOLDEN=1 LECERT_DATA_DIR="$root" "$build/tests/test_golden" \
    "every example's worksheet and cover match the golden files"
git status --short tests/data/golden
echo "golden files updated; review them with: git diff tests/data/golden"
