#!/bin/sh
# SPDX-License-Identifier: MIT
# Optional: the peer tools for bench/peers/run_peers.sh (not needed to build or test lecert,
# so they are not in scripts/setup.sh). Debian 12 packages.
set -eu
apt-get install -y --no-install-recommends pdftk-java python3-pypdf python3-pikepdf
