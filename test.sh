#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install what is missing, build the dev preset (Debug, -Werror, ASan+UBSan), run every test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/setup.sh" dev
cd "$root"
export QT_QPA_PLATFORM=offscreen
ctest --preset dev -j "$(nproc 2>/dev/null || echo 2)" "$@"
