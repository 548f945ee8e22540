// SPDX-License-Identifier: MIT
#pragma once
// Facts about the lecert build that programs using lecert_core report.

#include <string>

namespace lecert {

// "0.1.0"
std::string version();

}  // namespace lecert
