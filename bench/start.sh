#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What a start of lecert costs: wall and CPU (user + system) milliseconds per run of
# `lecert --version` and of `lecert validate` on each example record, averaged over N runs
# (default 200) after one warm-up run. Usage: bench/start.sh [LECERT] (default: the release
# build). Run from the source folder on a quiet machine; see bench/README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
lecert="${1:-build/release/app/cli/lecert}"
n="${N:-200}"
[[ -x "$lecert" ]] || { echo "start.sh: no $lecert (cmake --build --preset release)" >&2; exit 2; }

# Children's CPU so far, in microseconds, from bash's `times` (its second line), run in this
# shell (in a $(...) subshell it would count the subshell's children only).
times_file="$(mktemp)"
trap 'rm -f "$times_file"' EXIT
child_cpu_us() {
  local line user sys
  times >"$times_file"
  line="$(sed -n 2p "$times_file")"
  user="${line% *}"
  sys="${line#* }"
  cpu_us=$(( $(to_us "$user") + $(to_us "$sys") ))
}
to_us() {  # "1m2.345s" -> 62345000
  local m="${1%%m*}" s="${1#*m}"
  s="${s%s}"
  echo $(( 10#$m * 60000000 + 10#${s%.*} * 1000000 + 10#${s#*.} * 1000 ))
}

measure() {
  local label="$1"
  shift
  "$lecert" "$@" >/dev/null 2>&1 || true
  local c0 c1 t0 t1
  child_cpu_us
  c0="$cpu_us"
  t0="$(date +%s%N)"
  for ((i = 0; i < n; i++)); do "$lecert" "$@" >/dev/null 2>&1 || true; done
  t1="$(date +%s%N)"
  child_cpu_us
  c1="$cpu_us"
  printf '| %s | %d.%02d | %d.%02d |\n' "$label" \
    $(( (t1 - t0) / 1000000 / n )) $(( (t1 - t0) / 10000 / n % 100 )) \
    $(( (c1 - c0) / 1000 / n )) $(( (c1 - c0) / 10 / n % 100 ))
}

echo "| ${n} runs each | wall ms per run | CPU ms per run |"
echo "|---|---|---|"
measure "lecert --version" --version
for f in examples/*.json; do
  measure "lecert validate $(basename "$f")" validate --today 2026-11-28 "$f"
done
