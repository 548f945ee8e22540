// SPDX-License-Identifier: MIT
#include "core/pdf/icc_profile.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <mutex>
#include <vector>

namespace lecert::pdf {

namespace {

std::vector<std::string> candidates() {
    std::vector<std::string> paths;
    if (const char* env = std::getenv("LECERT_ICC_PROFILE"); env && *env) paths.emplace_back(env);
    for (const char* p :
         {"/usr/share/color/icc/ghostscript/srgb.icc", "/usr/share/color/icc/sRGB.icc",
          "/usr/share/color/icc/colord/sRGB.icc", "/usr/share/color/icc/sRGB-IEC61966-2.1.icc"})
        paths.emplace_back(p);
    return paths;
}

// An ICC profile of an RGB device: a 128-byte header whose size field matches, "acsp" at 36
// and colour space "RGB " at 16 (PDF/A needs the profile to match the /N 3 output intent).
bool isRgbProfile(const std::string& b) {
    if (b.size() < 132 || b.compare(36, 4, "acsp") != 0 || b.compare(16, 4, "RGB ") != 0)
        return false;
    const auto u = [&](std::size_t i) { return static_cast<unsigned char>(b[i]); };
    const std::size_t size =
        (std::size_t{u(0)} << 24) | (std::size_t{u(1)} << 16) | (std::size_t{u(2)} << 8) | u(3);
    return size == b.size();
}

}  // namespace

Result<std::string> srgbIccProfile() {
    static std::once_flag once;
    static Result<std::string> profile = Error{"", {}};
    std::call_once(once, [] {
        std::string tried;
        for (const std::string& p : candidates()) {
            std::ifstream in(p, std::ios::binary);
            if (!in) {
                tried += (tried.empty() ? "" : ", ") + p;
                continue;
            }
            std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
            if (isRgbProfile(bytes)) {
                profile = std::move(bytes);
                return;
            }
            tried += (tried.empty() ? "" : ", ") + p + " (not an RGB ICC profile)";
        }
        profile = Error{"--pdfa needs an sRGB ICC profile; none was found (looked at " + tried +
                            "; install libgs-common or set LECERT_ICC_PROFILE)",
                        {}};
    });
    return profile;
}

}  // namespace lecert::pdf
