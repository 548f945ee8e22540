#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Shared set-up for run.sh and test.sh: install the Debian 12 packages lecert needs (only the
# missing ones; `apt-get update` once, and only when something is missing), then configure and
# build the given CMake preset (all targets, or only the TARGETs named). Usage:
# scripts/setup.sh PRESET [TARGET...]
set -euo pipefail
preset="${1:-release}"
shift || true
targets=("$@")
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  build-essential cmake ninja-build pkg-config git
  libqpdf-dev libicu-dev libssl-dev zlib1g-dev
  nlohmann-json3-dev libcli11-dev libkainjow-mustache-dev catch2
  qt6-base-dev qt6-pdf-dev qt6-qpa-plugins libgl-dev
  libharfbuzz-dev libfontconfig-dev
  libmimalloc-dev  # the command-line programs' allocator (faster batch runs)
  # Fonts (the families and files in fonts/fallback.json): DejaVu for Latin,
  # Greek and Cyrillic; Noto for every other script lecert prints; hb-view for reference tests.
  fonts-dejavu-core fonts-droid-fallback fonts-noto-core fonts-noto-cjk libharfbuzz-bin
  qpdf poppler-utils
  libgs-common  # its sRGB ICC profile is the output intent of --pdfa (PDF/A-2b)
  mupdf-tools ghostscript  # test tools: second and third renderers for the official-form checks
  libsqlite3-dev libpq-dev postgresql
  libhunspell-dev hunspell-en-us
  clang-format clang-tidy
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${#missing[@]} missing package(s): ${missing[*]}" >&2
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: run as root (or install sudo) to install: ${missing[*]}" >&2; exit 2; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cd "$root"
jobs="$(nproc 2>/dev/null || echo 2)"
if [[ ! -f "build/$preset/CMakeCache.txt" ]]; then
  cmake --preset "$preset" >/dev/null
fi
if ((${#targets[@]})); then
  cmake --build --preset "$preset" -j "$jobs" --target "${targets[@]}"
else
  cmake --build --preset "$preset" -j "$jobs"
fi
