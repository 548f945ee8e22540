#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# CI checks besides the tests (./test.sh): formatting, clang-tidy and a Release -Werror build.
#   1. clang-format 14 --dry-run -Werror on every tracked C++ file (the version is pinned:
#      another one formats differently).
#   2. clang-tidy 14 (.clang-tidy) on app/core and app/cli, over build/dev/compile_commands.json
#      (./test.sh builds the dev preset first).
#   3. The ci-release preset: Release, -Werror, no sanitizers, desktop included (optimiser-only
#      warnings show up here, not in the Debug build).
# Usage: scripts/check.sh [format|tidy|release]...   (default: all three)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jobs="$(nproc 2>/dev/null || echo 2)"
steps=("$@")
((${#steps[@]})) || steps=(format tidy release)

step_start() { echo "check: $1" >&2; SECONDS=0; }
step_end() { echo "check: $1 ok (${SECONDS}s)" >&2; }

check_format() {
  step_start format
  local cf
  cf="$(command -v clang-format-14 || command -v clang-format || true)"
  [[ -n "$cf" ]] || { echo "check: clang-format 14 is not installed (apt-get install clang-format)" >&2; exit 2; }
  if ! "$cf" --version | grep -q 'version 14\.'; then
    echo "check: need clang-format 14, found: $("$cf" --version)" >&2
    exit 2
  fi
  git ls-files -z '*.cpp' '*.h' | xargs -0 "$cf" --dry-run -Werror
  step_end format
}

check_tidy() {
  step_start tidy
  command -v run-clang-tidy-14 >/dev/null || { echo "check: run-clang-tidy-14 is not installed (apt-get install clang-tidy)" >&2; exit 2; }
  [[ -f build/dev/compile_commands.json ]] || { echo "check: build/dev/compile_commands.json is missing; run ./test.sh first" >&2; exit 2; }
  # clang 14 cannot parse qpdf 11's JSON.hh as C++20 (it is fine as C++17, which is what those
  # three files need), so tidy reads a copy of the compile database in which the files that
  # include qpdf headers are compiled as C++17. g++ builds them as C++20 as usual.
  local db
  db="$(mktemp -d)"
  python3 - "$root" "$db" <<'PY'
import json, os, sys
root, out = sys.argv[1], sys.argv[2]
entries = json.load(open(os.path.join(root, "build/dev/compile_commands.json")))
for e in entries:
    try:
        src = open(e["file"], encoding="utf-8", errors="replace").read()
    except OSError:
        continue
    if "#include <qpdf/" in src:
        e["command"] = e["command"].replace("-std=c++20", "-std=c++17")
json.dump(entries, open(os.path.join(out, "compile_commands.json"), "w"))
PY
  # Only our sources (the regex is matched against the compile database's file names).
  if ! run-clang-tidy-14 -quiet -j "$jobs" -p "$db" "$root/app/(core|cli)/.*\.cpp$" >/tmp/lecert-tidy.log 2>&1 ||
    grep -qE '(warning|error): ' /tmp/lecert-tidy.log; then
    grep -E '(warning|error): ' -A3 /tmp/lecert-tidy.log >&2 || cat /tmp/lecert-tidy.log >&2
    rm -rf "$db"
    echo "check: clang-tidy failed (full log: /tmp/lecert-tidy.log)" >&2
    exit 1
  fi
  rm -rf "$db"
  step_end tidy
}

check_release() {
  step_start release
  [[ -f build/ci-release/CMakeCache.txt ]] || cmake --preset ci-release >/dev/null
  cmake --build --preset ci-release -j "$jobs"
  step_end release
}

for s in "${steps[@]}"; do
  case "$s" in
    format) check_format ;;
    tidy) check_tidy ;;
    release) check_release ;;
    *) echo "check: unknown step '$s' (format, tidy, release)" >&2; exit 2 ;;
  esac
done
echo "check: all ok" >&2
