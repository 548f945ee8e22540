// SPDX-License-Identifier: MIT
#pragma once
// The sRGB ICC profile that PDF/A output names as its output intent. lecert ships none: it
// reads the one Debian installs (Ghostscript's libgs-common, or icc-profiles-free / colord),
// or the file in LECERT_ICC_PROFILE.

#include <string>

#include "core/util/result.h"

namespace lecert::pdf {

// The profile's bytes, read once per process. The error names the places looked at.
Result<std::string> srgbIccProfile();

}  // namespace lecert::pdf
