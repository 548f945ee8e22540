// SPDX-License-Identifier: MIT
#pragma once
// Process-wide set-up for programs using lecert_core.

#include <string>

namespace lecert {

// Call once at start-up, before any thread uses core (quiets third-party logging, loads the
// OpenSSL providers). Safe to call more than once.
void initialize();

// "0.1.0"
std::string version();

}  // namespace lecert
