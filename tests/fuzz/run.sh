#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds the libFuzzer harnesses with clang (ASan + UBSan) in build/fuzz and runs each for
# SECONDS (default 30), starting from the seed corpus in tests/fuzz/corpus/<target>.
#   tests/fuzz/run.sh 30                  # CI: 30 s per target
#   tests/fuzz/run.sh 3600 validator      # one target for an hour
# New inputs go to build/fuzz/corpus/<target> (the repo's seeds stay small); a crash is saved
# as build/fuzz/crash-<target>-* and the script exits 1: add it under tests/data/ as a test.
set -eu
secs=${1:-30}
[ $# -gt 0 ] && shift
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${LECERT_FUZZ_BUILD:-$root/build/fuzz}
targets=${*:-record_reader batch_reader validator review extract official}
jobs=${LECERT_FUZZ_JOBS:-2}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DLECERT_FUZZ=ON -DLECERT_BUILD_TESTS=OFF \
    -DLECERT_BUILD_DESKTOP=OFF -DLECERT_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target fuzz_targets

export LECERT_DATA_DIR="$root"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
status=0
for t in $targets; do
    work="$build/corpus/$t"
    mkdir -p "$work"
    echo "== fuzz_$t for ${secs}s"
    if ! "$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/crash-$t-" \
        "$work" "$root/tests/fuzz/corpus/$t"; then
        echo "fuzz_$t FAILED: see $build/crash-$t-*" >&2
        status=1
    fi
done
exit $status
