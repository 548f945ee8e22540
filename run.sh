#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install what is missing, build, then open the desktop app when a display is available;
# otherwise fill every record in examples/ into out/ and print the paths of the PDFs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/setup.sh" release apps   # the programs only; ./test.sh builds the tests
bin="$root/build/release/app"
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" && -x "$bin/desktop/lecert-desktop" ]]; then
  exec "$bin/desktop/lecert-desktop" "$@"
fi
mkdir -p "$root/out"
set +e
"$bin/cli/lecert" batch --quiet --report "$root/out/report.jsonl" -o "$root/out" "$root/examples"
rc=$?
set -e
find "$root/out" -name '*.pdf' | sort
echo "report: $root/out/report.jsonl"
exit $rc
